"""Adopting the gate on a large repository (issue 22): an overview first, a baseline, a
pull-request mode, and a proposed starter policy, on a repository of 300 models of mixed status."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from licencecmp.scan.policy import load_policy
from tests.conftest import Cli
from tests.scan.adoption_repo import build

GIT_ENV = {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.invalid", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.invalid"}


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    for var in ("HF_HUB_OFFLINE", "LICENCECMP_ONLINE", "HF_TOKEN"):
        monkeypatch.delenv(var, raising=False)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, env={**os.environ, **GIT_ENV},
                   stdin=subprocess.DEVNULL, capture_output=True)


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("adopt") / "repo"
    build(root, 300)
    return root


def _fresh(big_repo: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(big_repo), str(repo)], check=True, env={**os.environ, **GIT_ENV},
                   stdin=subprocess.DEVNULL, capture_output=True)
    return repo


def _brief_failures(out: str) -> list[str]:
    return [line for line in out.splitlines() if ": error " in line]


def test_the_overview_fits_one_screen(cli: Cli, big_repo: Path) -> None:
    code, out, _ = cli("check", str(big_repo), "--no-progress")
    assert code == 1
    lines = out.splitlines()
    details = next(i for i, line in enumerate(lines) if line.startswith("Details of "))
    assert details <= 40, "\n".join(lines[:details])
    head = " ".join(" ".join(lines[:details]).split())  # (wrapped lines joined)
    assert "Summary: 300 model(s): 228 failing, 72 passing" in head
    assert "204 unknown-licence (204 model(s)): 123 in tests/, 51 in examples/, 21 in docs/" in head
    assert "most from hf-internal-testing (31)" in head
    # the refused models come from the registry: which of them need a grant and which are prohibited
    # outright follows its data, their sum does not
    refused = {kind: int(n) for kind, n in re.findall(r"(needs-permission|prohibited) \((\d+)\):", head)}
    assert "Failures by kind (231):" in head and sum(refused.values()) == 24 and refused["needs-permission"] > 0
    # each kind's explanation once, never once per model
    assert head.count("to clear: name the licence") == 1 and out.count("lock --online`, exclude") == 1
    # the detail is behind --verbose; brief stays one line per finding
    code, verbose, _ = cli("check", str(big_repo), "--no-progress", "--verbose")
    assert code == 1 and sum(line.endswith("  FAIL") for line in verbose.splitlines()) == 228
    assert "Passing (72):" in verbose
    code, brief, _ = cli("check", str(big_repo), "--no-progress", "--format", "brief")
    assert len(_brief_failures(brief)) == 231 and len(brief.splitlines()) == 232


def test_three_commands_to_green_then_a_pull_request_fails_on_exactly_its_model(
        cli: Cli, big_repo: Path, tmp_path: Path) -> None:
    repo = _fresh(big_repo, tmp_path)
    assert cli("check", str(repo), "--no-progress")[0] == 1  # 1. the first run
    code, out, _ = cli("baseline", str(repo))  # 2. accept today's state
    assert code == 0 and "231 failing finding(s) of 228 model(s)" in out
    code, out, _ = cli("check", str(repo), "--no-progress")  # 3. green
    assert code == 0, out
    assert "Summary: 300 model(s): 228 known (baseline), 72 passing" in out
    assert "231 known finding(s) (not failing), 0 new" in out
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "baseline")
    git(repo, "checkout", "-qb", "pr")
    (repo / "src" / "app" / "new_feature.py").write_text(
        'from transformers import AutoModel\n\nm = AutoModel.from_pretrained("newcorp/brand-new-model")\n')
    with (repo / "src" / "app" / "serve_001.py").open("a") as f:
        f.write("# an unrelated edit\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "a new model")
    for args in ((), ("--since", "main")):
        code, out, _ = cli("check", str(repo), "--no-progress", "--format", "brief", *args)
        assert code == 1
        (line,) = _brief_failures(out)
        assert line.startswith("src/app/new_feature.py:3:") and " unknown-licence newcorp/brand-new-model " in line
    code, out, _ = cli("check", str(repo), "--no-progress", "--since", "main", "--format", "json")
    data = json.loads(out)
    assert [m["model"] for m in data["models"]] == ["newcorp/brand-new-model"] and data["since"] == "main"
    assert data["baseline"]["fixed"] == []  # models not judged are not "fixed"


def test_the_baseline_is_stable_keyed_by_model_and_kind_and_never_scanned(
        cli: Cli, big_repo: Path, tmp_path: Path) -> None:
    repo = _fresh(big_repo, tmp_path)
    assert cli("baseline", str(repo))[0] == 0
    path = repo / "licencecmp-baseline.toml"
    first = path.read_text()
    assert cli("baseline", str(repo))[0] == 0 and path.read_text() == first
    assert "line =" not in first and "[[finding]]" in first
    # lines added above a known finding: still known
    test_file = repo / "tests" / "models" / "test_model_000.py"
    test_file.write_text("import os\nimport sys\n\n" + test_file.read_text())
    code, out, _ = cli("check", str(repo), "--no-progress", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["summary"]["models"] == 300  # the baseline names models, and is not scanned
    assert data["summary"]["known"] == 228 and data["baseline"]["new"] == 0
    assert all(f["baseline"] for f in data["findings"] if f["level"] == "error")
    # one fixed: noted so that the baseline can shrink
    test_file.unlink()
    code, out, _ = cli("check", str(repo), "--no-progress", "--format", "json")
    fixed = json.loads(out)["baseline"]["fixed"]
    assert code == 0 and fixed == ["unknown-licence hf-internal-testing/tiny-random-model-000"]
    # --no-baseline: everything fails again
    assert cli("check", str(repo), "--no-progress", "--no-baseline")[0] == 1


def test_baseline_named_in_the_policy_or_on_the_command_line(cli: Cli, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "ci").mkdir(parents=True)
    (repo / "app.py").write_text('m = AutoModel.from_pretrained("acme/unknown-model")\n')
    (repo / "licencecmp.toml").write_text('baseline = "ci/accepted.toml"\n')
    code, _, err = cli("check", str(repo), "--no-progress")
    assert code == 2 and "ci/accepted.toml" in err and "does not exist" in err
    code, out, _ = cli("baseline", str(repo))
    assert code == 0 and (repo / "ci" / "accepted.toml").is_file()
    assert cli("check", str(repo), "--no-progress")[0] == 0
    other = tmp_path / "other.toml"
    other.write_text("version = 1\n")
    code, out, _ = cli("check", str(repo), "--no-progress", "--baseline", str(other), "--format", "brief")
    assert code == 1 and "acme/unknown-model" in out
    other.write_text('version = 1\n[[finding]]\nmodel = "x"\nkind = "unknown-licence"\nline = 3\n')
    code, _, err = cli("check", str(repo), "--no-progress", "--baseline", str(other))
    assert code == 2 and "unknown key 'line'" in err


@pytest.mark.parametrize("rev", ["--output=/tmp/x", "no-such-branch", "main bad", "-"])
def test_since_takes_a_revision_never_an_option(cli: Cli, big_repo: Path, rev: str) -> None:
    code, out, err = cli("check", str(big_repo), "--no-progress", f"--since={rev}")
    assert code == 2 and not out and "--since" in err


def test_since_runs_no_command_the_repository_configures(cli: Cli, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "a.py").write_text('m = AutoModel.from_pretrained("acme/old-model")\n')
    (repo / ".gitattributes").write_text("*.py diff=evil\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    pwned = tmp_path / "PWNED"
    for key, value in (("diff.external", f"touch {pwned}"), ("diff.evil.command", f"touch {pwned}"),
                       ("diff.evil.textconv", f"touch {pwned};cat"), ("core.pager", f"touch {pwned}"),
                       ("core.fsmonitor", f"touch {pwned}")):
        git(repo, "config", key, value)
    (repo / "a.py").write_text('m = AutoModel.from_pretrained("acme/old-model")\n'
                               'n = AutoModel.from_pretrained("acme/new-model")\n')
    code, out, err = cli("check", str(repo), "--no-progress", "--since", "main", "--format", "brief")
    assert not pwned.exists()
    assert code == 1 and "acme/new-model" in out and "acme/old-model" not in out, err


def test_policy_init_from_scan_proposes_and_writes_only_on_request(
        cli: Cli, big_repo: Path, tmp_path: Path) -> None:
    repo = _fresh(big_repo, tmp_path)
    target = repo / "licencecmp.toml"
    code, out, err = cli("policy", "init", str(target), "--from-scan")
    assert code == 0 and not target.exists() and "--write" in err
    assert '"/tests/",  # removes 123 model(s), 123 failing' in out
    assert '"/examples/",  # removes 51 model(s), 51 failing' in out and '"/docs/",' in out
    assert "# Models to decide on (33)" in out and out.count("# [[waivers]]") == 33
    assert "# expires = " in out
    code, out, _ = cli("policy", "init", str(target), "--from-scan", "--write")
    assert code == 0 and target.is_file()
    policy, _ = load_policy(target)
    assert policy.exclude == ["/tests/", "/examples/", "/docs/"]
    # the pyproject.toml of the repository has a policy too: name this one
    code, out, _ = cli("check", str(repo), "--no-progress", "--policy", str(target), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["summary"]["failed"] == 33


def test_a_pull_request_cannot_accept_its_own_findings(cli: Cli, big_repo: Path, tmp_path: Path) -> None:
    repo = _fresh(big_repo, tmp_path)
    assert cli("baseline", str(repo))[0] == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "baseline")
    git(repo, "checkout", "-qb", "pr")
    (repo / "src" / "app" / "sneaky.py").write_text('m = AutoModel.from_pretrained("newcorp/sneaky-model")\n')
    assert cli("baseline", str(repo))[0] == 0  # the branch re-baselines to hide its new model
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "sneak")
    assert cli("check", str(repo), "--no-progress")[0] == 0  # the whole tree, its own baseline: green
    code, out, err = cli("check", str(repo), "--no-progress", "--since", "main", "--format", "brief")
    assert code == 1 and "newcorp/sneaky-model" in out and "1 baseline entry added since main" in err


def test_check_help_describes_discovery_by_shape(cli: Cli) -> None:
    code, out, _ = cli("check", "--help")
    text = " ".join(out.split())
    assert code == 0 and "by the shape of their references" in text and "whether or not the registry" in text
    assert "known to the registry)" not in text and "--baseline" in text and "--since" in text


def test_since_finds_changes_in_files_whose_names_git_quotes(cli: Cli, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    (repo / "README.md").write_text("x\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "one")
    git(repo, "checkout", "-qb", "pr")
    (repo / "d ir").mkdir()
    (repo / "d ir" / 'é "q".py').write_text('m = AutoModel.from_pretrained("acme/quoted-a")\n')
    (repo / "nl\nname.py").write_text('m = AutoModel.from_pretrained("acme/newline-b")\n')
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "two")
    (repo / "untracked é.py").write_text('m = AutoModel.from_pretrained("acme/untracked-c")\n')
    code, out, _ = cli("check", str(repo), "--no-progress", "--since", "main", "--format", "json")
    assert code == 1 and sorted(m["model"] for m in json.loads(out)["models"]) == [
        "acme/newline-b", "acme/quoted-a", "acme/untracked-c"]
    code, out, _ = cli("check", str(repo / "d ir"), "--no-progress", "--since", "main", "--format", "json")
    assert code == 1 and [m["model"] for m in json.loads(out)["models"]] == ["acme/quoted-a"]
