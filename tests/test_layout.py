"""The layout rules that import-linter does not check (it runs as `lint-imports` in scripts/test.sh): no
module, of the package or of the tests, uses another module's private (`_x`) name, and no module of the
package imports the package root (whose lazy exports would close a cycle)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

SRC = ROOT / "src"
PACKAGE = "licencecmp"
OURS = (PACKAGE, "tests")


def module_name(path: Path) -> str:
    """The dotted name of the module in ``path`` (under src/ for the package, the root for the tests)."""
    base = SRC if path.is_relative_to(SRC) else ROOT
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules() -> list[Path]:
    return sorted((SRC / PACKAGE).rglob("*.py")) + sorted((ROOT / "tests").rglob("*.py"))


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def ours(dotted: str) -> bool:
    return dotted.split(".")[0] in OURS


def allowed(user: str, dotted: str) -> bool:
    """Whether module ``user`` may use ``dotted`` (a module or a name in one). A private part
    (``a._b``) belongs to ``a``: only ``a`` itself and the modules inside package ``a`` may use it."""
    parts = dotted.split(".")
    for index, part in enumerate(parts):
        if is_private(part):
            owner = ".".join(parts[:index])
            return user == owner or user.startswith(owner + ".")
    return True


def absolute(node: ast.ImportFrom, user: str, package: bool) -> str:
    """The absolute module an ``ImportFrom`` reads (``from . import x`` resolved against ``user``)."""
    if not node.level:
        return node.module or ""
    base = user.split(".") if package else user.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def dotted_name(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """What an expression such as ``licencecmp.engine`` or ``engine`` names, if it is one of ours."""
    if isinstance(node, ast.Name):
        return aliases.get(node.id)
    if isinstance(node, ast.Attribute):
        inner = dotted_name(node.value, aliases)
        return None if inner is None else f"{inner}.{node.attr}"
    return None


def violations(source: str, user: str, package: bool = False) -> Iterator[str]:
    """Every use of another module's private name in ``source``, the text of module ``user``."""
    tree = ast.parse(source)
    # Local names bound to our modules or their names (``import licencecmp.engine as engine``,
    # ``from licencecmp import engine``): an attribute ``engine._x`` on them is a use of ``_x``.
    aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if not ours(alias.name):
                    continue
                if not allowed(user, alias.name):
                    yield f"line {node.lineno}: import {alias.name}"
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    aliases[top] = top
        elif isinstance(node, ast.ImportFrom):
            module = absolute(node, user, package)
            if not ours(module):
                continue
            for alias in node.names:
                target = f"{module}.{alias.name}"
                if not allowed(user, target):
                    yield f"line {node.lineno}: from {module} import {alias.name}"
                aliases[alias.asname or alias.name] = target
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            owner = dotted_name(node.value, aliases)
            if owner is not None and not allowed(user, f"{owner}.{node.attr}"):
                yield f"line {node.lineno}: {owner}.{node.attr}"


@pytest.mark.parametrize("path", all_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_uses_another_modules_private_name(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert list(violations(source, module_name(path), path.name == "__init__.py")) == []


def test_the_scan_sees_the_package_and_the_tests() -> None:
    names = {module_name(path) for path in all_modules()}
    assert {"licencecmp", "licencecmp.engine", "licencecmp.cli.root", "tests.conftest", "tests.test_layout"} <= names


@pytest.mark.parametrize(
    "source",
    [
        "from licencecmp.engine import _limit_state\n",
        "from licencecmp.scan.check import _registry_entry as entry\n",
        "from licencecmp import engine\nengine._limit_state()\n",
        "import licencecmp.engine\nlicencecmp.engine._limit_state()\n",
        "import licencecmp.engine as e\nprint(e._cache)\n",
        "from .engine import _limit_state\n",
        "from tests.fuzz._support import outcome\n",
        "import licencecmp.scan._hidden\n",
    ],
)
def test_the_check_catches_a_private_use(source: str) -> None:
    assert list(violations(source, "licencecmp.render.probe")) != []


@pytest.mark.parametrize(
    "source",
    [
        "from licencecmp._version import __version__\n",
        "from licencecmp.engine import Decision\nDecision.__name__\n",
        "import licencecmp\nprint(licencecmp.__version__)\n",
        "from licencecmp.render._shared import wrap\n",
        "from ._shared import wrap\n",
        "def _own() -> None: ...\n_own()\n",
    ],
)
def test_the_check_allows_public_and_package_private_uses(source: str) -> None:
    assert list(violations(source, "licencecmp.render.probe")) == []


def test_no_package_module_imports_the_package_root() -> None:
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                assert all(alias.name != PACKAGE for alias in node.names), f"{path}:{node.lineno}"
            elif isinstance(node, ast.ImportFrom) and not node.level:
                assert node.module != PACKAGE, f"{path}:{node.lineno} imports from the package root"


def test_the_house_plan_names_every_module() -> None:
    """docs/architecture.md names every module of the package by its path (``scan/check.py``; a
    top-level one by its file name, ``api.py``)."""
    plan = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package = SRC / "licencecmp"
    missing = [str(path.relative_to(package)) for path in sorted(package.rglob("*.py"))
               if f"`{path.relative_to(package).as_posix()}`" not in plan]
    assert missing == [], f"docs/architecture.md does not name {missing}"


# Modules and files that no longer exist (spelled in pieces, so that this file does not name them).
OLD_NAMES = (*("licencecmp." + name for name in ("discover", "check.", "compare.", "catalogue.", "model.")),
             "CODE" + ".md")


@pytest.mark.parametrize("path", all_modules(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_docstring_names_a_module_that_is_gone(path: Path) -> None:
    source = path.read_text(encoding="utf-8")
    assert [name for name in OLD_NAMES if name in source] == []
