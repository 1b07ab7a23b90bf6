"""The documentation's examples run as written (issue 23 §2): every Python block of README.md and of
the hand-written pages of docs/ runs, and every shell example runs, exits 0 or 1, and, where the
page shows its output, prints that output's first line."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import ROOT, Cli

PAGES = [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)
# what a reader must fill in (path/to, ..., OWNER, ID) or what needs the network: not run as written
PLACEHOLDER = re.compile(r"path/to|\.\.\.|\b[A-Z]{3,}\b|--online")


def _blocks(language: str) -> list[tuple[str, int, str]]:
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            if m.group(1) in language.split("|"):
                found.append((page.relative_to(ROOT).as_posix(), text[:m.start()].count("\n") + 2, m.group(2)))
    return found


PYTHON = _blocks("python")


def test_the_pages_have_python_examples() -> None:
    assert {page for page, _, _ in PYTHON} >= {"README.md", "docs/getting-started.md", "docs/api.md"}


@pytest.mark.parametrize(("page", "line", "block"), PYTHON, ids=[f"{p}:{n}" for p, n, _ in PYTHON])
def test_python_block_runs(page: str, line: int, block: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a block that scans "." scans an empty folder, not the repository
    code = compile("\n" * (line - 1) + block, page, "exec")
    exec(code, {"__name__": "__main__"})


VERDICTS = ("allowed", "conditional", "needs-permission", "prohibited", "unclear")


def _commands() -> list[tuple[str, str, str | None]]:
    """(page, command, the first line of output the page shows, if any): shown after the command
    (``$ licencecmp ...`` then its output), or a verdict its comment names (``# ...: prohibited``)."""
    out: list[tuple[str, str, str | None]] = []
    for page, _, block in _blocks("sh|console|bash"):
        lines = block.splitlines()
        for i, raw in enumerate(lines):
            shown = raw.startswith("$ ")
            line = raw.removeprefix("$ ").split("  #")[0].strip()
            if not line.startswith("licencecmp ") or PLACEHOLDER.search(line):
                continue
            following = lines[i + 1].strip() if shown and i + 1 < len(lines) else ""
            expected = following if following and not following.startswith("$") else None
            comment = raw.partition("  #")[2]
            named = [v for v in VERDICTS if re.search(rf"(?<![\w-]){v}(?![\w-])", comment)]
            if expected is None and line.startswith("licencecmp can ") and len(named) == 1:
                expected = f"verdict:{named[0]}"
            out.append((page, line, expected))
    return out


COMMANDS = _commands()


def test_the_readme_shows_a_command_with_its_output() -> None:
    assert any(page == "README.md" and expected for page, _, expected in COMMANDS)


@pytest.mark.parametrize(("page", "command", "expected"), COMMANDS, ids=[f"{p}: {c}" for p, c, _ in COMMANDS])
def test_shell_example_runs(page: str, command: str, expected: str | None, cli: Cli, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # --output files land here
    # a folder as a repository has one: `identify .` finds a licence file (not a catalogue text: exit 1, different)
    (tmp_path / "LICENSE").write_text("Copyright (c) 2026 Example. All rights reserved.\n", encoding="utf-8")
    code, out, err = cli(*shlex.split(command)[1:])
    assert code in (0, 1), err
    assert "Traceback" not in err
    first = out.splitlines()[0] if out else ""
    if expected is not None and expected.startswith("verdict:"):
        assert expected.removeprefix("verdict:") in first.split(), (page, command, first)
    elif expected is not None:
        assert " ".join(first.split()) == " ".join(expected.split()), (page, command, first)
