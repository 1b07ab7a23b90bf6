"""Security: the scanned repository's configuration runs nothing, --output never replaces a device,
and untrusted text cannot inject into any report format."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from licencecmp.scan.files import list_files
from tests.conftest import Cli
from tests.fixtures.check.support import git_init, write_tree

LLAMA = "meta-llama/Llama-3.1-8B"
needs_posix = pytest.mark.skipif(os.name != "posix", reason="POSIX file system")


def _hostile_git_repo(root: Path) -> Path:
    """A git repository whose config names commands: core.fsmonitor directly and through include.path."""
    marker = root.parent / f"{root.name}-MARKER"
    write_tree(root, {"app.py": f'"{LLAMA}"\n', "inc.cfg": f"[core]\n\tfsmonitor = touch {marker}-include\n"})
    git_init(root)
    subprocess.run(["git", "-C", str(root), "config", "core.fsmonitor", f"touch {marker}"], check=True)
    subprocess.run(["git", "-C", str(root), "config", "include.path", str(root / "inc.cfg")], check=True)
    hooks = root / ".git" / "hooks"
    hooks.mkdir(exist_ok=True)
    for hook in ("post-index-change", "pre-commit", "post-checkout"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marker}-hook\n")
        (hooks / hook).chmod(0o755)
    return marker


def test_repository_git_config_runs_no_command(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    marker = _hostile_git_repo(root)
    files, _, used_git = list_files(root)
    assert used_git and "app.py" in files
    leftovers = sorted(p.name for p in tmp_path.iterdir() if "MARKER" in p.name)
    assert leftovers == [], f"the repository's configuration ran a command: {leftovers} ({marker})"


def test_no_subprocess_starts_with_repository_controlled_configuration(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    root = tmp_path / "repo"
    _hostile_git_repo(root)
    calls: list[tuple[list[str], dict[str, str]]] = []
    real = subprocess.Popen.__init__

    def spy(self: Any, args: Any, *a: Any, **kw: Any) -> None:
        calls.append((list(args), dict(kw.get("env") or os.environ)))
        real(self, args, *a, **kw)

    monkeypatch.setattr(subprocess.Popen, "__init__", spy)
    code, _, _ = cli("check", str(root), "--no-progress")
    assert code in (0, 1) and calls, "check ran no git at all"
    from licencecmp.scan.files import GIT_HARDENING

    for argv, env in calls:
        assert argv[0] == "git", argv
        opts = argv[1:1 + len(GIT_HARDENING)]
        assert tuple(opts) == GIT_HARDENING, argv
        for needed in ("core.fsmonitor=false", "core.untrackedCache=false", "safe.bareRepository=explicit"):
            assert needed in argv
        assert any(a.startswith("core.hooksPath=") for a in argv)
        assert env.get("GIT_CONFIG_NOSYSTEM") == "1"


# -- --output ---------------------------------------------------------------------------------------


def _device(path: Path, minor: int) -> Path:
    """A character device made in tmp_path (1,3 is null, 1,7 is full): never the machine's /dev."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, OSError) as exc:
        pytest.skip(f"cannot make a device node here: {exc}")
    return path


@needs_posix
def test_output_to_a_device_writes_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "repo").mkdir()
    null = _device(tmp_path / "null", 3)
    code, _, err = cli("check", "repo", "-o", str(null), "--no-progress")
    assert code == 0, err
    assert stat.S_ISCHR(os.lstat(null).st_mode), "the device node was replaced by a regular file"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


@needs_posix
def test_output_to_a_full_device_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "repo").mkdir()
    full = _device(tmp_path / "full", 7)
    code, _, err = cli("check", "repo", "-o", str(full), "--no-progress")
    assert code == 2 and "No space left" in err and len(err.splitlines()) == 1
    assert stat.S_ISCHR(os.lstat(full).st_mode)


@needs_posix
def test_output_to_a_fifo_writes_into_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "repo").mkdir()
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, _, err = cli("check", "repo", "-o", str(fifo), "--format", "json", "--no-progress")
    reader.join(30)
    assert code == 0, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and json.loads(got[0])["tool"] == "licencecmp"


def test_output_dash_is_stdout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "repo").mkdir()
    code, out, _ = cli("check", "repo", "-o", "-", "--format", "json", "--no-progress")
    assert code == 0 and json.loads(out)["tool"] == "licencecmp" and not (tmp_path / "-").exists()


@needs_posix
def test_output_keeps_the_umask_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "repo").mkdir()
    old = os.umask(0o022)
    try:
        code, _, _ = cli("check", "repo", "-o", "report.txt", "--no-progress")
    finally:
        os.umask(old)
    assert code == 0 and stat.S_IMODE(os.stat(tmp_path / "report.txt").st_mode) == 0o644


@needs_posix
def test_output_does_not_follow_a_symlinked_folder_out_of_the_repository(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    (work / "repo").mkdir()
    os.symlink(outside, work / "reports")
    monkeypatch.chdir(work)
    code, _, err = cli("check", "repo", "-o", "reports/r.txt", "--no-progress")
    assert code == 2 and "symlink" in err and list(outside.iterdir()) == []


# -- report injection --------------------------------------------------------------------------------

EVIL = "x\n::error file=a.py::pwned\x1b[32mResult: OK\x1b[0m<!-- `@admin` [a](https://e.x) ![i](https://e.x/i.png)"


def _evil_repo(root: Path) -> Path:
    card = f"---\nlicense: mit\nmodel_name: {json.dumps(EVIL)}\n---\n"
    write_tree(root, {"models/README.md": card})
    if os.name == "posix":
        (root / "x\n::error::pwned\x1b[31m.py").write_text(f'"{LLAMA}"\n')
    return root


def test_text_and_github_reports_carry_no_injected_lines_or_escapes(tmp_path: Path, cli: Cli) -> None:
    root = _evil_repo(tmp_path / "repo")
    for fmt in ("text", "github"):
        _, out, err = cli("check", str(root), "--format", fmt, "--no-progress")
        for line in (out + err).splitlines():
            assert not line.startswith("::") or line.startswith(("::error file=", "::warning ", "::notice ",
                                                                 "::error title")), line
            assert "pwned" not in line or not line.lstrip().startswith("::error::"), line
        assert "\x1b" not in out + err


def test_markdown_report_cannot_be_hidden_or_linked(tmp_path: Path, cli: Cli) -> None:
    root = _evil_repo(tmp_path / "repo")
    _, out, _ = cli("check", str(root), "--format", "markdown", "--no-progress")
    assert "<!--" not in out and "](https" not in out and "\x1b" not in out
    assert "@admin" not in out.replace("`@admin`", "") or "&#64;admin" in out


def test_junit_report_is_well_formed_xml(tmp_path: Path, cli: Cli) -> None:
    root = _evil_repo(tmp_path / "repo")
    _, out, _ = cli("check", str(root), "--format", "junit", "--no-progress")
    ET.fromstring(out.split("\n", 1)[1])


def test_spdx_tag_value_gets_no_extra_lines(tmp_path: Path, cli: Cli) -> None:
    root = _evil_repo(tmp_path / "repo")
    code, out, err = cli("sbom", str(root), "-f", "spdx-tv")
    assert code == 0, err
    assert not any(line.startswith("::error") for line in out.splitlines())
    assert "\x1b" not in out
