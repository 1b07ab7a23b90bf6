"""`licencecmp resolve`: where the licence of each model comes from, and its base models."""

from __future__ import annotations

from typing import Annotated

import typer

from licencecmp.cli.options import FormatOpt, OnlineOpt, out, style_for_stdout
from licencecmp.cli.root import Format
from licencecmp.errors import ExitCode

__all__ = ["register"]


def resolve(
    ids: Annotated[list[str], typer.Argument(
        metavar="ID...", help="Hugging Face model ids (ORG/NAME), or licence ids and aliases.", show_default=False)],
    online: OnlineOpt = False,
    format: FormatOpt = Format.text,
) -> None:
    """The licence of each model through the resolution chain (registry, lock, local Hugging Face
    cache, inferred re-upload, the Hub with --online), where it came from, the upstream licences
    that also bind it, and its base models with their licences.

    Exit 0 when every id resolves, 1 when one is unknown or under a licence the catalogue does
    not have, 2 on bad input.

    Example: licencecmp resolve bartowski/Llama-3.2-3B-Instruct-GGUF --format json
    """
    from licencecmp.api import resolve as run
    from licencecmp.render.catalogue import resolutions_json, resolutions_text

    results = [run(i, online=online) for i in ids]
    out(resolutions_json(results) if format is Format.json else resolutions_text(results, style_for_stdout()))
    raise typer.Exit(ExitCode.OK if all(r.known for r in results) else ExitCode.REFUSED)


def register(app: typer.Typer) -> None:
    app.command()(resolve)
