"""`licencecmp compare`: a comparison table for documentation."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from licencecmp.cli.options import OnlineOpt, out, takes_scenario
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
    from licencecmp.cli.fast import compare_answer
    from licencecmp.cli.output import atomic_write, is_stdout

    to_stdout = output is None or is_stdout(output)
    text, fmt, rows = compare_answer(ids, actions, facts, scenario, transpose, format.value if format else None, online,
                                     to_stdout)
    if output is None or to_stdout:
        out(text)
        return

    atomic_write(output, text)
    out(f"wrote {output}: {rows} row(s), {fmt}\n")


def register(app: typer.Typer) -> None:
    app.command()(compare)
