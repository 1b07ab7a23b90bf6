"""Safety of reading files nobody vetted, checked statically over ``src/`` and by behaviour.

Static (AST) rules over every module of the package:

- no ``eval``, ``exec``, ``compile`` or ``__import__`` builtins; no pickle, marshal, shelve or
  other object deserialisers;
- YAML only through a safe loader (``yaml.safe_load`` or ``yaml.load(..., Loader=<Safe/CSafe
  Loader>)``), never ``full_load``, ``unsafe_load``, ``Loader``/``FullLoader``/``UnsafeLoader``;
- no shell: no ``shell=True``, ``os.system`` or ``os.popen``;
- every write to the file system goes through ``cli.output.atomic_write`` (the build-time
  ``compile`` module, which rewrites the package's own data, is the one exception).

Behaviour: YAML tags that would run code are rejected, a failed write leaves the previous report
whole and no temporary file behind, and no command writes anywhere but the path it was given.
"""

from __future__ import annotations

import ast
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import licencecmp
from tests.conftest import Cli

SRC = Path(licencecmp.__file__).resolve().parent
MODULES = sorted(SRC.rglob("*.py"))
# the MCP server's claim of its stdout (a duplicate of descriptor 1, the protocol wire, not a file)
WRITERS_ALLOWED_IN = {("cli/output.py", "atomic_write"), ("mcp/handshake.py", "start")}
# build time: regenerate src/licencecmp/data/catalogue.json and src/licencecmp/mcp/handshake.json (and scan/records.py)
MODULES_ALLOWED_TO_WRITE = {"data/compile.py", "mcp/compile.py", "scan/gen_records.py"}
UNSAFE_MODULES = {"pickle", "cPickle", "_pickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle",
                  "joblib"}
WRITE_METHODS = {"write_text", "write_bytes", "touch", "mkdir", "unlink", "rename", "rmdir", "symlink_to",
                 "hardlink_to", "chmod"}  # Path methods (not "replace": str.replace is everywhere)
WRITE_FUNCS = {("os", "remove"), ("os", "unlink"), ("os", "rename"), ("os", "replace"), ("os", "mkdir"),
               ("os", "makedirs"), ("os", "rmdir"), ("os", "removedirs"), ("os", "symlink"), ("os", "link"),
               ("os", "chmod"), ("os", "truncate"), ("shutil", "copy"), ("shutil", "copy2"), ("shutil", "copyfile"),
               ("shutil", "copytree"), ("shutil", "move"), ("shutil", "rmtree"), ("tempfile", "mkstemp"),
               ("tempfile", "mkdtemp"), ("tempfile", "NamedTemporaryFile"), ("tempfile", "TemporaryFile"),
               ("tempfile", "TemporaryDirectory")}


def _functions(tree: ast.AST) -> Iterator[tuple[ast.AST, str]]:
    """Every node with the name of the innermost function around it ('' at module level)."""
    def walk(node: ast.AST, func: str) -> Iterator[tuple[ast.AST, str]]:
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else func
            yield child, name
            yield from walk(child, name)

    yield from walk(tree, "")


def _dotted(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _mode(call: ast.Call, position: int) -> str | None:
    for kw in call.keywords:
        if kw.arg == "mode" and isinstance(kw.value, ast.Constant):
            return str(kw.value.value)
    arg = call.args[position] if len(call.args) > position else None
    if isinstance(arg, ast.Constant):
        return str(arg.value)
    return None


def _safe_loader(expr: ast.AST, assignments: dict[str, ast.AST]) -> bool:
    """The Loader argument names only SafeLoader / CSafeLoader (directly or through a local name)."""
    if isinstance(expr, ast.Name) and expr.id in assignments:
        expr = assignments[expr.id]
    names = {n.attr if isinstance(n, ast.Attribute) else n.id
             for n in ast.walk(expr) if isinstance(n, (ast.Attribute, ast.Name))} - {"yaml", "getattr"}
    strings = {n.value for n in ast.walk(expr) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    return bool(names | strings) and (names | strings) <= {"SafeLoader", "CSafeLoader"}


def problems_in(path: Path, base: Path = SRC) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    rel = path.relative_to(base).as_posix()
    out: list[str] = []
    assignments: dict[str, dict[str, ast.AST]] = {}
    for node, func in _functions(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            assignments.setdefault(func, {})[node.targets[0].id] = node.value
    for node, func in _functions(tree):
        where = f"{rel}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                if name.split(".")[0] in UNSAFE_MODULES:
                    out.append(f"{where}: imports {name} (deserialises code)")
            if isinstance(node, ast.ImportFrom) and node.module == "yaml":
                for a in node.names:
                    if a.name in ("load", "full_load", "unsafe_load", "Loader", "FullLoader", "UnsafeLoader",
                                  "load_all", "unsafe_load_all", "full_load_all"):
                        out.append(f"{where}: from yaml import {a.name}")
        if isinstance(node, ast.Attribute) and _dotted(node.value) == "yaml" and node.attr in (
                "full_load", "unsafe_load", "full_load_all", "unsafe_load_all", "Loader", "FullLoader",
                "UnsafeLoader"):
            out.append(f"{where}: yaml.{node.attr}")
        if not isinstance(node, ast.Call):
            continue
        name = _dotted(node.func)
        if name in ("eval", "exec", "compile", "__import__", "builtins.eval", "builtins.exec"):
            out.append(f"{where}: calls {name}()")
        if name in ("os.system", "os.popen", "os.execl", "os.execvp", "os.spawnl"):
            out.append(f"{where}: calls {name}()")
        for kw in node.keywords:
            if kw.arg == "shell" and not (isinstance(kw.value, ast.Constant) and kw.value.value is False):
                out.append(f"{where}: shell=")
        if name in ("yaml.load", "yaml.load_all"):
            loader = next((kw.value for kw in node.keywords if kw.arg == "Loader"),
                          node.args[1] if len(node.args) > 1 else None)
            if loader is None or not _safe_loader(loader, assignments.get(func, {})):
                out.append(f"{where}: {name} without a safe loader")
        # -- writes --------------------------------------------------------------------------
        writes = False
        if name in ("open", "io.open", "os.fdopen", "codecs.open"):
            mode = _mode(node, 1)
            writes = mode is not None and bool(set(mode) & set("wax+"))
        elif isinstance(node.func, ast.Attribute) and node.func.attr == "open" and name != "os.open":
            mode = _mode(node, 0)
            writes = mode is not None and bool(set(mode) & set("wax+"))
        elif name == "os.open":
            flags = {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute)}
            writes = bool(flags & {"O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND"})
        elif isinstance(node.func, ast.Attribute) and node.func.attr in WRITE_METHODS:
            writes = True
        allowed = (rel, func) in WRITERS_ALLOWED_IN or rel in MODULES_ALLOWED_TO_WRITE
        if (tuple(name.split(".")[-2:]) in WRITE_FUNCS or writes) and not allowed:
            out.append(f"{where}: writes to the file system ({name}) outside atomic_write")
    return out


def test_the_rules_catch_what_they_are_meant_to_catch(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import pickle\nimport yaml\nfrom yaml import load\n"
        "def f(p, t, s):\n"
        "    eval(t)\n    yaml.load(t)\n    yaml.load(t, Loader=yaml.Loader)\n    yaml.full_load(t)\n"
        "    loader = yaml.FullLoader\n    yaml.load(t, Loader=loader)\n"
        "    open(p, 'w').write(t)\n    p.write_text(t)\n    subprocess.run(s, shell=True)\n    os.system(s)\n"
        "    os.replace(p, p)\n    tempfile.mkstemp()\n"
        "def g(t):\n    loader = getattr(yaml, 'CSafeLoader', yaml.SafeLoader)\n    yaml.load(t, Loader=loader)\n"
        "    yaml.safe_load(t)\n    open(t, 'rb')\n    t.replace('a', 'b')\n",
        encoding="utf-8")
    found = problems_in(bad, tmp_path)
    text = "\n".join(found)
    for needle in ("imports pickle", "from yaml import load", "calls eval()", "yaml.load without a safe loader",
                   "yaml.Loader", "yaml.full_load", "yaml.FullLoader", "shell=", "calls os.system()",
                   "writes to the file system (open)", "(p.write_text)", "(os.replace)", "(tempfile.mkstemp)"):
        assert needle in text, (needle, found)
    assert not [p for p in found if int(p.split(":")[1]) >= 17], found  # g() is safe


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(SRC).as_posix())
def test_module_is_safe(path: Path) -> None:
    assert problems_in(path) == []


# -- behaviour ----------------------------------------------------------------------------------


def run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> tuple[int, str, str]:
    """The shared ``cli`` fixture in ``cwd``."""
    monkeypatch.chdir(cwd)
    return cli(*args)


def test_yaml_tags_that_would_run_code_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   cli: Cli) -> None:
    marker = tmp_path / "PWNED"
    repo = tmp_path / "repo"
    repo.mkdir()
    payload = f"!!python/object/apply:os.system [\"touch {marker}\"]"
    (repo / "README.md").write_text(f"---\nlicense: mit\nbase_model: {payload}\n---\n# card\n")
    (repo / "bom.spdx.yaml").write_text(f"spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\nname: {payload}\n")
    code, out, _err = run(["check", "repo", "--format", "json", "--no-progress"], tmp_path, monkeypatch, cli)
    assert not marker.exists()
    report = json.loads(out)
    assert code == 2 and {e["path"] for e in report["errors"]} == {"README.md", "bom.spdx.yaml"}, report["errors"]


def _snapshot(*roots: Path) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(root):
            for name in dirnames + filenames:
                p = os.path.join(dirpath, name)
                st = os.lstat(p)
                out[p] = (st.st_size, st.st_mtime_ns)
    return out


REPO_FILES = {
    "app.py": 'm = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B")\n',
    "README.md": "---\nlicense: mit\nbase_model: meta-llama/Llama-3.1-8B\n---\n# card\n",
    "licencecmp.toml": 'actions = ["use", "serve"]\nallow_unknown = true\n',
    "LICENSE": "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n",
}
COMMANDS: list[tuple[list[str], set[str]]] = [  # (argv, the paths it may create or change, relative to cwd)
    (["check", "repo", "--no-progress"], set()),
    (["check", "repo", "--format", "sarif", "--output", "out/report.sarif", "--no-progress"], {"out/report.sarif"}),
    (["check", "repo", "--obligations-only", "--format", "markdown", "--no-progress"], set()),
    (["sbom", "repo"], set()),
    (["sbom", "repo", "--output", "out/models.spdx.json"], {"out/models.spdx.json"}),
    (["identify", "repo/LICENSE"], set()),
    (["can", "llama-3.1", "serve", "--region", "EU"], set()),
    (["compat", "llama-3.1", "mit"], set()),
    (["matrix", "mit", "llama-3.1"], set()),
    (["list"], set()), (["models"], set()), (["show", "mit"], set()), (["schema", "policy"], set()),
    (["compare", "mit", "llama-3.1", "--output", "out/table.md"], {"out/table.md"}),
    (["policy", "init", "out/licencecmp.toml"], {"out/licencecmp.toml"}),
    (["policy", "init", "--pyproject"], set()),
]


@pytest.mark.parametrize(("args", "allowed"), COMMANDS, ids=lambda v: " ".join(v) if isinstance(v, list) else "")
def test_nothing_is_written_but_the_named_output(args: list[str], allowed: set[str], tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 cli: Cli) -> None:
    import tempfile

    cwd, home, tmp = tmp_path / "cwd", tmp_path / "home", tmp_path / "tmp"
    for d in (cwd / "repo", cwd / "out", home, tmp):
        d.mkdir(parents=True)
    for rel, text in REPO_FILES.items():
        (cwd / "repo" / rel).write_text(text, encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    before = _snapshot(tmp_path)
    code, _, err = run(args, cwd, monkeypatch, cli)
    assert code in (0, 1), err
    after = _snapshot(tmp_path)
    changed = {os.path.relpath(p, cwd) for p in set(before) ^ set(after)} | {
        os.path.relpath(p, cwd) for p in before.keys() & after.keys() if before[p] != after[p]}
    changed -= {"out"}  # the output folder's own mtime changes when a file is added to it
    assert changed == allowed


@pytest.mark.parametrize("args", [
    ["check", "repo", "--format", "json", "--output", "report.json", "--no-progress"],
    ["sbom", "repo", "--output", "report.json"],
    ["compare", "mit", "llama-3.1", "--output", "report.json"],
    ["policy", "init", "report.json", "--force"],
])
def test_reports_are_written_atomically(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        cli: Cli) -> None:
    (tmp_path / "repo").mkdir()
    for rel, text in REPO_FILES.items():
        (tmp_path / "repo" / rel).write_text(text, encoding="utf-8")
    target = tmp_path / "report.json"
    target.write_text("the previous report\n")

    def broken_replace(src: str, dst: str) -> None:  # the moment a crash or a full disk would strike
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(os, "replace", broken_replace)
        code, _, err = run(args, tmp_path, monkeypatch, cli)
    assert code == 2 and "No space left on device" in err and len(err.splitlines()) == 1, err
    assert target.read_text() == "the previous report\n"  # never half-written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "report.json"]  # no temporary file left
    code, _, err = run(args, tmp_path, monkeypatch, cli)
    assert code in (0, 1), err
    assert target.read_text() != "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["repo", "report.json"]


def test_output_into_a_missing_folder_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        cli: Cli) -> None:
    (tmp_path / "repo").mkdir()
    code, _, err = run(["check", "repo", "--output", "no/such/dir/r.json", "--no-progress"], tmp_path, monkeypatch,
                       cli)
    assert code == 2 and len(err.splitlines()) == 1 and "does not exist" in err
    assert not (tmp_path / "no").exists()
