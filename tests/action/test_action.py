"""The GitHub Action (action.yml), run as a runner would run it: each `run` step of the composite
action executes in bash, in a temporary git repository, with the GITHUB_* variables set and the
inputs substituted into the steps' `env`. The install step installs licencecmp from this checkout
into a fresh virtual environment (offline: the dependencies come from the test's own environment),
so the test is slow. The `uses:` step (actions/setup-python) is the runner's business and is skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..fixtures.check.support import git_init, need, python_app

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return data


def test_action_definition() -> None:
    a = action()
    assert a["runs"]["using"] == "composite"
    assert set(a["inputs"]) >= {"path", "policy", "format", "online", "fail-on"}
    assert set(a["outputs"]) >= {"report", "verdict", "sarif"}
    runs = [s["run"] for s in a["runs"]["steps"] if "run" in s]
    calls = [line for r in runs for line in r.splitlines() if re.search(r"-m licencecmp\b|^\s*licencecmp\s", line)]
    assert len(calls) == 1 and any(re.match(r"\s*args=\(check ", line) for r in runs for line in r.splitlines()), \
        "check must run once"
    for step in a["runs"]["steps"]:  # inputs reach the scripts through env only (no injection into bash)
        assert "${{" not in step.get("run", "")


def python_env(tmp: Path) -> Path:
    """A virtual environment whose dependencies are this environment's, without licencecmp."""
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
    deps = tmp / "deps"
    deps.mkdir()
    site = next(Path(p) for p in sys.path if p.endswith("site-packages") and (Path(p) / "pydantic").is_dir())
    for entry in site.iterdir():
        if "licencecmp" in entry.name or entry.suffix == ".pth" or entry.name in ("pip", "setuptools"):
            continue
        (deps / entry.name).symlink_to(entry)
    venv_site = next(venv.glob("lib/python*/site-packages"))
    (venv_site / "deps.pth").write_text(str(deps) + "\n", encoding="utf-8")
    return venv / "bin"


def run_action(repo: Path, tmp: Path, bindir: Path, inputs: dict[str, str], event_base: str = "") -> dict[str, Any]:
    a = action()
    values = {k: str(v.get("default", "")) for k, v in a["inputs"].items()} | inputs
    temp = tmp / "runner-temp"
    shutil.rmtree(temp, ignore_errors=True)
    temp.mkdir()
    output, summary = temp / "output.txt", temp / "summary.md"
    output.touch()
    summary.touch()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "LICENCECMP_", "GITHUB_", "VIRTUAL"))}
    env |= {"PATH": f"{bindir}{os.pathsep}{env['PATH']}", "GITHUB_ACTIONS": "true", "CI": "true",
            "GITHUB_WORKSPACE": str(repo), "GITHUB_ACTION_PATH": str(ROOT), "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(temp), "GITHUB_REPOSITORY": "acme/app",
            "GITHUB_SHA": "0" * 40, "GITHUB_REF": "refs/heads/main",
            "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0", "PIP_NO_DEPS": "1"}

    def expand(text: str) -> str:
        text = text.replace("${{ github.action_path }}", str(ROOT))
        text = re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m.group(1)], text)
        text = text.replace("${{ github.action_repository }}", "acme/licencecmp")
        text = text.replace("${{ github.action_ref }}", "a" * 40)
        return text.replace("${{ github.event.pull_request.base.sha }}", event_base)  # a push: no base

    logs, code = [], 0
    for step in a["runs"]["steps"]:
        if "run" not in step:
            continue
        step_env = env | {k: expand(str(v)) for k, v in (step.get("env") or {}).items()}
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=step_env, capture_output=True,
                              text=True, timeout=600, check=False)
        logs.append(done.stdout + done.stderr)
        code = done.returncode
        if code:
            break
    outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
    return {"code": code, "log": "\n".join(logs), "outputs": outputs,
            "summary": summary.read_text(encoding="utf-8")}


def test_action_steps_in_a_repository(tmp_path: Path) -> None:
    need("meta-llama/Llama-3.1-8B", "Qwen/Qwen2.5-72B-Instruct")
    bindir = python_env(tmp_path)
    repo = python_app(tmp_path / "repo", 'mau = 800_000_000\nactions = ["commercial-use"]\n')
    git_init(repo)

    failing = run_action(repo, tmp_path, bindir, {})
    assert failing["code"] == 1, failing["log"]
    out = failing["outputs"]
    assert out["verdict"] == "fail" and out["exit-code"] == "1"
    assert out["report"] == out["sarif"] and out["sarif"].endswith(".sarif")
    sarif = json.loads(Path(out["sarif"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert any(r["ruleId"] == "needs-permission" for r in results)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}  # the project's own docs page
    assert rules["needs-permission"]["helpUri"] == \
        f"https://github.com/acme/licencecmp/blob/{'a' * 40}/docs/rules.md#needs-permission"
    assert "pypi.org" not in json.dumps(sarif) and (ROOT / "docs" / "rules.md").is_file()
    assert "## needs-permission" in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"] for r in results for loc in r.get("locations", [])}
    assert uris and all((repo / u).is_file() for u in uris)
    assert "needs-permission" in failing["summary"] and failing["summary"].lstrip().startswith("#")
    assert re.search(r"^::error file=[^,]+,line=\d+", failing["log"], re.MULTILINE)
    # the installed licencecmp is the one from this checkout, in the fresh environment
    installed = subprocess.run([str(bindir / "python"), "-c", "import licencecmp; print(licencecmp.__file__)"],
                               capture_output=True, text=True, check=True, env={"PATH": os.environ["PATH"]})
    assert installed.stdout.startswith(str(tmp_path / "venv"))

    (repo / "licencecmp.toml").write_text('mau = 1000\nactions = ["commercial-use"]\n', encoding="utf-8")
    passing = run_action(repo, tmp_path, bindir, {"format": "junit"})
    assert passing["code"] == 0, passing["log"]
    assert passing["outputs"]["verdict"] in ("pass", "warn") and passing["outputs"]["report"].endswith(".xml")
    assert "<testsuite" in Path(passing["outputs"]["report"]).read_text(encoding="utf-8")

    (repo / "licencecmp.toml").write_text('mau = 800_000_000\nactions = ["commercial-use"]\n', encoding="utf-8")
    report_only = run_action(repo, tmp_path, bindir, {"fail-on": "never", "format": "markdown"})
    assert report_only["code"] == 0 and report_only["outputs"]["verdict"] == "fail"

    brief = run_action(repo, tmp_path, bindir, {"format": "brief"})  # issue 22: exited 2 with no outputs
    assert brief["code"] == 1 and brief["outputs"]["verdict"] == "fail", brief["log"]
    assert brief["outputs"]["report"].endswith(".txt") and brief["outputs"]["sarif"].endswith(".sarif")
    assert "Result: FAIL" in Path(brief["outputs"]["report"]).read_text(encoding="utf-8")

    bad = run_action(repo, tmp_path, bindir, {"format": "pdf", "fail-on": "sometimes"})
    assert bad["code"] == 2 and bad["outputs"]["verdict"] == "error" and bad["outputs"]["exit-code"] == "2"
    assert "::error title=licencecmp input::format: 'pdf'" in bad["log"] and "fail-on: 'sometimes'" in bad["log"]
    assert not (tmp_path / "runner-temp" / "licencecmp" / "report.json").exists()  # nothing ran

    (repo / "licencecmp.toml").write_text("mau = -1\n", encoding="utf-8")
    broken = run_action(repo, tmp_path, bindir, {"fail-on": "never"})
    assert broken["code"] == 2 and broken["outputs"]["verdict"] == "error"
    assert "licencecmp.toml" in broken["summary"]


def _script() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("github_action", ROOT / "scripts" / "github_action.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_check_format_is_a_valid_input(tmp_path: Path) -> None:
    from licencecmp.render.report import REPORT_FORMATS

    script = _script()
    assert set(script.SUFFIX) == set(REPORT_FORMATS)
    base = {"INPUT_PATH": str(tmp_path), "INPUT_FAIL_ON": "error", "INPUT_ONLINE": "false"}
    for fmt in REPORT_FORMATS:
        assert script.input_problems({**base, "INPUT_FORMAT": fmt}) == []
    assert a_default_since_is_the_pull_request_base()


def a_default_since_is_the_pull_request_base() -> bool:
    return bool(action()["inputs"]["since"]["default"] == "${{ github.event.pull_request.base.sha }}")


@pytest.mark.parametrize(("name", "value", "says"), [
    ("INPUT_FORMAT", "pdf", "format: 'pdf'"), ("INPUT_FAIL_ON", "sometimes", "fail-on"),
    ("INPUT_ONLINE", "yes", "online"), ("INPUT_PATH", "no/such/folder", "path"),
    ("INPUT_POLICY", "missing.toml", "policy"), ("INPUT_SINCE", "--upload-pack=evil", "since"),
    ("INPUT_SINCE", "main\n::error::x", "since"),
])
def test_a_bad_input_is_refused_before_anything_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str], name: str, value: str,
                                                     says: str) -> None:
    script = _script()
    output = tmp_path / "output.txt"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    env = {"INPUT_PATH": ".", "INPUT_FORMAT": "sarif", "INPUT_FAIL_ON": "error", "INPUT_ONLINE": "false", name: value}
    assert script.validate(env) == 2
    out = capsys.readouterr().out
    assert out.startswith("::error title=licencecmp input::") and says in out
    assert len(out.splitlines()) == 1  # an input cannot start a workflow command of its own
    assert "verdict=error" in output.read_text(encoding="utf-8")
