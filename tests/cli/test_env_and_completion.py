"""`licencecmp env` (what a bug report needs) and shell completion (issue 23 §3)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import licencecmp

from ..conftest import Cli


def test_env_json_names_versions_catalogue_cache_online_and_policy(tmp_path: Path, cli: Cli,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "hub"
    (cache / "models--acme--x").mkdir(parents=True)
    monkeypatch.setenv("HF_HUB_CACHE", str(cache))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("LICENCECMP_ONLINE", raising=False)
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "licencecmp.toml").write_text("online = true\n", encoding="utf-8")
    code, out, err = cli("env", str(tmp_path / "proj"), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["licencecmp"] == licencecmp.__version__
    assert report["packages"]["pydantic"]
    assert report["catalogue"]["licences"] == len(licencecmp.catalogue().ids())
    assert report["catalogue"]["models"] == len(licencecmp.catalogue().models())
    assert report["hf_cache"] == {"path": str(cache), "exists": True, "models": 1}
    assert report["policy"]["path"] == str((tmp_path / "proj" / "licencecmp.toml").resolve())
    assert report["online"]["online"] is True and "online = true" in report["online"]["why"]


def test_env_says_why_it_is_offline(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "none"))
    code, out, _ = cli("env", str(tmp_path))
    assert code == 0
    assert "HF_HUB_OFFLINE" in out and "not found" in out and "none found" in out


def test_env_reports_a_broken_policy_instead_of_failing(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "licencecmp.toml").write_text("online = [\n", encoding="utf-8")
    code, out, _ = cli("env", str(tmp_path), "--format", "json")
    assert code == 0 and "error" in json.loads(out)["policy"]


def test_completion_is_offered(cli: Cli) -> None:
    code, out, _ = cli("--help")
    assert code == 0 and "--install-completion" in out and "--show-completion" in out


def test_completion_answers_through_the_entry_point() -> None:
    """The shell calls the program with no arguments and the words in the environment: the fast
    path steps aside and click completes."""
    env = {**os.environ, "_LICENCECMP_COMPLETE": "complete_bash", "COMP_WORDS": "licencecmp com",
           "COMP_CWORD": "1"}
    code = "import sys; sys.argv[0] = 'licencecmp'; from licencecmp.cli import main; main([])"
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert set(done.stdout.split()) >= {"compat", "compare", "combine"}
