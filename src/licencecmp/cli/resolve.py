"""`licencecmp resolve`: where the licence of each model comes from, and its base models."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from licencecmp.cli.options import FormatOpt, OnlineOpt, out, style_for_stdout
from licencecmp.cli.root import Format
from licencecmp.data.plain import SCHEMA_VERSION
from licencecmp.errors import ExitCode
from licencecmp.render.style import PLAIN, Style

if TYPE_CHECKING:
    from licencecmp.api import Resolution

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

    results = [run(i, online=online) for i in ids]
    out(_json(results) if format is Format.json else _text(results, style_for_stdout()))
    raise typer.Exit(ExitCode.OK if all(r.known for r in results) else ExitCode.REFUSED)


def _json(results: Sequence[Resolution]) -> str:
    """``resolve --format json``: one object per id (the fields of :class:`licencecmp.api.Resolution`)."""
    data = {"schema_version": SCHEMA_VERSION, "models": [r.model_dump(mode="json") for r in results]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _text(results: Sequence[Resolution], style: Style = PLAIN) -> str:
    """``resolve``: for each id its licence, where it came from, and its base models."""
    from licencecmp.reasoning.lookup import describe
    from licencecmp.render.common import lineage_line, wrap
    from licencecmp.render.escape import text as escape_text

    blocks = []
    for r in results:
        name = escape_text(r.model or r.name)
        lines = [style(name, "bold") + ("  " + ", ".join(r.licences) if r.licences else "  licence unknown")]
        how = {"catalogue": "the catalogue (a licence name)", "unknown": "no source answered"}.get(
            r.source, f"from the {describe(r.source)}")
        where = f" ({escape_text(r.where)})" if r.where and not r.inferred_from else ""
        lines.append(wrap(f"resolution: {r.source}: {how}{where}", "      ", "  "))
        if r.inferred_from:
            lines.append(f"  inferred from: {r.inferred_from} (a re-upload of it)")
        if r.upstream:
            lines.append(f"  also bound by: {', '.join(r.upstream)}")
        if r.relation:
            lines.append(f"  relation: {r.relation}")
        if r.base_models:
            lines.append("  base models:")
            lines += [wrap(lineage_line(b, r.model), "        ", "    ") for b in r.base_models]
        if r.sha:
            lines.append(f"  revision: {r.sha}")
        for note in r.notes:
            lines.append(wrap(escape_text(note), "      ", "  note: "))
        if r.reason:
            lines.append(wrap(escape_text(r.reason), "      ", "  reason: "))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def register(app: typer.Typer) -> None:
    app.command()(resolve)
