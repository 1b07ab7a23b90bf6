"""licencecmp.lock: written sorted with a header, read back the same; bad locks are input errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from licencecmp.errors import InputError
from licencecmp.scan.lock import LOCK_FILE, LockEntry, find_lock, lock_text, read_lock, repository_root


def test_round_trip_sorted_with_header(tmp_path: Path) -> None:
    entries = [
        LockEntry("zeta/b", ("apache-2.0",), "hub", ("llama-3.1",), ("meta-llama/Llama-3.1-8B",), None, "c" * 40,
                  dt.date(2026, 1, 2)),
        LockEntry("Alpha/a", ("llama-3.2",), "inferred", (), (), "meta-llama/Llama-3.2-3B-Instruct", None,
                  dt.date(2026, 1, 2)),
        LockEntry("acme/x", (), "unknown", reason='the Hub: "404"\nnot found', resolved=dt.date(2026, 1, 2)),
    ]
    text = lock_text(entries, "9.9")
    assert text.startswith("# licencecmp.lock: written by licencecmp 9.9")
    assert [line for line in text.splitlines() if line.startswith("id = ")] == [
        'id = "acme/x"', 'id = "Alpha/a"', 'id = "zeta/b"']
    path = tmp_path / LOCK_FILE
    path.write_text(text)
    lock = read_lock(path)
    assert lock.get("ZETA/B") == entries[0] and lock.get("alpha/a") == entries[1]
    assert lock.get("acme/x") == LockEntry("acme/x", (), "unknown", reason='the Hub: "404" not found',
                                           resolved=dt.date(2026, 1, 2))
    assert lock_text(sorted(lock.entries.values(), key=lambda e: e.id), "9.9") == text


@pytest.mark.parametrize("text", ["version = 2\n", "model = 3\n", "[[model]]\nlicences = []\n",
                                  '[[model]]\nid = "a/b"\nlicences = "mit"\n', "= broken"])
def test_bad_lock_is_an_input_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / LOCK_FILE
    path.write_text(text)
    with pytest.raises(InputError):
        read_lock(path)


def test_found_up_to_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert repository_root(sub) == tmp_path.resolve() and find_lock(sub) is None
    (tmp_path / LOCK_FILE).write_text("version = 1\n")
    assert find_lock(sub) == tmp_path.resolve() / LOCK_FILE


def test_own_files_are_excluded_by_name_and_path(tmp_path: Path) -> None:
    from licencecmp.scan.files import gitignore_spec
    from licencecmp.scan.owned import OWN_NAMES, own_excludes

    assert LOCK_FILE in OWN_NAMES
    odd = tmp_path / "ci" / "my [base] #1.toml"
    rules = gitignore_spec(own_excludes(tmp_path, ["docs/"], [odd, tmp_path.parent / "elsewhere.toml"]), strict=True)
    assert rules.match_file("licencecmp.lock") and rules.match_file("a/b/licencecmp.lock")
    assert rules.match_file("licencecmp-baseline.toml") and rules.match_file("ci/my [base] #1.toml")
    assert rules.match_file("docs/x.md")
    assert not rules.match_file("ci/my b #1.toml") and not rules.match_file("app.py")
