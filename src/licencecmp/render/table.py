"""Comparison tables as text: every tabulate format that suits documents, CSV, JSON, and Markdown
with numbered footnotes that quote the clause behind each non-trivial cell.

Pure functions from a :class:`~licencecmp.reasoning.comparison.Comparison` to a string. Each table states the
scenario it was computed for and ends with a legend of the verdict symbols.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from licencecmp.errors import FormatError
from licencecmp.reasoning.comparison import FACTS, Cell, Comparison
from licencecmp.render.common import NOTE, caption, legend, wrap
from licencecmp.render.style import PLAIN, Style

__all__ = [
    "FORMATS",
    "GITHUB_WIDTHS",
    "TABULATE_FORMATS",
    "github_table",
    "legend",
    "render",
    "table_csv",
    "table_json",
    "table_markdown",
    "table_tabulate",
    "table_text",
]

TABULATE_FORMATS = ("github", "pipe", "grid", "rst", "html", "latex", "mediawiki", "orgtbl", "plain")
"""The tabulate formats offered: those that paste into a document."""

FORMATS = (*TABULATE_FORMATS, "csv", "json", "markdown", "text")

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


def _html_paragraph(text: str) -> str:
    import html

    return f"<p>{html.escape(text)}</p>"


_PARAGRAPH: dict[str, Callable[[str], str]] = {
    "html": _html_paragraph,
    "latex": _latex_escape,
    "github": _md_cell,
    "pipe": _md_cell,
}


# The display width of every character a table of the catalogue's own words holds beyond printable ASCII (the
# verdict symbols, quotes, signs), as wcwidth gives it (tests/render/test_github_table.py checks each).
GITHUB_WIDTHS: dict[str, int] = {ch: 1 for ch in "✓◐✗“”‘’≤≥…–—·×→←°§éèàüöäçñ"} | {"✋": 2}


def _width(text: str) -> int | None:
    """The display width of ``text`` if every character is printable ASCII or in GITHUB_WIDTHS, else None."""
    if text.isascii():
        return len(text) if text.isprintable() else None
    width = 0
    for ch in text:
        w = 1 if " " <= ch <= "~" else GITHUB_WIDTHS.get(ch)
        if w is None:
            return None
        width += w
    return width


def github_table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    """``tabulate(rows, headers, tablefmt="github", disable_numparse=True)``, byte for byte, without
    importing tabulate (and wcwidth, importlib.metadata: a third of a ``compare`` run) when every
    cell is made of characters of known width; tabulate itself otherwise."""
    cells = [[c.strip() for c in row] for row in rows]  # tabulate strips cells, not headers
    head = [_width(h) for h in headers]
    body = [[_width(c) for c in row] for row in cells]
    if any(w is None for w in head) or any(w is None for row in body for w in row) or \
            any(len(row) != len(headers) for row in cells):
        from tabulate import tabulate

        return str(tabulate(rows, headers=list(headers), tablefmt="github", disable_numparse=True))
    widths = [max([(w or 0) + 2, *((r[i] or 0) for r in body)]) for i, w in enumerate(head)]

    def line(texts: Sequence[str], sizes: Sequence[int | None]) -> str:
        return "|" + "|".join(f" {t}{' ' * (width - (size or 0))} " for t, size, width in
                              zip(texts, sizes, widths, strict=True)) + "|"

    out = [line(headers, head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(row, sizes) for row, sizes in zip(cells, body, strict=True)]
    return "\n".join(out)


def table_tabulate(comp: Comparison, fmt: str = "github", transpose: bool = False) -> str:
    """The table in one of :data:`TABULATE_FORMATS`, with the scenario above and the legend below."""
    if fmt not in TABULATE_FORMATS:
        raise FormatError(f"not a tabulate format here: {fmt!r}")
    headers, rows = layout(comp, transpose)
    escape: Callable[[str], str] = _md_cell if fmt in ("github", "pipe") else str
    data = [[escape(label), *[escape(c.label) for c in cells]] for label, cells in rows]
    if fmt == "github":
        body = github_table(data, [escape(h) for h in headers])
    else:
        from tabulate import tabulate

        body = tabulate(data, headers=[escape(h) for h in headers], tablefmt=fmt, disable_numparse=True)
    para = _PARAGRAPH.get(fmt, str)
    return "\n\n".join([para(caption(comp)), body, para(legend()), para(NOTE)]) + "\n"


# -- the terminal -----------------------------------------------------------------------------


def _widest(text: str) -> int:
    from wcwidth import wcswidth

    return max((max(wcswidth(line), len(line)) for line in text.splitlines()), default=0)


def table_text(comp: Comparison, width: int = 100, transpose: bool | None = None, style: Style = PLAIN) -> str:
    """The table for a terminal ``width`` columns wide: licences as rows if that fits, else
    licences as columns (``transpose`` fixes the orientation), with cells wrapped to fit when
    neither does; verdicts coloured by ``style``. Caption, legend and note are wrapped too."""
    from tabulate import tabulate

    width = max(width, 40)

    def grid(flip: bool, wrap_to: int | None) -> str:
        headers, rows = layout(comp, flip)
        data = [[label, *[c.label for c in cells]] for label, cells in rows]
        if wrap_to is None:
            return str(tabulate(data, headers=headers, tablefmt="simple", disable_numparse=True))
        n = len(headers)
        first = min(max(len(h) for h in [headers[0], *(r[0] for r in data)]), max(12, wrap_to // 4))
        rest = max(8, (wrap_to - first - 2 * (n - 1)) // max(n - 1, 1))
        widths = [first, *[rest] * (n - 1)]
        return str(tabulate(data, headers=headers, tablefmt="simple", disable_numparse=True,
                            maxcolwidths=widths, maxheadercolwidths=widths))

    orientations = [transpose] if transpose is not None else [False, True]
    body = None
    for flip in orientations:
        candidate = grid(flip, None)
        if _widest(candidate) <= width:
            body = candidate
            break
    if body is None:  # wrap, in the orientation with fewer columns unless one was asked for
        flip = transpose if transpose is not None else len(comp.rows) + 1 < len(_cells(comp)[0])
        body = grid(flip, width)
    if _widest(body) > width:  # too narrow for any grid: one block per licence
        headers, rows = layout(comp, False)
        blocks = []
        for label, cells in rows:
            lines = [label]
            for head, cell in zip(headers[1:], cells, strict=True):
                lines.append(wrap(cell.label, "    ", first=f"  {head}: ", width=width))
            blocks.append("\n".join(lines))
        body = "\n\n".join(blocks)
    body = _colour_verdicts(body, style)
    parts = [wrap(caption(comp), "", width=width), body, wrap(legend(), "", width=width), wrap(NOTE, "", width=width)]
    return "\n\n".join(parts) + "\n"


def _colour_verdicts(text: str, style: Style) -> str:
    if not style.colour:
        return text
    import re

    from licencecmp.vocab import Verdict

    for v in Verdict:
        text = re.sub(re.escape(f"{v.symbol} {v.value}") + r"(?![\w-])", style.verdict(v), text)
    return text


# -- Markdown with footnotes ------------------------------------------------------------------

_MD_SPECIAL = "\\`*_[]<>|"


def md_text(text: str) -> str:
    return "".join(f"\\{ch}" if ch in _MD_SPECIAL else ch for ch in text)


def footnote_text(cell: Cell) -> str:
    """Every clause behind a cell, quoted: '**llama-3.1 §2**: “If, on ...”'."""
    return " · ".join(f"**{md_text(c.label)}**: “{md_text(c.quote)}”" for c in cell.evidence)


def table_markdown(comp: Comparison, transpose: bool = False, footnote_prefix: str = "") -> str:
    """A GitHub/MkDocs Markdown table whose non-trivial cells carry numbered footnotes that quote the
    clauses behind them. Identical clause sets share one footnote. ``footnote_prefix`` keeps the
    labels of several tables on one page apart (``[^a1]``); renderers number them in order anyway."""
    headers, rows = layout(comp, transpose)
    notes: dict[str, int] = {}
    data = []
    for label, cells in rows:
        line = [md_text(label)]
        for c in cells:
            text = md_text(c.label)
            if not c.trivial and c.evidence:
                note = footnote_text(c)
                n = notes.setdefault(note, len(notes) + 1)
                text += f"[^{footnote_prefix}{n}]"
            line.append(text)
        data.append(line)
    body = github_table(data, [md_text(h) for h in headers])
    parts = [md_text(caption(comp)), body, md_text(legend()) + " " + md_text(NOTE)]
    if notes:
        parts.append("\n".join(f"[^{footnote_prefix}{n}]: {note}" for note, n in notes.items()))
    return "\n\n".join(parts) + "\n"


# -- data formats -----------------------------------------------------------------------------


def table_csv(comp: Comparison, transpose: bool = False) -> str:
    """One row per licence: the verdict word and the condition of each action in two columns, then
    the facts, the scenario, and where a model's licence came from (``resolution``, with the model
    a re-upload was inferred from). ``transpose`` swaps rows and columns."""
    header = ["name", "licence", "model", "upstream"]
    for a in comp.actions:
        header += [a.value, f"{a.value} condition"]
    header += [*comp.facts, "scenario", "resolution"]
    sources = {p.model: p.resolution + (f" from {p.inferred_from}" if p.inferred_from else "") for p in comp.resolved}
    matrix = [header]
    for row in comp.rows:
        line = [row.name, row.licence, row.model or "", " ".join(row.upstream)]
        for a in comp.actions:
            cell = row.cells[a]
            line += [cell.verdict.value if cell.verdict else "", cell.text]
        line += [row.facts[f].text for f in comp.facts]
        line.append(comp.scenario_text)
        line.append(sources.get(row.model or "", ""))
        matrix.append(line)
    if transpose:
        matrix = [list(col) for col in zip(*matrix, strict=True)]
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(matrix)
    return buf.getvalue()


def table_json(comp: Comparison) -> str:
    """The whole comparison, with every cell's verdict, condition and clauses (``schema_version``)."""
    return json.dumps(comp.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _html_page(comp: Comparison, transpose: bool) -> str:
    from licencecmp.render.html import html_page

    return html_page(comp, transpose=transpose)


_RENDERERS: dict[str, Callable[[Comparison, bool], str]] = {
    **{fmt: (lambda comp, transpose, fmt=fmt: table_tabulate(comp, fmt, transpose))  # type: ignore[misc]
       for fmt in TABULATE_FORMATS},
    "markdown": lambda comp, transpose: table_markdown(comp, transpose),
    "csv": table_csv,
    "json": lambda comp, transpose: table_json(comp),
    "text": lambda comp, transpose: table_text(comp, transpose=transpose or None),
    "html-page": _html_page,
}


def render(comp: Comparison, fmt: str, transpose: bool = False) -> str:
    """Any format of :data:`FORMATS`, or ``html-page`` (a standalone page)."""
    try:
        renderer = _RENDERERS[fmt]
    except KeyError:
        raise FormatError(f"unknown table format {fmt!r}") from None
    return renderer(comp, transpose)
