"""is_expression answers a name without bracket or white space without its regular expression:
the same answers as the regular expression alone (an operator word between white space or the
ends, or a bracket), whatever the case, the white space or the letters that fold to those words."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.text import is_expression

# The regular expression is_expression stands for, written out again (the reference).
OPERATOR = re.compile(r"(^|\s)(and|or|with)(\s|$)|[()]", re.IGNORECASE)

# Letters of the operator words in both cases and the characters that fold to them (dotless i,
# dotted capital I, the Kelvin sign), white space of several kinds, brackets and other characters.
pieces = st.sampled_from(["a", "A", "n", "N", "d", "D", "o", "O", "r", "R", "w", "W", "i", "I", "t", "T", "h", "H",
                          "\u0131", "\u0130", "\u212a", " ", "\t", "\u00a0", "\u2003", "\n", "(", ")", "-", "/",
                          ".", "x", "and", "or", "with", "AND", "Or", "wItH"])
names = st.lists(pieces, max_size=10).map("".join)


@given(names)
def test_is_expression_agrees_with_its_regular_expression(name: str) -> None:
    assert is_expression(name) == bool(OPERATOR.search(name))


def test_names_without_space_or_bracket() -> None:
    assert not is_expression("meta-llama/Llama-3.1-8B")
    assert not is_expression("apache-2.0")
    assert is_expression("MIT OR Apache-2.0")
    assert is_expression("(mit)")
    assert is_expression("with") and is_expression("OR") and not is_expression("andor")
