"""Fuzz: the readers added for hostile input: the gitignore matcher (agrees with pathspec on
patterns pathspec handles, never backtracks), the capped reader and the text/binary classifier,
and the per-format escapers (their output is encodable and carries no line breaks or escapes)."""

from __future__ import annotations

import re
import warnings

from hypothesis import assume, given
from hypothesis import strategies as st

from licencecmp.render import escape
from licencecmp.scan.files import gitignore_spec
from licencecmp.scan.reading import classify, could_hold_model

from ._support import fuzz_settings, outcome

segment = st.text(alphabet="ab*?[]!/.\\-", min_size=1, max_size=8)
# listed paths never hold a "." or ".." component (git and the walk give normalised paths; pathspec
# normalises "./a" to "a")
path = st.lists(st.text(alphabet="ab.-", min_size=1, max_size=6).filter(lambda c: c not in (".", "..")),
                min_size=1, max_size=4).map("/".join)


@fuzz_settings()
@given(st.lists(segment, min_size=1, max_size=4), st.lists(path, min_size=1, max_size=6))
def test_gitignore_matcher_agrees_with_pathspec(patterns: list[str], paths: list[str]) -> None:
    import pathspec

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            ref = pathspec.GitIgnoreSpec.from_lines(patterns)
        except (ValueError, re.error):
            assume(False)
    assume(not any("[" in p or "\\" in p for p in patterns))  # bracket and escape corner cases differ
    assume(not any(p.lstrip("!").strip("/") == "" for p in patterns))  # "/" alone: invalid here, not there
    mine = outcome(lambda: gitignore_spec(patterns))
    for p in paths:
        # git cannot re-include a file whose folder is excluded; pathspec matches the path alone
        parts = p.split("/")
        expected = any(ref.match_file("/".join(parts[:i]) + "/") for i in range(1, len(parts))) or \
            ref.match_file(p)
        assert mine.match_file(p) == expected, (patterns, p)  # type: ignore[union-attr]


@fuzz_settings()
@given(st.integers(min_value=5, max_value=60), st.integers(min_value=100, max_value=3000))
def test_wildcards_never_backtrack(stars: int, length: int) -> None:
    rules = gitignore_spec(["*a" * stars + "*b", "**/" + "*a" * stars + "/**"])
    outcome(lambda: rules.match_file("a" * length + "/" + "a" * length))


@fuzz_settings()
@given(st.binary(max_size=4096), st.text(max_size=40))
def test_classify_and_could_hold_model_are_total(data: bytes, name: str) -> None:
    assert classify(data, name) in ("text", "binary", "utf-16")
    assert isinstance(could_hold_model(name), bool)


@fuzz_settings()
@given(st.binary(max_size=2000))
def test_escapers_give_encodable_single_lines(data: bytes) -> None:
    text = data.decode("utf-8", "surrogateescape")
    for fn in (escape.text, escape.github_data, escape.github_prop, escape.markdown, escape.markdown_code,
               escape.spdx_tv):
        out = fn(text)
        out.encode("utf-8")
        assert "\n" not in out and "\r" not in out and "\x1b" not in out
    assert "\x00" not in escape.junit(text)
    escape.scrub(text).encode("utf-8")
