"""`licencecmp lock` and `check --locked` (issue 15): lock --online against a loopback Hub, then
check offline with nothing unknown, and fail once a new model appears or one goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.scan.hubstub import hub_stub, model_json
from tests.scan.repos import write

APP = {
    "app.py": 'a = AutoModel.from_pretrained("acme/on-hub")\nb = pipeline("t", model="acme/unknown-one")\n'
              'c = AutoModel.from_pretrained("bartowski/Llama-3.2-3B-Instruct-GGUF")\n',
}


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    for var in ("HF_HUB_OFFLINE", "LICENCECMP_ONLINE", "HF_TOKEN"):
        monkeypatch.delenv(var, raising=False)


def _json(out: str) -> dict:  # type: ignore[type-arg]
    data: dict = json.loads(out)  # type: ignore[type-arg]
    return data


def test_lock_online_then_check_locked_offline(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repo = write(tmp_path / "repo", APP)
    code, out, _ = cli("check", str(repo), "--format", "json", "--no-progress")
    assert code == 1  # two models unknown offline
    answers = {"acme/on-hub": (200, model_json("acme/on-hub", "apache-2.0", sha="d" * 40), 0.0),
               "acme/unknown-one": (200, model_json("acme/unknown-one", "mit"), 0.0)}
    with hub_stub(answers) as (url, seen):
        monkeypatch.setenv("HF_ENDPOINT", url)
        code, out, err = cli("lock", str(repo), "--online")
        assert code == 0, err
        assert {"/api/models/acme/on-hub", "/api/models/acme/unknown-one"} <= set(seen)
    lock = (repo / "licencecmp.lock").read_text()
    assert lock.startswith("# licencecmp.lock") and 'sha = "' + "d" * 40 + '"' in lock
    assert 'resolution = "hub"' in lock and 'resolution = "inferred"' in lock
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    code, out, _ = cli("check", str(repo), "--locked", "--format", "json", "--no-progress")
    data = _json(out)
    assert code == 0 and {m["resolution"] for m in data["models"]} == {"lock"}
    assert data["lock"] == "licencecmp.lock"
    # a new model appears: --locked fails with lock-stale
    (repo / "new.py").write_text('m = AutoModel.from_pretrained("acme/brand-new")\n')
    code, out, _ = cli("check", str(repo), "--locked", "--format", "brief", "--no-progress")
    assert code == 1 and "lock-stale acme/brand-new" in out
    # and one goes: the lock lists a model no longer used
    (repo / "new.py").unlink()
    (repo / "app.py").write_text('a = AutoModel.from_pretrained("acme/on-hub")\n')
    code, out, _ = cli("check", str(repo), "--locked", "--format", "brief", "--no-progress")
    assert code == 1 and "lock-stale acme/unknown-one" in out


def test_lock_keeps_what_it_cannot_re_resolve(cli: Cli, tmp_path: Path) -> None:
    repo = write(tmp_path / "repo", {"app.py": 'a = AutoModel.from_pretrained("acme/pinned")\n',
                                     "licencecmp.lock": 'version = 1\n[[model]]\nid = "acme/pinned"\n'
                                     'licences = ["mit"]\nresolution = "hub"\nupstream = []\n'})
    code, out, _ = cli("lock", str(repo))
    assert code == 0 and "kept: acme/pinned" in out
    assert 'licences = ["mit"]' in (repo / "licencecmp.lock").read_text()


def test_check_finds_the_policy_above_and_comments_on_request(cli: Cli, tmp_path: Path) -> None:
    repo = write(tmp_path / "repo", {"licencecmp.toml": 'unknown = "warn"\n',
                                     "svc/app.py": 'a = AutoModel.from_pretrained("acme/x")  # was acme/y: '
                                                   'from_pretrained("acme/old")\n'})
    (repo / ".git").mkdir()
    code, out, _ = cli("check", str(repo / "svc"), "--format", "json", "--no-progress", "--include-comments")
    data = _json(out)
    assert code == 0 and data["policy"] and data["models"][0]["status"] == "warn"
    assert [m["model"] for m in data["mentions"]] == ["acme/old"]


def test_default_excludes_outside_git(cli: Cli, tmp_path: Path) -> None:
    files = {f"{d}/m.py": 'AutoModel.from_pretrained("acme/hidden")\n'
             for d in ("node_modules/x", ".venv", "venv", "build", "dist", "__pycache__", ".tox", "env2")}
    files["env2/pyvenv.cfg"] = "home = /usr\n"
    files["app.py"] = 'AutoModel.from_pretrained("acme/seen")\n'
    repo = write(tmp_path / "repo", files)
    _, out, _ = cli("check", str(repo), "--format", "json", "--no-progress")
    assert [m["model"] for m in _json(out)["models"]] == ["acme/seen"]


def test_brief_and_obligations_once(cli: Cli, tmp_path: Path) -> None:
    repo = write(tmp_path / "repo", {"app.py": 'a = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B")\n'
                                               'b = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B-Instruct")\n'
                                               'c = AutoModel.from_pretrained("acme/unknown")\n'})
    code, out, _ = cli("check", str(repo), "--format", "brief", "--no-progress")
    lines = out.splitlines()
    assert code == 1 and lines[0].startswith("app.py:3:") and " error unknown-licence acme/unknown " in lines[0]
    assert lines[-1].startswith("Result: FAIL")
    code, out, _ = cli("check", str(repo), "--obligations-only", "--no-progress")
    todo = [line for line in out.splitlines() if line.lstrip().startswith("[ ]")]
    assert todo and len(todo) == len(set(todo))
    assert "meta-llama/Llama-3.1-8B, meta-llama/Llama-3.1-8B-Instruct" in out


def test_text_report_failures_first(cli: Cli, tmp_path: Path) -> None:
    repo = write(tmp_path / "repo", {"app.py": 'a = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B")\n'
                                               'c = AutoModel.from_pretrained("acme/unknown")\n'})
    code, out, _ = cli("check", str(repo), "--no-progress")
    assert code == 1 and out.index("acme/unknown") < out.index("Passing (1)") < out.index("ok meta-llama/Llama-3.1-8B")


def test_lock_never_scans_its_own_lock(cli: Cli, tmp_path: Path) -> None:
    """Issue 22: the second `lock` read the first lock's `inferred_from` as a model used at
    licencecmp.lock; `check --locked` then failed with lock-stale and `sbom` listed the phantom."""
    app = 'c = AutoModel.from_pretrained("bartowski/Llama-3.2-3B-Instruct-GGUF")\n'
    repo = write(tmp_path / "repo", {"app.py": app})
    for _ in range(2):
        code, out, err = cli("lock", str(repo))
        assert code == 0, err
    lock = (repo / "licencecmp.lock").read_text()
    assert 'inferred_from = "meta-llama/Llama-3.2-3B-Instruct"' in lock
    assert lock.count("[[model]]") == 1
    code, out, _ = cli("check", str(repo), "--locked", "--format", "brief", "--no-progress")
    assert code == 0 and "lock-stale" not in out
    (repo / "sub").mkdir()
    (repo / "sub" / "licencecmp.lock").write_text(lock)  # a lock anywhere in the tree is ours too
    code, out, _ = cli("sbom", str(repo), "--format", "spdx-json")
    assert code == 0 and "licencecmp.lock" not in out and "meta-llama/Llama-3.2-3B-Instruct\"" not in out


def test_relock_unchanged_is_byte_identical(cli: Cli, tmp_path: Path) -> None:
    """Issue 22: re-locking with nothing changed rewrote every `resolved` date."""
    repo = write(tmp_path / "repo", {"app.py": 'a = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B")\n'
                                               'c = AutoModel.from_pretrained("bartowski/Llama-3.2-3B-Instruct-GGUF")\n'
                                               'd = AutoModel.from_pretrained("acme/unknown")\n'})
    assert cli("lock", str(repo)).code == 0
    path = repo / "licencecmp.lock"
    old = path.read_text()
    assert "resolved = " in old
    import re

    month_ago = re.sub(r"resolved = \d{4}-\d{2}-\d{2}", "resolved = 2026-11-07", old)
    path.write_text(month_ago)
    assert cli("lock", str(repo)).code == 0
    assert path.read_text() == month_ago
    # a resolution that changes is rewritten, with today's date
    (repo / "licencecmp.toml").write_text('[[models]]\nid = "acme/unknown"\nlicence = "mit"\n')
    assert cli("lock", str(repo)).code == 0
    new = path.read_text()
    entry = new[new.index('id = "acme/unknown"'):].split("\n\n")[0]
    assert 'licences = ["mit"]' in entry and "2026-11-07" not in entry
    assert new.count("resolved = 2026-11-07") == 2
