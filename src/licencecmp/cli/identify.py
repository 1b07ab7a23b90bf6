"""`licencecmp identify`: which catalogue licence, and which version, a LICENSE text is."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from licencecmp.cli.options import FormatOpt, out, style_for_stdout
from licencecmp.cli.root import Format
from licencecmp.errors import ExitCode

__all__ = ["register"]


def identify(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A LICENSE file (plain text or Markdown, UTF-8).",
                                         show_default=False)],
    format: FormatOpt = Format.text,
) -> None:
    """Which licence, and which version, is this LICENSE text? With a score and what differs.

    Verdict match (exit 0): the licence, whole. modified (exit 1): the closest licence with passages
    added, changed or left out, never reported as that licence. different (exit 1): no catalogue
    licence; the nearest are listed. Exit 2 on unreadable input.
    """
    from licencecmp.reasoning.identify import identify_file
    from licencecmp.render.catalogue import identification_text

    result = identify_file(file)
    out(result.model_dump_json(indent=2) + "\n" if format is Format.json
        else identification_text(result, style_for_stdout()))
    raise typer.Exit(ExitCode.OK if result.licence else ExitCode.REFUSED)


def register(app: typer.Typer) -> None:
    app.command()(identify)
