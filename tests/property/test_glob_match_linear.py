"""glob_match, the matcher of the registry's family rules: the same answers as a regular
expression built from the pattern, and no backtracking on hostile names."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.text import glob_match

alphabet = st.sampled_from("ab-*")
names = st.text(alphabet=st.sampled_from("aAb-"), max_size=24)
patterns = st.text(alphabet=alphabet, min_size=1, max_size=12)


def reference(pattern: str, name: str) -> bool:
    rx = "".join(".*" if c == "*" else re.escape(c) for c in pattern.casefold())
    return re.fullmatch(rx, name.casefold(), flags=re.DOTALL) is not None


@given(patterns, names)
def test_glob_match_agrees_with_the_regular_expression_it_stands_for(pattern: str, name: str) -> None:
    assert glob_match(pattern, name) == reference(pattern, name)


def test_glob_match_does_not_backtrack_on_a_hostile_name() -> None:
    # A backtracking matcher tries every split of the name for every '*': with 30 stars over a
    # 100,000-character name that never matches, it would not return in our lifetime.
    pattern = "a*" * 30 + "b"
    assert glob_match(pattern, "a" * 100_000) is False
    assert glob_match(pattern, "a" * 100_000 + "b") is True
