"""``licencecmp identify FILE... / DIR``: each file's result in one call, the single-file output
unchanged, the exit codes (0 all match, 1 any modified or different, 2 any unreadable, named), a
directory walked for licence-like files at any depth, bounded, links not followed, names escaped."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from licencecmp.reasoning import identify as identify_module
from licencecmp.reasoning.identify import identify_file, licence_files

from ..conftest import Cli, need_shared


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    texts = need_shared()
    root = tmp_path / "repo"
    (root / "a" / "b").mkdir(parents=True)
    (root / "c").mkdir()
    (root / "LICENSE").write_text((texts / "mit.txt").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "a" / "b" / "COPYING.txt").write_text((texts / "apache-2.0.txt").read_text(encoding="utf-8"),
                                                  encoding="utf-8")
    (root / "README.md").write_text("not a licence file\n", encoding="utf-8")
    return root


def test_one_file_prints_what_it_always_did(cli: Cli, tree: Path) -> None:
    code, out, err = cli("identify", str(tree / "LICENSE"), "--format", "json")
    assert (code, err) == (0, "")
    assert out == identify_file(tree / "LICENSE").model_dump_json(indent=2) + "\n"
    assert json.loads(out)["licence"] == "mit" and "path" not in json.loads(out)


def test_a_directory_gives_each_licence_file_at_any_depth(cli: Cli, tree: Path) -> None:
    code, out, err = cli("identify", str(tree), "-f", "json")
    assert (code, err) == (0, "")
    results = json.loads(out)
    assert [r["path"] for r in results] == [str(tree / "LICENSE"), str(tree / "a" / "b" / "COPYING.txt")]
    assert [r["licence"] for r in results] == ["mit", "apache-2.0"]
    for r in results:  # each item: its path and the fields of the one-file result
        path = r.pop("path")
        assert r == json.loads(identify_file(Path(path)).model_dump_json())
    code, text, _ = cli("identify", str(tree))
    assert code == 0 and text.startswith(f"{tree / 'LICENSE'}\n✓ mit") and f"{tree / 'a/b/COPYING.txt'}\n✓" in text


def test_exit_codes(cli: Cli, tree: Path) -> None:
    changed = tree / "c" / "LICENCE.md"
    changed.write_text((tree / "LICENSE").read_text(encoding="utf-8") + "\nYou must also dance on Tuesdays.\n",
                       encoding="utf-8")
    code, out, err = cli("identify", str(tree / "LICENSE"), str(changed))
    assert (code, err) == (1, "") and "~ modified mit" in out
    (tree / "c" / "NOTICE").write_bytes(b"\x00binary")
    code, out, err = cli("identify", str(tree), "--format", "json")
    assert code == 2
    assert err == f"licencecmp: error: {str(tree / 'c' / 'NOTICE')!r} is a binary file, not a licence text\n"
    results = {Path(r["path"]).name: r for r in json.loads(out)}  # the others are still identified
    assert results["LICENSE"]["licence"] == "mit" and results["LICENCE.md"]["verdict"] == "modified"
    assert "binary file" in results["NOTICE"]["error"]
    code, out, err = cli("identify", str(tree / "missing"))
    assert code == 2 and out == "" and err.count("\n") == 1 and "missing" in err
    empty = tree / "empty"
    empty.mkdir()
    code, out, err = cli("identify", str(empty))
    assert code == 2 and out == "" and "no licence files" in err


def test_links_are_not_followed_and_names_are_escaped(cli: Cli, tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "LICENSE").write_text("secret\n", encoding="utf-8")
    os.symlink(outside, tree / "linked-dir")
    os.symlink(outside / "LICENSE", tree / "LICENSE.link")
    hostile = tree / "c" / "LICENSE\x1b[31m\nred"
    hostile.write_text("some words\n", encoding="utf-8")
    assert licence_files(tree) == [tree / "LICENSE", tree / "a" / "b" / "COPYING.txt", hostile]
    code, out, _ = cli("identify", str(tree))
    assert code == 1 and "\x1b" not in out and "LICENSE\\x1b[31m\\nred" in out


def test_the_walk_is_bounded(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from licencecmp.errors import InputError

    for i in range(5):
        (tree / f"NOTICE-{i}").write_text("x\n", encoding="utf-8")
    monkeypatch.setattr(identify_module, "MAX_FILES", 3)
    with pytest.raises(InputError, match="more than 3 licence files"):
        licence_files(tree)
    monkeypatch.setattr(identify_module, "MAX_FILES", 1000)
    monkeypatch.setattr(identify_module, "MAX_ENTRIES", 4)
    with pytest.raises(InputError, match="more than 4 entries"):
        licence_files(tree)
    monkeypatch.setattr(identify_module, "MAX_ENTRIES", 1000)
    deep = tree
    for _ in range(4):
        deep = deep / "d"
    deep.mkdir(parents=True)
    monkeypatch.setattr(identify_module, "MAX_DEPTH", 2)
    with pytest.raises(InputError, match="deeper than 2"):
        licence_files(tree)
