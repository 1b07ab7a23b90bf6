"""``github_table`` (the GitHub table ``compare`` prints by default, written without importing
tabulate) is tabulate's ``github`` format byte for byte, and hands anything of unknown width to
tabulate."""

from __future__ import annotations

import pytest
import wcwidth
from hypothesis import given, settings
from hypothesis import strategies as st
from tabulate import tabulate

import licencecmp
from licencecmp.render.table import GITHUB_WIDTHS, github_table, layout

CAT = licencecmp.catalogue()


def _answerable(model_id: str) -> bool:
    """Whether every licence that binds the model (its own and its upstream models') has a text: a model under
    a licence known but not encoded is reported by that licence's name, and compare refuses it."""
    try:
        CAT.resolve(model_id)
    except licencecmp.LicencecmpError:
        return False
    return True


def tabulated(rows: list[list[str]], headers: list[str]) -> str:
    return str(tabulate(rows, headers=headers, tablefmt="github", disable_numparse=True))


@pytest.mark.parametrize("char", sorted(GITHUB_WIDTHS))
def test_every_width_is_wcwidths(char: str) -> None:
    assert wcwidth.wcswidth(char) == GITHUB_WIDTHS[char]


@pytest.mark.parametrize("transpose", [False, True])
def test_the_catalogue_compared_as_tabulate_writes_it(transpose: bool) -> None:
    names_all = [*CAT.ids(), *[m.id for m in CAT.models() if _answerable(m.id)][::25]]
    for names in (names_all[i:i + 7] for i in range(0, len(names_all), 7)):
        for facts in ({}, {"mau": 1_000_000_000, "domicile": "DE", "used_in": ["DE", "FR"]}):
            table = licencecmp.compare(list(names), **facts)  # type: ignore[arg-type]
            headers, rows = layout(table, transpose)
            data = [[label, *(c.label for c in cells)] for label, cells in rows]
            assert github_table(data, headers) == tabulated(data, headers)


_KNOWN = st.sampled_from([*GITHUB_WIDTHS, " ", "|", "\\", "a", "Z", "0", "-", ":", "~"])
_ANY = st.one_of(_KNOWN, st.characters(), st.sampled_from(["\n", "\t", "\x1b", "漢", "\u200b", "é"]))


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.tuples(
    st.lists(st.text(_KNOWN, max_size=12), min_size=n, max_size=n),
    st.lists(st.lists(st.text(st.one_of(_KNOWN, _ANY) if n % 2 else _KNOWN, max_size=12), min_size=n, max_size=n),
             max_size=4))))
def test_any_cells_as_tabulate_writes_them(table: tuple[list[str], list[list[str]]]) -> None:
    headers, rows = table
    assert github_table(rows, headers) == tabulated(rows, headers)
