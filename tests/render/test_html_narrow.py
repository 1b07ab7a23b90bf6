"""The html comparison on a narrow screen and in the docs (issue 23 §3): the licence column stays
in view (sticky), a line says how many columns lie to the right, and the caption sits outside
the scrolling box, so that it is never clipped (the docs page at 1280 px clipped it)."""

from __future__ import annotations

import re

import pytest

from licencecmp.reasoning.comparison import compare
from licencecmp.render.html import docs_css, html_page, html_table


@pytest.mark.parametrize("transpose", [False, True])
def test_page_keeps_the_first_column_and_says_what_lies_right(transpose: bool) -> None:
    comp = compare(["llama-3.1", "mit", "gemma"])
    page = html_page(comp, transpose=transpose)
    assert re.search(r"tbody th, thead > tr > :first-child \{ position: sticky; left: 0;", page)
    columns = len(comp.rows) if transpose else len(comp.actions) + len(comp.facts)
    assert f'<p class="more">{columns} ' in page
    before, after = page.split('<div class="scroll"', 1)
    assert '<p class="table-caption">What each licence lets you do' in before
    assert '<caption class="sr-only">' in after  # still there for screen readers


def test_docs_table_caption_outside_the_scroll_box() -> None:
    comp = compare(["llama-3.1", "mit"])
    html = html_table(comp)
    before, after = html.split('<div class="licencecmp-scroll"', 1)
    assert 'class="licencecmp-caption"' in before and 'class="licencecmp-more"' in before
    assert '<caption class="licencecmp-sr">' in after
    css = docs_css()
    assert "position: sticky; left: 0;" in css and ".licencecmp-sr {" in css
    assert "border-collapse: separate" in css  # sticky cells keep their borders
