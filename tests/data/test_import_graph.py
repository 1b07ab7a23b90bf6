"""The modules of ``licencecmp.data`` import one way: no circle among them, counting what ``lint-imports``
leaves out (imports under ``if TYPE_CHECKING:``) as well as imports inside functions, and none imported
by name at run time (``importlib.import_module``, ``__import__``), which no graph can see.

The generated records import their pydantic models lazily; the models never import the records; the
behaviour both share (``data.plain``) imports neither."""

from __future__ import annotations

import ast
from collections.abc import Iterator

import grimp

from tests.conftest import ROOT

PACKAGE = "licencecmp.data"
DATA = ROOT / "src" / "licencecmp" / "data"


def _edges() -> dict[str, set[str]]:
    graph = grimp.build_graph("licencecmp", exclude_type_checking_imports=False, cache_dir=None)
    modules = {m for m in graph.find_descendants(PACKAGE)} | {PACKAGE}
    return {m: graph.find_modules_directly_imported_by(m) & modules for m in sorted(modules)}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, or of one that imports itself
    (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges[node]:
                    found.append(sorted(component))
    return found


def test_cycles_finds_a_circle_and_only_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
    assert cycles({"a": {"a"}}) == [["a"]]


def test_no_import_circle_in_the_data_package_type_checking_included() -> None:
    edges = _edges()
    assert "licencecmp.data.plain" in edges[f"{PACKAGE}.records"], "the graph lost the records' imports"
    assert cycles(edges) == []


def _dynamic_imports(tree: ast.Module) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names]
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if "importlib" in names or (module == "importlib" and "import_module" in names):
                yield f"line {node.lineno}: imports importlib"
        elif isinstance(node, ast.Name) and node.id == "__import__":
            yield f"line {node.lineno}: __import__"
        elif isinstance(node, ast.Attribute) and node.attr == "import_module":
            yield f"line {node.lineno}: import_module"


def test_no_data_module_imports_a_module_by_name() -> None:
    found = {path.name: list(_dynamic_imports(ast.parse(path.read_text(encoding="utf-8"))))
             for path in sorted(DATA.glob("*.py"))}
    assert {name: lines for name, lines in found.items() if lines} == {}


def test_the_models_never_import_their_records() -> None:
    """The one way: records -> schema, results (inside functions) -> plain; plain imports no data module."""
    edges = _edges()
    assert edges[f"{PACKAGE}.plain"] == set()
    assert edges[f"{PACKAGE}.schema"] == edges[f"{PACKAGE}.results"] == {f"{PACKAGE}.plain"}
    assert edges[f"{PACKAGE}.records"] == {f"{PACKAGE}.plain", f"{PACKAGE}.schema", f"{PACKAGE}.results"}
