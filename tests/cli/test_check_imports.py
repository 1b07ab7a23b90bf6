"""An import-graph contract, not a timing: ``licencecmp check`` on a tree with a well-formed policy (a
``licencecmp.toml`` or ``[tool.licencecmp]`` in ``pyproject.toml``) or without one never imports
``pydantic.main`` (whose import costs about as much as the rest of the start-up): the policy is read by the
fast validator and the report is plain records written without pydantic (scan/policy_plain.py,
scan/report_plain.py). A planted import (the policy handed to pydantic) is detected, so the test can fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Runs the CLI as `python -m licencecmp` does and says at exit whether pydantic.main was imported.
_HARNESS = """
import atexit, runpy, sys
atexit.register(lambda: sys.stderr.write("\\npydantic.main loaded: %s\\n" % ("pydantic.main" in sys.modules)))
if sys.argv[1] == "plant":  # a planted import: the fast validator proves nothing, pydantic validates
    import licencecmp.scan.policy_plain as plain
    plain.fast_validate = lambda spec, data: None
sys.argv = ["licencecmp", *sys.argv[2:]]
runpy.run_module("licencecmp", run_name="__main__", alter_sys=True)
"""

_POLICY = """actions = ["use", "commercial-use", "serve"]
allow_unknown = true
mau = 1_000_000
domicile = "DE"
deny = { kinds = ["non-commercial"] }

[[waivers]]
licence = "llama-3.1"
reason = "Written permission"
expires = 2099-12-31
"""


def _tree(root: Path, policy: str | None) -> Path:
    root.mkdir()
    (root / "app.py").write_text('from transformers import AutoModel\n'
                                 'AutoModel.from_pretrained("meta-llama/Llama-3.1-8B-Instruct")\n'
                                 'AutoModel.from_pretrained("someone/unknown-model")\n', encoding="utf-8")
    (root / "README.md").write_text("# demo\nUses mistralai/Mistral-7B-v0.1.\n", encoding="utf-8")
    if policy == "toml":
        (root / "licencecmp.toml").write_text(_POLICY, encoding="utf-8")
    elif policy == "pyproject":
        (root / "pyproject.toml").write_text('[project]\nname = "demo"\n\n[tool.licencecmp]\n' + _POLICY,
                                             encoding="utf-8")
    return root


def _loaded(tree: Path, *args: str, plant: bool = False) -> tuple[bool, subprocess.CompletedProcess[str]]:
    src = Path(__file__).resolve().parents[2] / "src"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])}
    env.pop("LICENCECMP_ONLINE", None)
    done = subprocess.run([sys.executable, "-c", _HARNESS, "plant" if plant else "-", "check", str(tree), *args],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL, timeout=120)
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("pydantic.main loaded: "), done.stderr
    return last.endswith("True"), done


@pytest.mark.parametrize("policy", ["toml", "pyproject", None])
@pytest.mark.parametrize("args", [(), ("--format", "json"), ("--format", "json", "--explain", "--no-progress"),
                                  ("--format", "text", "--verbose", "--include-comments")],
                         ids=["text", "json", "json-explain", "text-verbose"])
def test_check_never_imports_pydantic_models(tmp_path: Path, policy: str | None, args: tuple[str, ...]) -> None:
    tree = _tree(tmp_path / "tree", policy)
    loaded, done = _loaded(tree, *args)
    assert done.returncode in (0, 1), done.stderr
    assert done.stdout  # a report was written
    assert not loaded, "licencecmp check imported pydantic.main"


def test_a_planted_import_is_detected(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "tree", "toml")
    loaded, done = _loaded(tree, "--format", "json", plant=True)
    assert done.returncode in (0, 1), done.stderr
    assert loaded


def test_a_malformed_policy_still_gets_pydantic_s_message(tmp_path: Path) -> None:
    """What the fast validator cannot prove goes to pydantic: the same one-line exit-2 error."""
    tree = _tree(tmp_path / "tree", None)
    (tree / "licencecmp.toml").write_text('mau = true\n', encoding="utf-8")
    loaded, done = _loaded(tree, "--format", "json")
    assert done.returncode == 2
    assert "licencecmp.toml:1: mau: Input should be a valid integer (got True)" in done.stderr
    assert loaded
