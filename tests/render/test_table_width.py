"""Terminal tables align by display width: ✋ takes two cells, so every line of a table is as wide
as its header on screen (wcwidth), not as long in characters."""

from __future__ import annotations

import pytest
from wcwidth import wcswidth

import licencecmp
from licencecmp.render.table import TABULATE_FORMATS, render


@pytest.mark.parametrize("fmt", ["github", "grid", "pipe", "orgtbl"])
def test_rows_have_the_same_display_width(fmt: str) -> None:
    assert fmt in TABULATE_FORMATS
    table = licencecmp.compare(["llama-3.1", "mit", "gemma"], mau=800_000_000)
    assert any("needs-permission" in c.label for r in table.rows for c in r.cells.values())
    lines = [line for line in render(table, fmt).splitlines() if line.startswith(("|", "+"))]
    widths = {wcswidth(line) for line in lines}
    assert len(lines) > 3 and len(widths) == 1, widths
