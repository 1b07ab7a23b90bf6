"""A comparison table as one standalone HTML page: no JavaScript, no external assets.

The page holds a colour-coded matrix (each verdict also as a symbol and a word, so it survives
black-and-white print and screen readers), a legend, the scenario it was computed for, and the
clauses behind each cell: on hover (``title``) and on focus or click (``<details>``). It follows
the reader's light or dark preference.
"""

from __future__ import annotations

from html import escape

from licencecmp.reasoning.comparison import FACTS, Cell, Comparison, Row
from licencecmp.render.common import NOTE, caption
from licencecmp.vocab import Verdict

__all__ = ["docs_css", "html_page", "html_table", "legend_html"]

_LIGHT = """
  --bg: #ffffff; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --head: #f6f8fa; --fact: #ffffff;
  --allowed-bg: #dafbe1; --allowed-fg: #0a4a1c;
  --conditional-bg: #fff3c4; --conditional-fg: #5c4300;
  --unclear-bg: #eee5fb; --unclear-fg: #4b2382;
  --needs-permission-bg: #ffe2cc; --needs-permission-fg: #7a2e00;
  --prohibited-bg: #ffd7d5; --prohibited-fg: #82071e;"""
_DARK = """
  --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #161b22; --fact: #0d1117;
  --allowed-bg: #12361f; --allowed-fg: #aff5b4;
  --conditional-bg: #3b2e05; --conditional-fg: #f8e3a1;
  --unclear-bg: #2e1f4d; --unclear-fg: #dcc8ff;
  --needs-permission-bg: #45230b; --needs-permission-fg: #ffc9a3;
  --prohibited-bg: #4a1416; --prohibited-fg: #ffc1c0;"""
_CSS = f"""
:root {{ color-scheme: light dark;{_LIGHT} }}
@media (prefers-color-scheme: dark) {{ :root {{{_DARK} }} }}
""" + """* { box-sizing: border-box; }
html { background: var(--bg); color: var(--fg); }
body { margin: 0; padding: 1rem; font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 100%; }
h1 { font-size: 1.4rem; margin: 0 0 .5rem; }
p { margin: .4rem 0; max-width: 60rem; }
.scenario { font-size: 1rem; }
.scroll { overflow-x: auto; max-width: 100%; }
table { width: 100%; border-collapse: separate; border-spacing: 0; margin: .75rem 0; }
.table-caption { color: var(--muted); margin: .75rem 0 0; }
.more { color: var(--muted); font-style: italic; margin: .2rem 0 0; }
@media (min-width: 1100px) { .more { display: none; } }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
caption { text-align: left; color: var(--muted); padding-bottom: .3rem; }
table { font-size: 12px; }
th, td { border: 1px solid var(--line); padding: .3rem .3rem; vertical-align: top; text-align: left;
  overflow-wrap: break-word; }
thead th { background: var(--head); font-weight: 600; }
tbody th { background: var(--head); font-weight: 600; }
td { min-width: 5.5rem; }
tbody th, thead > tr > :first-child { position: sticky; left: 0; z-index: 1; min-width: 8rem; max-width: 40vw;
  box-shadow: 2px 0 3px -1px var(--line); }
thead > tr > :first-child { background: var(--head); }
tbody th .title { display: block; font-weight: 400; color: var(--muted); font-size: .9em; }
td.fact { background: var(--fact); }
td .cond { display: block; font-size: .92em; margin-top: .15rem; }
.v { font-weight: 600; }
summary { cursor: pointer; list-style: none; }
summary::-webkit-details-marker { display: none; }
summary:focus-visible { outline: 2px solid currentColor; outline-offset: 1px; }
details[open] summary { margin-bottom: .3rem; }
.cites { margin: 0; padding: 0; list-style: none; font-size: .9em; }
.cites li { margin: 0 0 .3rem; }
.cites cite { font-style: normal; font-weight: 600; }
""" + "".join(
    f"td.{v.value} {{ background: var(--{v.value}-bg); color: var(--{v.value}-fg); }}\n"
    f".legend .{v.value} {{ background: var(--{v.value}-bg); color: var(--{v.value}-fg); }}\n"
    for v in Verdict
) + """
.legend { display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; margin: .5rem 0; list-style: none; }
.legend li { border: 1px solid var(--line); border-radius: 4px; padding: .2rem .5rem; }
footer { color: var(--muted); margin-top: 1rem; }
@media print { details .cites { display: block; } td, .legend li { -webkit-print-color-adjust: exact;
  print-color-adjust: exact; } }
"""


def _title(cell: Cell) -> str:
    return "\n".join(f"{c.label}: “{c.quote}”" for c in cell.evidence)


def _cites(cell: Cell) -> str:
    items = "".join(f"<li><cite>{escape(c.label)}</cite> <q>{escape(c.quote)}</q></li>" for c in cell.evidence)
    return f'<ul class="cites">{items}</ul>'


def _td(cell: Cell) -> str:
    if cell.verdict is not None:
        head = (f'<span class="v"><span aria-hidden="true">{escape(cell.verdict.symbol)}</span> '
                f"{escape(cell.verdict.value)}</span>")
        cond = f'<span class="cond">{escape(cell.text)}</span>' if cell.text else ""
        cls = cell.verdict.value
    else:
        head, cond, cls = escape(cell.text), "", "fact"
    if not cell.evidence:
        return f'<td class="{cls}">{head}{cond}</td>'
    return (f'<td class="{cls}" title="{escape(_title(cell))}"><details><summary>{head}{cond}</summary>'
            f"{_cites(cell)}</details></td>")


def _row_heading(row: Row) -> str:
    return f'{escape(row.label)}<span class="title">{escape(row.title)}</span>'


def _matrix(comp: Comparison, transpose: bool) -> str:
    col_heads = [a.value for a in comp.actions] + [FACTS[f] for f in comp.facts]
    lines: list[str] = []
    if not transpose:
        lines.append("<thead><tr><th scope=\"col\">licence</th>"
                     + "".join(f'<th scope="col">{escape(h)}</th>' for h in col_heads) + "</tr></thead>")
        lines.append("<tbody>")
        for row in comp.rows:
            cells = [row.cells[a] for a in comp.actions] + [row.facts[f] for f in comp.facts]
            lines.append(f'<tr><th scope="row">{_row_heading(row)}</th>' + "".join(_td(c) for c in cells) + "</tr>")
    else:
        lines.append('<thead><tr><td></td>'
                     + "".join(f'<th scope="col">{_row_heading(r)}</th>' for r in comp.rows) + "</tr></thead>")
        lines.append("<tbody>")
        for i, head in enumerate(col_heads):
            cells = [([r.cells[a] for a in comp.actions] + [r.facts[f] for f in comp.facts])[i] for r in comp.rows]
            lines.append(f'<tr><th scope="row">{escape(head)}</th>' + "".join(_td(c) for c in cells) + "</tr>")
    lines.append("</tbody>")
    return "\n".join(lines)


def legend_html() -> str:
    """The verdicts, each with its symbol, word, meaning and colour (``<li>`` items)."""
    return "".join(
        f'<li class="{v.value}"><span aria-hidden="true">{escape(v.symbol)}</span> <strong>{escape(v.value)}</strong>'
        f" — {escape(v.meaning)}</li>"
        for v in sorted(Verdict, key=lambda v: v.severity)
    )


def _caption(comp: Comparison) -> str:
    return f"What each licence lets you do ({escape(comp.scenario_text)})"


def _more(comp: Comparison, transpose: bool, cls: str) -> str:
    """A line that says how many columns the table has and that it scrolls sideways (shown on
    narrow screens, where the columns to the right are out of view; the first column stays put)."""
    columns = len(comp.rows) if transpose else len(comp.actions) + len(comp.facts)
    what = "licences" if transpose else "columns"
    return (f'<p class="{cls}">{columns} {what} after the first: scroll the table sideways to see them '
            "(the first column stays in view) →</p>\n")


def html_table(comp: Comparison, *, transpose: bool = False) -> str:
    """The comparison as one ``<table class="licencecmp-compare">`` (cells classed by verdict, clauses in
    ``<details>``), inside a scrolling ``<div>``: for pages that bring their own style (:func:`docs_css`)."""
    return (f'<p class="licencecmp-caption">{_caption(comp)}</p>\n{_more(comp, transpose, "licencecmp-more")}'
            f'<div class="licencecmp-scroll" tabindex="0" role="region" aria-label="comparison table">\n'
            f'<table class="licencecmp-compare">\n<caption class="licencecmp-sr">{_caption(comp)}</caption>\n'
            f"{_matrix(comp, transpose)}\n</table>\n</div>\n")


def docs_css() -> str:
    """The html page's verdict colours for a documentation site (mkdocs-material): the same light and
    dark palettes, scoped to :func:`html_table`'s table and the legend, following the site's scheme."""
    scoped = ".licencecmp-scroll, .licencecmp-legend"
    return (f"{scoped} {{{_LIGHT} }}\n"
            f"[data-md-color-scheme=\"slate\"] :is({scoped}) {{{_DARK} }}\n"
            ".licencecmp-scroll { overflow-x: auto; max-width: 100%; margin: .4em 0 1em; }\n"
            ".md-typeset .licencecmp-caption { color: var(--md-default-fg-color--light); margin: 1em 0 0; }\n"
            ".md-typeset .licencecmp-more { font-style: italic; margin: .2em 0 0; font-size: .64rem; }\n"
            "@media (min-width: 76.25em) { .md-typeset .licencecmp-more { display: none; } }\n"
            ".licencecmp-sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);"
            " white-space: nowrap; }\n"
            ".md-typeset table.licencecmp-compare tbody th, .md-typeset table.licencecmp-compare thead > tr >"
            " :first-child { position: sticky; left: 0; z-index: 1; background: var(--md-default-bg-color);"
            " box-shadow: 2px 0 3px -1px var(--line); }\n"
            ".md-typeset table.licencecmp-compare { display: table; border-collapse: separate; border-spacing: 0;"
            " font-size: .64rem; min-width: 100%; width: max-content; max-width: none; }\n"
            ".md-typeset table.licencecmp-compare th, .md-typeset table.licencecmp-compare td {"
            " border: 1px solid var(--line); padding: .3em .4em; vertical-align: top; min-width: 7.5em;"
            " max-width: 16em; }\n"
            ".md-typeset table.licencecmp-compare th .title { display: block; font-weight: 400; font-size: .9em; }\n"
            ".md-typeset table.licencecmp-compare td .cond { display: block; font-size: .92em; }\n"
            ".md-typeset table.licencecmp-compare .v { font-weight: 600; }\n"
            ".md-typeset table.licencecmp-compare details { margin: 0; padding: 0; border: 0; box-shadow: none;"
            " background: none; font-size: inherit; color: inherit; overflow: visible; }\n"
            ".md-typeset table.licencecmp-compare summary { cursor: pointer; list-style: none; margin: 0; padding: 0;"
            " background: none; border: 0; font-weight: inherit; color: inherit; }\n"
            ".md-typeset table.licencecmp-compare summary::before,"
            " .md-typeset table.licencecmp-compare summary::after { display: none; }\n"
            ".md-typeset table.licencecmp-compare .cites { margin: .3em 0 0; padding: 0; list-style: none; }\n"
            ".md-typeset ul.licencecmp-legend { display: flex; flex-wrap: wrap; gap: .4rem; padding: 0; margin-left: 0;"
            " list-style: none; }\n"
            ".md-typeset ul.licencecmp-legend li { border: 1px solid var(--line); border-radius: 4px;"
            " padding: .2rem .5rem; margin: 0; list-style: none; }\n"
            + "".join(f".md-typeset table.licencecmp-compare td.{v.value}, .licencecmp-legend .{v.value} {{"
                      f" background: var(--{v.value}-bg); color: var(--{v.value}-fg); }}\n" for v in Verdict))


def html_page(comp: Comparison, *, transpose: bool = False, title: str = "Licence comparison") -> str:
    """The standalone page for a comparison."""
    legend = legend_html()
    ids = ", ".join(r.label for r in comp.rows)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="generator" content="licencecmp">
<title>{escape(title)}: {escape(ids)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>{escape(title)}</h1>
<p class="scenario"><strong>{escape(caption(comp))}</strong></p>
<p>Each cell gives the verdict as a symbol and a word, then the short condition. Hover over a cell, or
focus it and press Enter, to read the clauses it rests on.</p>
<h2 id="legend-heading" style="font-size:1rem;margin:.75rem 0 0">Legend</h2>
<ul class="legend" aria-labelledby="legend-heading">{legend}</ul>
<p class="table-caption">{_caption(comp)}</p>
{_more(comp, transpose, "more")}<div class="scroll" tabindex="0" role="region" aria-label="comparison table">
<table>
<caption class="sr-only">{_caption(comp)}</caption>
{_matrix(comp, transpose)}
</table>
</div>
<footer><p>{escape(NOTE)} Generated by licencecmp from its licence data.</p></footer>
</main>
</body>
</html>
"""
