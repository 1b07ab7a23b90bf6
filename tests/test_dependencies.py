"""What pyproject.toml declares is what the code imports: every third-party module that src/ imports
(type-checking imports aside) comes from a declared dependency, and every declared dependency is imported."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "licencecmp"
# Installed with the dependency that is declared and imported through it, at the version it pins.
PROVIDED_BY = {"pydantic-core": "pydantic", "mcp-types": "mcp"}
# Declared for a dependency that uses it when installed, and not imported by licencecmp itself.
USED_BY: dict[str, str] = {}


def _type_checking(node: ast.If) -> bool:
    return isinstance(node.test, (ast.Name, ast.Attribute)) and ast.unparse(node.test).endswith("TYPE_CHECKING")


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _type_checking(node):
            found |= {n for child in node.orelse for n in _imports(ast.Module(body=[child], type_ignores=[]))}
            continue
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
        found |= _imports(node)
    return found


def _name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9_.-]+", requirement)
    assert match is not None
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def test_declared_dependencies_are_the_imported_ones() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_name(r) for r in project["dependencies"]} | {_name(r) for r in project["optional-dependencies"]["mcp"]}
    modules: set[str] = set()
    for path in SRC.rglob("*.py"):
        modules |= _imports(ast.parse(path.read_text(encoding="utf-8")))
    third_party = {m for m in modules if m not in sys.stdlib_module_names and m not in ("licencecmp", "__future__")}
    dists = packages_distributions()
    imported: set[str] = set()
    for module in third_party:
        names = {_name(d) for d in dists.get(module, [module])}
        imported |= {PROVIDED_BY.get(n, n) for n in names}
    # tomli is the tomllib of Python 3.10: imported only there
    declared -= {name for name, user in USED_BY.items() if user in declared}
    assert imported - {"tomli"} == declared - {"tomli"}, (
        f"imported but not declared: {sorted(imported - declared)}; declared but not imported: "
        f"{sorted(declared - imported)}")
