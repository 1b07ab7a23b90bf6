"""`licencecmp identify`: which catalogue licence, and which version, a LICENSE text is."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from licencecmp.cli.options import FormatOpt, out
from licencecmp.cli.root import Format

__all__ = ["register"]


def identify(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH...",
        help="LICENSE files (plain text or Markdown, UTF-8), or directories: every LICENSE*, LICENCE*, "
        "COPYING*, NOTICE* and *.license file under them, at any depth (links not followed).",
        show_default=False)],
    format: FormatOpt = Format.text,
) -> None:
    """Which licence, and which version, is this LICENSE text? With a score and what differs.

    Verdict match: the licence, whole. modified: the closest licence with passages added, changed
    or left out, never reported as that licence. different: no catalogue licence; the nearest are
    listed.

    One FILE gives its result (JSON: one object). Several, or a directory, give each file's result
    under its path (JSON: a list of objects, each with its path and either the fields of one result
    or an error).

    Exit 0 when every file matches, 1 when any is modified or different, 2 when any cannot be read
    (a line on stderr names it; the others are still identified).

    Example: licencecmp identify LICENSE third_party/
    """
    from licencecmp.cli.fast import identify_answer, write_errors

    text, errors, code = identify_answer([str(p) for p in paths], format is Format.json)
    out(text)
    write_errors(errors)
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.command()(identify)
