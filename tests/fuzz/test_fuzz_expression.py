"""Fuzz: SPDX licence expressions and licence names (parse_expression, decide_name, resolve).

Grammar-shaped expressions from real ids, aliases, model ids and junk, nested and unbalanced,
plus free text: each gives a parsed expression / decision, or an ExpressionError /
UnknownLicenceError (LicencecmpError), never another exception.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.data.catalogue import default_catalogue
from licencecmp.engine import Decision
from licencecmp.errors import LicencecmpError
from licencecmp.reasoning.expression import decide_name, is_expression, parse_expression
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action

from ._support import bulk, fuzz_settings, outcome

CAT = default_catalogue()
NAMES = sorted({*CAT.ids(), *CAT.alias_names()[:40], *(m.id for m in CAT.models()[:20])})
JUNK = ["", " ", "MIT+", "GPL-2.0-or-later", "LicenseRef-", "LicenseRef-x", "DocumentRef-a:LicenseRef-b",
        "Apache-2.0 WITH", "WITH", "AND", "OR", "and", "or", "(", ")", "((", "))", "NOASSERTION", "NONE",
        "Classpath-exception-2.0", "llama-9", "ｍｉｔ", "mit\x00", "mit\n", "\u202emit"]

atoms = st.one_of(st.sampled_from(NAMES), st.sampled_from(JUNK),
                  st.text(st.characters(codec="utf-8"), max_size=20))
operators = st.sampled_from([" AND ", " OR ", " WITH ", " and ", " or ", "AND", " ", "", " + ", ",", "/"])


@st.composite
def expressions(draw: st.DrawFn, depth: int = 0) -> str:
    if depth > 4 or draw(st.integers(0, 3)) == 0:
        return draw(atoms)
    parts = [draw(expressions(depth + 1)) for _ in range(draw(st.integers(1, 4)))]
    text = draw(operators).join(parts)
    wrap = draw(st.sampled_from(["()", "(", ")", "", "", ""]))
    return {"()": f"({text})", "(": f"({text}", ")": f"{text})"}.get(wrap, text)


deep = st.integers(1, 2000).map(lambda n: "(" * n + "mit" + ")" * n)
chains = st.integers(1, 300).map(lambda n: " AND ".join(["mit"] * n))
large = bulk(64 * 1024).map(lambda b: b.decode("utf-8", "replace"))


@fuzz_settings()
@given(st.one_of(expressions(), deep, chains, large))
def test_parse_expression_returns_or_raises_expression_error(text: str) -> None:
    result = outcome(lambda: parse_expression(text, CAT))
    if not isinstance(result, LicencecmpError):
        assert result is not None


@fuzz_settings()
@given(st.one_of(expressions(), deep, chains), st.sampled_from(list(Action)))
def test_decide_name_gives_a_decision_or_a_licencecmp_error(text: str, action: Action) -> None:
    result = outcome(lambda: decide_name(text, action, Scenario(), CAT))
    if not isinstance(result, LicencecmpError):
        assert isinstance(result, Decision)
        assert result.action is action


@fuzz_settings()
@given(st.one_of(atoms, expressions(), large))
def test_resolve_and_get_raise_only_licencecmp_errors(text: str) -> None:
    outcome(lambda: CAT.resolve(text))
    outcome(lambda: CAT.get(text))
    outcome(lambda: CAT.suggest(text))
    assert isinstance(is_expression(text), bool)
