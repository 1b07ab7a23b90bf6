"""`licencecmp identify`: which catalogue licence, and which version, a LICENSE text is."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .cli import Format, FormatOpt, app, out, style_for_stdout


@app.command()
def identify(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A LICENSE file (plain text or Markdown, UTF-8).",
                                         show_default=False)],
    format: FormatOpt = Format.text,
) -> None:
    """Which licence, and which version, is this LICENSE text? With a score and what differs.

    Exit 0 on a confident match, 1 when nothing matches (the nearest are listed), 2 on unreadable input.
    """
    from .identify import identify_file

    result = identify_file(file)
    if format is Format.json:
        out(result.model_dump_json(indent=2) + "\n")
    else:
        style = style_for_stdout()
        if result.licence:
            part = f" ({result.part})" if result.part and result.part != "licence" else ""
            out(f"{style('✓ ' + result.licence, 'bold', 'green')}{part}  score {result.score:.2f}\n")
        else:
            out(f"{style('? no confident match', 'bold', 'magenta')}  best score {result.score:.2f}\n")
        out("  nearest: " + ", ".join(f"{n.id} ({n.score:.2f})" for n in result.nearest) + "\n")
        for d in result.differences[:10]:
            out(f"  - {d}\n")
        if len(result.differences) > 10:
            out(f"  - ... {len(result.differences) - 10} more\n")
    raise typer.Exit(0 if result.licence else 1)
