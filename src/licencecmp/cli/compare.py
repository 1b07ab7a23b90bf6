"""`licencecmp compare`: a comparison table for documentation."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from licencecmp.cli.options import OnlineOpt, out, split_list, takes_scenario
from licencecmp.scenario import Scenario  # read at run time by typing.get_type_hints

__all__ = ["register"]


class CompareFormat(str, Enum):
    text = "text"
    github = "github"
    pipe = "pipe"
    grid = "grid"
    rst = "rst"
    html = "html"
    latex = "latex"
    mediawiki = "mediawiki"
    orgtbl = "orgtbl"
    plain = "plain"
    csv = "csv"
    json = "json"
    markdown = "markdown"
    html_page = "html-page"


@takes_scenario
def compare(
    ids: Annotated[list[str], typer.Argument(
        metavar="ID",
        help="Licence ids or aliases (llama-3.1, gemma) or model repo ids from the registry "
        "(deepseek-ai/DeepSeek-R1, whose upstream licences also apply).",
        show_default=False)],
    actions: Annotated[list[str] | None, typer.Option(
        "--actions", "-a", metavar="A,B,...",
        help="The action columns, comma-separated or repeated (default: every action).", show_default=False)] = None,
    facts: Annotated[list[str] | None, typer.Option(
        "--facts", metavar="F,G,...",
        help="The fact columns: kind, threshold, territory, attribution, name-prefix, openness, "
        "or 'none' (default: all).", show_default=False)] = None,
    scenario: Scenario = None,  # type: ignore[assignment]  # supplied by @takes_scenario
    transpose: Annotated[bool, typer.Option(
        "--transpose", help="Licences as columns and actions and facts as rows.")] = False,
    format: Annotated[CompareFormat | None, typer.Option(
        "--format", "-f",
        help="Output format: text (a table that fits the terminal, in colour), a tabulate format, csv, "
        "json, markdown (footnotes quote the clauses) or html-page (a standalone page). Default: text "
        "when standard output is a terminal, github otherwise.", show_default=False)] = None,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Write the table to FILE (atomically) instead of stdout.",
        show_default=False)] = None,
    online: OnlineOpt = False,
) -> None:
    """A comparison table of licences or models for documentation: one cell per action with the
    verdict (symbol and word) and its short condition, plus the key facts of each licence.

    Scenario flags change the cells, and the table says which scenario it reflects.

    Example: licencecmp compare deepseek-ai/DeepSeek-R1 llama-3.1 gemma --format github
    """
    from licencecmp.reasoning.comparison import compare as build
    from licencecmp.reasoning.comparison import parse_facts
    from licencecmp.render.table import render
    from licencecmp.vocab import parse_action

    acts = [parse_action(a) for a in split_list(actions)] or None
    from licencecmp.cli.fast import bind_name

    bound = [bind_name(i, online) for i in ids]  # a row keeps the name as given unless the chain resolved it
    comp = build([b if b.model is None and b.provenance is not None else i for i, b in zip(ids, bound, strict=True)],
                 acts, scenario,
                 facts=parse_facts(split_list(facts)) if facts else None)
    from licencecmp.cli.output import atomic_write, is_stdout

    to_stdout = output is None or is_stdout(output)
    if format is None:
        format = CompareFormat.text if to_stdout and sys.stdout.isatty() else CompareFormat.github
    if format is CompareFormat.text:
        import shutil

        from licencecmp.render.style import PLAIN, Style, wants_colour
        from licencecmp.render.table import table_text

        style = Style(True) if to_stdout and wants_colour(sys.stdout) else PLAIN
        text = table_text(comp, shutil.get_terminal_size((100, 24)).columns, transpose or None, style)
    else:
        text = render(comp, format.value, transpose=transpose)
    if output is None or is_stdout(output):
        out(text)
        return

    atomic_write(output, text)
    out(f"wrote {output}: {len(comp.rows)} row(s), {format.value}\n")


def register(app: typer.Typer) -> None:
    app.command()(compare)
