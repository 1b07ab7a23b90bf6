"""Comparison tables as text: every tabulate format that suits documents, CSV, JSON, and Markdown
with numbered footnotes that quote the clause behind each non-trivial cell.

Pure functions from a :class:`~licencecmp.compare.Comparison` to a string. Each table states the
scenario it was computed for and ends with a legend of the verdict symbols.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections.abc import Callable

from ..compare import FACTS, Cell, Comparison
from ..engine import Citation
from ..vocab import Verdict

__all__ = [
    "FORMATS",
    "TABULATE_FORMATS",
    "legend",
    "render",
    "table_csv",
    "table_json",
    "table_markdown",
    "table_tabulate",
]

TABULATE_FORMATS = ("github", "pipe", "grid", "rst", "html", "latex", "mediawiki", "orgtbl", "plain")
"""The tabulate formats offered: those that paste into a document."""

FORMATS = (*TABULATE_FORMATS, "csv", "json", "markdown")

_VERDICT_WORDS = {
    Verdict.ALLOWED: "no conditions",
    Verdict.CONDITIONAL: "allowed with obligations",
    Verdict.UNCLEAR: "the text is ambiguous",
    Verdict.NEEDS_PERMISSION: "only with a separate grant from the licensor",
    Verdict.PROHIBITED: "not allowed",
}


def legend() -> str:
    """One line naming each verdict symbol."""
    parts = [f"{v.symbol} {v.value} ({_VERDICT_WORDS[v]})" for v in sorted(Verdict, key=lambda v: v.severity)]
    return "Legend: " + ", ".join(parts) + "."


def caption(comp: Comparison) -> str:
    return f"Scenario: {comp.scenario_text}."


NOTE = "Not legal advice: each cell is a reading of the licence text; check the quoted clauses."


def _cells(comp: Comparison) -> tuple[list[str], list[tuple[str, list[Cell]]]]:
    """Column headings and (row heading, cells) pairs, rows being licences."""
    headers = ["licence", *[a.value for a in comp.actions], *[FACTS[f] for f in comp.facts]]
    rows = [(row.label, [*(row.cells[a] for a in comp.actions), *(row.facts[f] for f in comp.facts)])
            for row in comp.rows]
    return headers, rows


def layout(comp: Comparison, transpose: bool) -> tuple[list[str], list[tuple[str, list[Cell]]]]:
    """Column headings and (row heading, cells) pairs: licences as rows, or as columns if transposed."""
    headers, rows = _cells(comp)
    if not transpose:
        return headers, rows
    t_headers = ["", *[label for label, _ in rows]]
    t_rows = [(headers[i + 1], [cells[i] for _, cells in rows]) for i in range(len(headers) - 1)]
    return t_headers, t_rows


# -- tabulate formats -------------------------------------------------------------------------


def _latex_escape(text: str) -> str:
    table = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
             "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
    return "".join(table.get(ch, ch) for ch in text)


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


_PARAGRAPH: dict[str, Callable[[str], str]] = {
    "html": lambda s: f"<p>{html.escape(s)}</p>",
    "latex": _latex_escape,
    "github": _md_cell,
    "pipe": _md_cell,
}


def table_tabulate(comp: Comparison, fmt: str = "github", transpose: bool = False) -> str:
    """The table in one of :data:`TABULATE_FORMATS`, with the scenario above and the legend below."""
    from tabulate import tabulate

    if fmt not in TABULATE_FORMATS:
        raise ValueError(f"not a tabulate format here: {fmt!r}")
    headers, rows = layout(comp, transpose)
    escape: Callable[[str], str] = _md_cell if fmt in ("github", "pipe") else str
    data = [[escape(label), *[escape(c.label) for c in cells]] for label, cells in rows]
    body = tabulate(data, headers=[escape(h) for h in headers], tablefmt=fmt, disable_numparse=True)
    para = _PARAGRAPH.get(fmt, str)
    return "\n\n".join([para(caption(comp)), body, para(legend()), para(NOTE)]) + "\n"


# -- Markdown with footnotes ------------------------------------------------------------------

_MD_SPECIAL = "\\`*_[]<>|"


def _md_text(text: str) -> str:
    return "".join(f"\\{ch}" if ch in _MD_SPECIAL else ch for ch in text)


def cite(c: Citation) -> str:
    """'llama-3.1 §2', or 'llama-3.1 §Prohibited Uses (aup)' for a text other than the licence."""
    part = "" if c.text == "licence" else f" ({c.text})"
    return f"{c.licence} §{c.section}{part}"


def footnote_text(cell: Cell) -> str:
    """Every clause behind a cell, quoted: '**llama-3.1 §2**: “If, on ...”'."""
    return " · ".join(f"**{_md_text(cite(c))}**: “{_md_text(c.quote)}”" for c in cell.evidence)


def table_markdown(comp: Comparison, transpose: bool = False, footnote_prefix: str = "") -> str:
    """A GitHub/MkDocs Markdown table whose non-trivial cells carry numbered footnotes that quote the
    clauses behind them. Identical clause sets share one footnote. ``footnote_prefix`` keeps the
    labels of several tables on one page apart (``[^a1]``); renderers number them in order anyway."""
    from tabulate import tabulate

    headers, rows = layout(comp, transpose)
    notes: dict[str, int] = {}
    data = []
    for label, cells in rows:
        line = [_md_text(label)]
        for c in cells:
            text = _md_text(c.label)
            if not c.trivial and c.evidence:
                note = footnote_text(c)
                n = notes.setdefault(note, len(notes) + 1)
                text += f"[^{footnote_prefix}{n}]"
            line.append(text)
        data.append(line)
    body = tabulate(data, headers=[_md_text(h) for h in headers], tablefmt="github", disable_numparse=True)
    parts = [_md_text(caption(comp)), body, _md_text(legend()) + " " + _md_text(NOTE)]
    if notes:
        parts.append("\n".join(f"[^{footnote_prefix}{n}]: {note}" for note, n in notes.items()))
    return "\n\n".join(parts) + "\n"


# -- data formats -----------------------------------------------------------------------------


def table_csv(comp: Comparison, transpose: bool = False) -> str:
    """One row per licence: the verdict word and the condition of each action in two columns, then
    the facts and the scenario. ``transpose`` swaps rows and columns."""
    header = ["name", "licence", "model", "upstream"]
    for a in comp.actions:
        header += [a.value, f"{a.value} condition"]
    header += [*comp.facts, "scenario"]
    matrix = [header]
    for row in comp.rows:
        line = [row.name, row.licence, row.model or "", " ".join(row.upstream)]
        for a in comp.actions:
            cell = row.cells[a]
            line += [cell.verdict.value if cell.verdict else "", cell.text]
        line += [row.facts[f].text for f in comp.facts]
        line.append(comp.scenario_text)
        matrix.append(line)
    if transpose:
        matrix = [list(col) for col in zip(*matrix, strict=True)]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(matrix)
    return buf.getvalue()


def table_json(comp: Comparison) -> str:
    """The whole comparison, with every cell's verdict, condition and clauses (``schema_version``)."""
    return json.dumps(comp.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def render(comp: Comparison, fmt: str, transpose: bool = False) -> str:
    """Any format of :data:`FORMATS`, or ``html-page`` (a standalone page)."""
    if fmt == "html-page":
        from .html import html_page

        return html_page(comp, transpose=transpose)
    if fmt == "markdown":
        return table_markdown(comp, transpose)
    if fmt == "csv":
        return table_csv(comp, transpose)
    if fmt == "json":
        return table_json(comp)
    return table_tabulate(comp, fmt, transpose)
