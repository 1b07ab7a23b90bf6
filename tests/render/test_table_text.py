"""`licencecmp compare` on a terminal (issue 23 §3): a table that fits the terminal's width, in
colour where colour is wanted, licences as columns or wrapped cells when licences as rows are too
wide; github Markdown stays the default when standard output is not a terminal."""

from __future__ import annotations

import re

import pytest
from wcwidth import wcswidth

from licencecmp.reasoning.comparison import compare
from licencecmp.render.style import PLAIN, Style
from licencecmp.render.table import table_text
from licencecmp.vocab import parse_action

from ..conftest import Cli

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def widest(text: str) -> int:
    return max(wcswidth(ANSI.sub("", line)) for line in text.splitlines())


@pytest.mark.parametrize("width", [50, 60, 80, 120, 200])
def test_fits_the_width(width: int) -> None:
    comp = compare(["llama-3.1", "gemma", "mit", "apache-2.0"])
    text = table_text(comp, width)
    assert widest(text) <= width
    for cell in ("llama-3.1", "gemma", "apache-2.0", "Legend:"):
        assert cell in text


def test_licences_stay_rows_when_they_fit() -> None:
    comp = compare(["llama-3.1", "mit"], [parse_action("use")], facts=[])
    lines = table_text(comp, 200).splitlines()
    header = next(line for line in lines if line.startswith("licence"))
    assert "use" in header and any(line.startswith("llama-3.1") for line in lines)


def test_too_wide_turns_licences_into_columns() -> None:
    comp = compare(["llama-3.1", "mit"])
    lines = table_text(comp, 100).splitlines()
    header = next(line for line in lines if "llama-3.1" in line and "mit" in line)
    assert header.split() == ["llama-3.1", "mit"]


def test_colour_only_when_asked() -> None:
    comp = compare(["llama-3.1", "mit"])
    assert not ANSI.search(table_text(comp, 100, style=PLAIN))
    coloured = table_text(comp, 100, style=Style(True))
    assert "\x1b[1;32m✓ allowed\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == table_text(comp, 100, style=PLAIN)


def test_cli_text_follows_columns(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "70")
    code, out, err = cli("compare", "llama-3.1", "gemma", "mit", "--format", "text")
    assert code == 0, err
    assert widest(out) <= 70 and not ANSI.search(out)


def test_default_is_github_when_not_a_terminal(cli: Cli) -> None:
    code, out, _ = cli("compare", "llama-3.1", "mit")
    assert code == 0 and "| licence" in out and "|--" in out.replace(" ", "")


def test_help_says_the_default(cli: Cli) -> None:
    code, out, _ = cli("compare", "--help")
    assert code == 0 and "terminal" in " ".join(out.split())
