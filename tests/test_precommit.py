"""The pre-commit hook (.pre-commit-hooks.yaml), run through `pre-commit try-repo` on a sample
repository: it fails the commit on a violation and passes once the policy allows what is done.

pre-commit installs licencecmp from this repository into its own virtual environment (from PyPI
for the dependencies), so this test is slow; it is marked `slow`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.check.support import git_init, need, python_app

ROOT = Path(__file__).resolve().parents[1]


def test_hook_definition_is_well_formed() -> None:
    import yaml

    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "licencecmp-check" and hook["entry"].split()[:2] == ["licencecmp", "check"]
    assert hook["language"] == "python" and hook["pass_filenames"] is False and hook["always_run"] is True


@pytest.mark.slow
def test_pre_commit_try_repo(tmp_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="pre-commit is in the test extra")
    need("meta-llama/Llama-3.1-8B", "Qwen/Qwen2.5-72B-Instruct")
    repo = python_app(tmp_path / "sample", 'mau = 800_000_000\nactions = ["commercial-use"]\n')
    git_init(repo)
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1",
           "NO_COLOR": "1"}
    env.pop("LICENCECMP_DATA", None)

    def try_repo() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "licencecmp-check", "--all-files",
             "--verbose"],
            cwd=repo, env=env, capture_output=True, text=True, timeout=900, check=False,
        )

    failed = try_repo()
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "licencecmp check (model licences)" in failed.stdout and "Failed" in failed.stdout
    assert "needs-permission" in failed.stdout and "app/main.py" in failed.stdout

    (repo / "licencecmp.toml").write_text('mau = 1_000\nactions = ["commercial-use"]\n')
    subprocess.run(["git", "-C", str(repo), "commit", "-qam", "smaller"], check=True, capture_output=True)
    passed = try_repo()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Passed" in passed.stdout and "Result: OK" in passed.stdout
