"""Law: ``licencecmp.can`` answers byte for byte as the general path does, and as the engine does
with nothing kept.

``can`` answers a name under one licence through its own path (the facts checked once, the
scenario built once with what the action says) and keeps answers between questions (those of a
rule without limits, by release and modality; those under limits, by the states of the limits).
The general path (:func:`licencecmp.reasoning.lookup.decide_binding` of ``make_scenario``'s
scenario) and :func:`licencecmp.engine.decide` with no catalogue (nothing kept: a fresh
:class:`~licencecmp.engine.Cited` for every answer) must give the same JSON, whatever was asked before.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import licencecmp
from licencecmp.data.catalogue import Resolved
from licencecmp.engine import decide
from licencecmp.reasoning.expression import is_expression
from licencecmp.reasoning.lookup import decide_binding, lookup
from licencecmp.scenario import make_scenario
from licencecmp.vocab import Action, parse_action

from .strategies import CAT

ALIASES = sorted({a for i in CAT.ids() for a in (CAT.licence(i).spdx, *CAT.licence(i).aliases) if a and a != i})
NAMES = [*CAT.ids()[::2], *ALIASES[::5], *[a for a in ALIASES if is_expression(a)],
         *(m.id for m in CAT.models()[::9])]
PLACES = ["US", "DE", "FR", "CN", "GB", "KR", "EU", "EEA", "IR", "RU"]
SCALES = [0, 10, 1_000, 1_000_000, 100_000_000, 700_000_000, 700_000_001, 800_000_000, 2_000_000_000]


def _answerable(name: str) -> bool:
    try:
        licencecmp.can(name, "use")
    except licencecmp.LicencecmpError:  # a licence with no text, an ambiguous alias: refused by design
        return False
    return True


names = st.sampled_from([n for n in NAMES if _answerable(n)])
figures = st.one_of(st.none(), st.sampled_from(SCALES), st.integers(min_value=0, max_value=3_000_000_000))


@st.composite
def facts(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {}
    mau = draw(figures)
    if mau is not None:
        out["mau"] = mau
        if draw(st.booleans()):
            out["org_mau"] = mau * draw(st.sampled_from([1, 2, 10]))
    revenue = draw(figures)
    if revenue is not None:
        out["annual_revenue"] = float(revenue)
    where = draw(st.sampled_from(["none", "region", "places", "used_in"]))
    if where == "region":
        out["region"] = draw(st.sampled_from(PLACES))
    elif where == "places":
        out["domicile"] = draw(st.sampled_from(PLACES))
        out["used_in"] = draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=3))
    elif where == "used_in":
        out["used_in"] = draw(st.sampled_from([[], ["DE"], ("US", "CN"), "GB"]))
    for flag in ("commercial", "production", "end_user", "release"):
        value = draw(st.sampled_from([None, None, True, False]))
        if value is not None:
            out[flag] = value
    if draw(st.booleans()):
        out["purpose"] = draw(st.sampled_from(["research", "personal", "education", "evaluation", ["research"]]))
        if out.get("commercial") is False:
            del out["commercial"]
    if draw(st.booleans()):
        out["modality"] = draw(st.sampled_from(["text", "multimodal", None]))
    return out


def _nothing_kept(name: str, action: Action, stated: dict[str, Any]) -> str | None:
    """The engine's answer with no catalogue (nothing kept), where the name is one licence or one model's."""
    b = lookup(name, CAT)
    if b.direct is None:
        return None
    scenario = make_scenario(cat=CAT, **stated)
    if b.model is None:
        return decide(CAT.resolve(b.direct.licence.id), action, scenario, CAT.territories, None).model_dump_json()
    own = b.choices[0]
    return decide(Resolved(own[0], b.model, own[1:]), action, scenario, CAT.territories, None,
                  provenance=b.direct.resolved).model_dump_json()


@settings(max_examples=400, deadline=None)
@given(names, st.sampled_from(list(Action)), facts())
def test_can_answers_as_the_general_path(name: str, action: Action, stated: dict[str, Any]) -> None:
    act = parse_action(action)
    general = decide_binding(name, act, make_scenario(cat=CAT, **stated), CAT).model_dump_json()
    for _ in range(2):  # the second time from what the first kept
        assert licencecmp.can(name, action.value, **stated).model_dump_json() == general, (name, action, stated)
    alone = _nothing_kept(name, act, stated)
    if alone is not None:
        assert alone == general, (name, action, stated)


@settings(max_examples=100, deadline=None)
@given(names, st.sampled_from(list(Action)), facts())
def test_can_refuses_as_make_scenario(name: str, action: Action, stated: dict[str, Any]) -> None:
    """A fact make_scenario refuses is refused by can() with the same error, on every path."""
    bad = dict(stated, mau=-1) if "mau" not in stated else dict(stated, org_mau=stated["mau"] - 1)
    try:
        make_scenario(cat=CAT, **bad)
    except licencecmp.ScenarioError as exc:
        expected = str(exc)
    else:  # org_mau below mau by one is refused only where mau is at least 1
        return
    try:
        licencecmp.can(name, action.value, **bad)
    except licencecmp.ScenarioError as exc:
        assert str(exc) == expected
    else:
        raise AssertionError(f"can() took {bad!r}")
