"""A corpus of nasty files against every reader of user files.

Each nasty thing (empty, huge, binary, NUL bytes, UTF-16 with a BOM, invalid UTF-8, CRLF, a YAML
"billion laughs", deeply nested JSON/YAML/TOML, a symlink loop, a directory named like a file, a
file that disappears during the scan, an unreadable file) is given to each reader: ``identify``,
the policy file (named with ``--policy`` and found in the tree), the scan behind ``check`` (as
code, a model card, an SBOM), and the licence data folder (``LICENCECMP_DATA``).

The outcome is always one the user can act on: an answer, a file reported as skipped (with the
reason) or as not understood, or exit 2 with one line. Never a traceback (exit 3), never a hang.
"""

from __future__ import annotations

import builtins
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from licencecmp.data.catalogue import Catalogue, default_catalogue
from licencecmp.errors import LicenceDataError
from tests.conftest import LICENCES, Cli

MODEL = "meta-llama/Llama-3.1-8B"
CODE = f'import transformers\nmodel = transformers.AutoModel.from_pretrained("{MODEL}")\n'
CARD = f"---\nlicense: llama3.1\nbase_model: {MODEL}\n---\n# A fine-tune\n"
POLICY = 'actions = ["use"]\nallow_unknown = true\n'
HUGE = 6 * 1024 * 1024  # over the scan's default limit (5 MiB) and identify's (2 MiB)
LOOPS = 12

BILLION_LAUGHS = "---\n" + "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, LOOPS)) + \
    f"license: *a{LOOPS - 1}\nbase_model: *a{LOOPS - 1}\n---\n# laughs\n"
NESTED_JSON = '{"bomFormat": "CycloneDX", "components": ' + "[" * 100_000 + "]" * 100_000 + "}"
NESTED_YAML = "---\nlicense: mit\nbase_model: " + "[" * 100_000 + "]" * 100_000 + "\n---\n"
NESTED_TOML = "mau = " + "[" * 100_000 + "]" * 100_000 + "\n"


def mit_text() -> str:
    lic = default_catalogue().licence("mit")
    return "\n\n".join([*lic.fingerprints, *(e.quote for e in lic.all_evidence())]) + "\n"


# -- making nasty things ------------------------------------------------------------------------


def _huge(path: Path, text: str) -> None:
    with path.open("wb") as fh:
        fh.write(text.encode())
        fh.truncate(HUGE)  # sparse: cheap on disk


def _directory(path: Path, text: str) -> None:
    path.mkdir()
    (path / "inner.txt").write_text(text)


MAKERS: dict[str, Callable[[Path, str], object]] = {
    "empty": lambda p, t: p.write_bytes(b""),
    "huge": _huge,
    "binary": lambda p, t: p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
    "nul-bytes": lambda p, t: p.write_bytes(t.encode().replace(b"\n", b"\n\x00", 1)),
    "utf-16-bom": lambda p, t: p.write_bytes(t.encode("utf-16")),
    "invalid-utf-8": lambda p, t: p.write_bytes(t.encode() + b"\xc3\x28 \xff\xfe \xed\xa0\x80\n"),
    "crlf": lambda p, t: p.write_bytes(t.replace("\n", "\r\n").encode()),
    "billion-laughs": lambda p, t: p.write_text(BILLION_LAUGHS),
    "nested-json": lambda p, t: p.write_text(NESTED_JSON),
    "nested-yaml": lambda p, t: p.write_text(NESTED_YAML),
    "nested-toml": lambda p, t: p.write_text(NESTED_TOML),
    "symlink-loop": lambda p, t: os.symlink(p.name, p),
    "directory": lambda p, t: _directory(p, t),
}
NASTY = sorted(MAKERS)


def run(args: list[str], cwd: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> tuple[int, str, str]:
    """The shared ``cli`` fixture in ``cwd``, checking the contract: exit 0, 1 or 2, and on 2 exactly one line."""
    monkeypatch.chdir(cwd)
    code, out, err = cli(*args)
    assert code in (0, 1, 2), f"exit {code}: {err}"
    assert "Traceback" not in err
    if code == 2:
        assert len(err.splitlines()) == 1 and err.startswith("licencecmp: error: "), err
    return code, out, err


def check_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli,
               *extra: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run(["check", "repo", "--format", "json", "--no-progress", *extra], tmp_path, monkeypatch, cli)
    return code, json.loads(out), err


# -- identify FILE ------------------------------------------------------------------------------

# mit_text() strings MIT's fingerprints and quotes together: read right, it is MIT with changes
# ("modified mit", exit 1), not MIT itself.
IDENTIFY = {  # nasty -> (exit code, words in the message or output)
    "empty": (1, "no confident match"), "huge": (2, "larger than"), "binary": (2, "binary"),
    "nul-bytes": (2, "binary"), "utf-16-bom": (1, "modified mit"), "invalid-utf-8": (2, "not UTF-8"),
    "crlf": (1, "modified mit"), "billion-laughs": (1, "no confident match"), "nested-json": (1, "no confident match"),
    "nested-yaml": (1, "no confident match"), "nested-toml": (1, "no confident match"),
    "symlink-loop": (2, "cannot read"), "directory": (2, "is a directory"),
}


@pytest.mark.parametrize("nasty", NASTY)
def test_identify(nasty: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                  cli: Cli) -> None:
    MAKERS[nasty](tmp_path / "LICENSE", mit_text())
    code, out, err = run(["identify", "LICENSE"], tmp_path, monkeypatch, cli)
    want_code, words = IDENTIFY[nasty]
    assert code == want_code, (out, err)
    assert words in (err if code == 2 else out), (out, err)


# -- the policy file ----------------------------------------------------------------------------

POLICY_NAMED = {  # nasty -> exit code of `check repo --policy FILE` (the tree itself is clean)
    "empty": 0, "huge": 2, "binary": 2, "nul-bytes": 2, "utf-16-bom": 2, "invalid-utf-8": 2, "crlf": 0,
    "billion-laughs": 2, "nested-json": 2, "nested-yaml": 2, "nested-toml": 2, "symlink-loop": 2, "directory": 2,
}


@pytest.mark.parametrize("nasty", NASTY)
def test_policy_named_with_option(nasty: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  cli: Cli) -> None:
    (tmp_path / "repo").mkdir()
    MAKERS[nasty](tmp_path / "policy.toml", POLICY)
    code, out, err = run(["check", "repo", "--policy", "policy.toml", "--no-progress"], tmp_path, monkeypatch,
                         cli)
    assert code == POLICY_NAMED[nasty], (out, err)
    if code == 2:
        assert "policy.toml" in err


@pytest.mark.parametrize("name", ["licencecmp.toml", "pyproject.toml"])
@pytest.mark.parametrize("nasty", NASTY)
def test_policy_found_in_the_tree(nasty: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  cli: Cli) -> None:
    (tmp_path / "repo").mkdir()
    text = POLICY if name == "licencecmp.toml" else "[tool.licencecmp]\n" + POLICY
    MAKERS[nasty](tmp_path / "repo" / name, text)
    code, out, err = run(["check", "repo", "--no-progress"], tmp_path, monkeypatch, cli)
    if nasty in ("empty", "crlf"):
        assert code == 0, (out, err)
    elif nasty in ("symlink-loop", "directory"):
        assert code == 2 and name in err, (out, err)  # present but unreadable: reported, never ignored
    elif name == "licencecmp.toml":
        assert code == 2 and name in err, (out, err)
    else:  # a pyproject.toml that is not TOML: reported if a [tool.licencecmp] line can be seen in it
        assert code in (0, 2), (out, err)
        assert code == 0 or name in err


# -- the scan: code, model cards, SBOMs --------------------------------------------------------

CODE_EXPECT = {  # nasty -> "found" (the model), "skipped:<reason words>", or "nothing"
    "empty": "nothing", "huge": "skipped:larger than the size limit", "binary": "skipped:binary",
    "nul-bytes": "found", "utf-16-bom": "found", "invalid-utf-8": "found", "crlf": "found",
    "billion-laughs": "nothing", "nested-json": "nothing", "nested-yaml": "nothing", "nested-toml": "nothing",
    "symlink-loop": "skipped:symlink loop", "directory": "nothing",
}


@pytest.mark.parametrize("nasty", NASTY)
def test_scan_code_file(nasty: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        cli: Cli) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "licencecmp.toml").write_text(POLICY)
    MAKERS[nasty](tmp_path / "repo" / "app.py", CODE)
    code, report, err = check_json(tmp_path, monkeypatch, cli)
    assert code in (0, 1), err
    found = [loc for m in report["models"] for loc in m["locations"] if loc["path"] == "app.py"]
    skipped = {s["path"]: s["reason"] for s in report["skipped"]}
    expect = CODE_EXPECT[nasty]
    if expect == "found":
        assert found and report["models"][0]["model"] == MODEL, report["models"]
        if nasty == "crlf":
            assert found[0]["line"] == 2
    elif expect.startswith("skipped:"):
        assert not found
        assert expect.split(":", 1)[1] in skipped.get("app.py", ""), skipped
    else:
        assert not found


CARD_EXPECT = {  # nasty -> exit code of `check` with the nasty README.md
    "empty": 0, "huge": 0, "binary": 0, "nul-bytes": 2, "utf-16-bom": 0, "invalid-utf-8": 0, "crlf": 0,
    "billion-laughs": 2, "nested-json": 0, "nested-yaml": 2, "nested-toml": 0, "symlink-loop": 0, "directory": 0,
}


@pytest.mark.parametrize("nasty", NASTY)
def test_scan_model_card(nasty: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                         cli: Cli) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "licencecmp.toml").write_text(POLICY)
    MAKERS[nasty](tmp_path / "repo" / "README.md", CARD)
    code, report, err = check_json(tmp_path, monkeypatch, cli)
    assert code == CARD_EXPECT[nasty], (report["errors"], err)
    if code == 2:
        assert report["errors"][0]["path"] == "README.md"
        assert "README.md" in err
    if nasty in ("crlf", "utf-16-bom", "invalid-utf-8"):  # still read as a model card
        assert any(loc["source"] == "model-card" for m in report["models"] for loc in m["locations"]), report
    if nasty in ("huge", "binary", "symlink-loop"):  # a few NUL bytes are text now: read, and not understood
        assert "README.md" in {s["path"] for s in report["skipped"]}


SBOM_EXPECT = {  # nasty -> exit code of `check` with the nasty bom.cdx.json
    "empty": 0, "huge": 0, "binary": 0, "nul-bytes": 2, "utf-16-bom": 0, "invalid-utf-8": 2, "crlf": 0,
    "billion-laughs": 0, "nested-json": 2, "nested-yaml": 0, "nested-toml": 0, "symlink-loop": 0, "directory": 0,
}
CDX = json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
    {"type": "machine-learning-model", "name": MODEL, "licenses": [{"license": {"id": "MIT"}}]}]}, indent=1)


@pytest.mark.parametrize("nasty", NASTY)
def test_scan_sbom(nasty: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                   cli: Cli) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "licencecmp.toml").write_text(POLICY)
    MAKERS[nasty](tmp_path / "repo" / "bom.cdx.json", CDX)
    code, report, err = check_json(tmp_path, monkeypatch, cli)
    assert code == SBOM_EXPECT[nasty], (report["errors"], err)
    from_sbom = any(loc["source"] == "sbom" for m in report["models"] for loc in m["locations"])
    assert from_sbom == (nasty in ("crlf", "utf-16-bom")), report["models"]  # UTF-16 is decoded (BOM)
    if nasty == "nested-json":
        assert "nested" in report["errors"][0]["message"]


# -- files that change under the scan ----------------------------------------------------------


def _tree(root: Path) -> None:
    root.mkdir()
    (root / "licencecmp.toml").write_text(POLICY)
    for name in ("a_keep.py", "b_vanish.py", "c_becomes_dir.py", "d_becomes_loop.py", "e_locked.py"):
        (root / name).write_text(CODE)


def test_files_that_disappear_or_change_during_the_scan(tmp_path: Path) -> None:
    from licencecmp.scan.check import run_check
    from licencecmp.scan.policy import find_policy, load_policy

    root = tmp_path / "repo"
    _tree(root)
    policy, source = load_policy(find_policy(root))
    changed: list[int] = []

    def progress(done: int, total: int) -> None:
        if done == 0 and not changed:  # the files are listed; now change them before they are read
            (root / "b_vanish.py").unlink()
            (root / "c_becomes_dir.py").unlink()
            (root / "c_becomes_dir.py").mkdir()
            (root / "d_becomes_loop.py").unlink()
            os.symlink("d_becomes_loop.py", root / "d_becomes_loop.py")
            changed.append(total)

    report = run_check(root, policy, source, progress=progress)
    assert changed
    paths = {loc.path for m in report.models for loc in m.locations}
    assert paths == {"a_keep.py", "e_locked.py"}
    skipped = {s.path: s.reason for s in report.skipped}
    assert "loop" in skipped["d_becomes_loop.py"]
    assert report.exit_code in (0, 1)


def test_a_file_that_vanishes_or_locks_between_listing_and_reading(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """The race the scan cannot prevent: the file passes ``lstat`` and then cannot be opened. The
    unreadable case is simulated, so that it is tested when the tests run as root too."""
    from licencecmp.scan import refs
    from licencecmp.scan.check import run_check
    from licencecmp.scan.policy import find_policy, load_policy

    root = tmp_path / "repo"
    _tree(root)
    real_open = builtins.open

    def flaky_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        name = os.path.basename(str(file))
        if name == "b_vanish.py":
            raise FileNotFoundError(2, "No such file or directory", str(file))
        if name == "e_locked.py":
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    real_os_open = os.open

    def flaky_os_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        name = os.path.basename(str(file))
        if name in ("b_vanish.py", "e_locked.py"):
            flaky_open(file)
        return real_os_open(file, *args, **kwargs)

    monkeypatch.setattr(refs, "open", flaky_open, raising=False)  # however the scan opens files
    monkeypatch.setattr(os, "open", flaky_os_open)
    policy, source = load_policy(find_policy(root))
    report = run_check(root, policy, source)
    skipped = {s.path: s.reason for s in report.skipped}
    assert "Permission denied" in skipped["e_locked.py"]
    assert "b_vanish.py" in skipped
    assert {loc.path for m in report.models for loc in m.locations} == {"a_keep.py", "c_becomes_dir.py",
                                                                          "d_becomes_loop.py"}


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads files whatever their mode "
                    "(the unreadable case is simulated in the test above)")
def test_unreadable_files_and_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      cli: Cli) -> None:
    root = tmp_path / "repo"
    _tree(root)
    (root / "locked").mkdir()
    (root / "locked" / "x.py").write_text(CODE)
    (root / "e_locked.py").chmod(0)
    (root / "locked").chmod(0)
    (tmp_path / "LICENSE").write_text(mit_text())
    (tmp_path / "LICENSE").chmod(0)
    try:
        code, report, err = check_json(tmp_path, monkeypatch, cli)
        skipped = {s["path"]: s["reason"] for s in report["skipped"]}
        assert "e_locked.py" in skipped and "locked" in skipped, skipped
        code, _, err = run(["identify", "LICENSE"], tmp_path, monkeypatch, cli)
        assert code == 2 and "cannot read" in err
        (root / "licencecmp.toml").chmod(0)
        code, _, err = run(["check", "repo", "--no-progress"], tmp_path, monkeypatch, cli)
        assert code == 2 and "licencecmp.toml" in err
    finally:
        for p in (root / "e_locked.py", root / "locked", tmp_path / "LICENSE", root / "licencecmp.toml"):
            p.chmod(0o700)


def test_symlinks_out_of_the_tree_are_never_followed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     cli: Cli) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "app.py").write_text(CODE)
    os.symlink(tmp_path / "outside", root / "link-dir")
    os.symlink(tmp_path / "outside" / "app.py", root / "link-file.py")
    os.symlink("/", root / "root")
    os.symlink("..", root / "up")
    code, report, _ = check_json(tmp_path, monkeypatch, cli)
    assert report["models"] == [] and code == 0
    skipped = {s["path"]: s["reason"] for s in report["skipped"]}
    assert {"link-dir", "link-file.py", "root", "up"} <= set(skipped), skipped
    assert all("not followed" in skipped[p] for p in ("link-dir", "link-file.py", "root", "up"))


# -- licence data files -------------------------------------------------------------------------


@pytest.mark.skipif(not LICENCES.is_dir(), reason="needs the licences/ folder of a checkout")
@pytest.mark.parametrize("nasty", NASTY)
def test_licence_data_folder(nasty: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             cli: Cli) -> None:
    folder = tmp_path / "licences"
    folder.mkdir()
    shutil.copy(LICENCES / "_territories.toml", folder)
    source = (LICENCES / "mit.toml").read_text(encoding="utf-8")
    MAKERS[nasty](folder / "mit.toml", source)
    if nasty == "crlf":
        assert [lic.id for lic in Catalogue.from_sources(folder)] == ["mit"]
        return
    with pytest.raises(LicenceDataError) as info:
        list(Catalogue.from_sources(folder))
    assert "mit.toml" in str(info.value)
    # and through the command line, with LICENCECMP_DATA naming the folder
    monkeypatch.setenv("LICENCECMP_DATA", str(folder))
    default_catalogue.cache_clear()
    try:
        code, _, err = run(["list"], tmp_path, monkeypatch, cli)
    finally:
        monkeypatch.delenv("LICENCECMP_DATA")
        default_catalogue.cache_clear()
    assert code == 2 and "mit.toml" in err


def test_invalid_gitignore_lines_are_dropped_as_git_drops_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               cli: Cli) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "licencecmp.toml").write_text(POLICY)
    (root / ".gitignore").write_text("\\\n!\n[X-2]\n[[x]\n*.log\n")  # [[x]: re warns "possible nested set"
    (root / "app.py").write_text(CODE)
    (root / "debug.log").write_text(CODE)
    code, report, err = check_json(tmp_path, monkeypatch, cli)
    assert code in (0, 1), err
    assert {loc["path"] for m in report["models"] for loc in m["locations"]} == {"app.py"}
    (root / "licencecmp.toml").write_text(POLICY + 'exclude = ["[X-2]"]\n')
    code, _, err = run(["check", "repo", "--no-progress"], tmp_path, monkeypatch, cli)
    assert code == 2 and "[X-2]" in err
