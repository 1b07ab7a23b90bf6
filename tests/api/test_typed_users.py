"""A typed user's view of the package: ``mypy --strict`` on a user's script that uses every exported
function passes with no configuration of ours, every name in ``__all__`` is explicitly exported, and
a type checker rejects a misspelled or mistyped scenario fact (issue 23 §2)."""

from __future__ import annotations

import ast
import os
import re
import runpy
import subprocess
import sys
from pathlib import Path

import pytest

import licencecmp

ROOT = Path(__file__).resolve().parents[2]
TYPED = Path(__file__).with_name("typed")


def _mypy(*files: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy", reason="mypy is not installed (pip install -e '.[lint]')")
    # --follow-imports=silent: licencecmp is read for its types, its own errors are not the user's (as
    # for an installed package); no config file of ours, so nothing of pyproject.toml helps.
    args = [sys.executable, "-m", "mypy", "--strict", "--config-file", os.devnull, "--no-incremental",
            "--follow-imports", "silent", "--no-error-summary", "--show-error-codes", *map(str, files)]
    env = {**os.environ, "MYPYPATH": str(ROOT / "src")}
    return subprocess.run(args, capture_output=True, text=True, timeout=900, cwd=cwd, env=env, check=False)


def test_all_is_a_literal_list_of_every_lazy_export() -> None:
    tree = ast.parse((ROOT / "src" / "licencecmp" / "__init__.py").read_text(encoding="utf-8"))
    literal = next(node.value for node in tree.body if isinstance(node, ast.Assign)
                   and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets))
    assert isinstance(literal, ast.List), "__all__ must be a literal list: type checkers cannot read a computed one"
    names = [ast.literal_eval(e) for e in literal.elts]
    assert names == licencecmp.__all__
    for name in names:
        assert getattr(licencecmp, name) is not None


def test_mypy_strict_passes_on_a_user_script_and_rejects_wrong_facts(tmp_path: Path) -> None:
    script = TYPED / "user_script.py"
    used = set(re.findall(r"licencecmp\.(\w+)", script.read_text(encoding="utf-8")))
    used |= {n.strip() for n in re.search(r"from licencecmp import \((.*?)\)", script.read_text(encoding="utf-8"),
                                           re.S).group(1).split(",") if n.strip()}  # type: ignore[union-attr]
    functions = {n for n in licencecmp.__all__ if callable(getattr(licencecmp, n))
                 and not isinstance(getattr(licencecmp, n), type)}
    assert functions <= used, f"the user script leaves out {sorted(functions - used)}"

    wrong = tmp_path / "wrong_facts.py"  # kept as .txt so that the project's own mypy run does not read it
    wrong.write_text((TYPED / "wrong_facts.txt").read_text(encoding="utf-8"), encoding="utf-8")
    done = _mypy(script, wrong, cwd=tmp_path)
    errors = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert not [e for e in errors if "user_script.py" in e], done.stdout
    expected = [n for n, line in enumerate(wrong.read_text(encoding="utf-8").splitlines(), 1) if "# E:" in line]
    flagged = sorted({int(e.split(":")[1]) for e in errors if "wrong_facts.py" in e})
    assert flagged == expected, done.stdout
    assert not [e for e in errors if "user_script.py" not in e and "wrong_facts.py" not in e], done.stdout


def test_the_user_script_runs() -> None:
    runpy.run_path(str(TYPED / "user_script.py"), run_name="__main__")


def test_wrong_facts_fail_at_run_time_too() -> None:
    with pytest.raises(licencecmp.ScenarioError, match="mau"):
        licencecmp.can("llama-3.1", "commercial-use", mau="800M")  # type: ignore[arg-type]
    with pytest.raises(licencecmp.ScenarioError, match="did you mean 'mau'"):
        licencecmp.can("llama-3.1", "commercial-use", muu=5)  # type: ignore[call-arg]
