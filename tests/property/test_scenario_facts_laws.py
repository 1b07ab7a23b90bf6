"""Laws of the scenario facts (issue 11): stating a purpose the licence grants never makes an
answer stricter; a larger organisation figure never loosens one; --no-release never adds an
obligation; every obligation says its trigger and every threshold whose figures it counts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.data.records import Licence, Obligation, ThresholdLimit
from licencecmp.engine import evaluate
from licencecmp.reasoning.compatibility import granted_purposes
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, Purpose, Trigger

from .strategies import CAT, LICENCES, actions, fact_scenarios, licences


def _granted(lic: Licence) -> list[Purpose]:
    """The purposes every purpose limit of the licence grants (all non-commercial ones if none)."""
    granted = frozenset(Purpose) - {Purpose.COMMERCIAL}
    for lim in lic.limits:
        if lim.type == "purpose":
            granted &= granted_purposes(lim)
    return sorted(granted, key=list(Purpose).index)


@given(licences, actions, fact_scenarios, st.data())
def test_stating_a_granted_purpose_never_makes_an_answer_stricter(lic: Licence, action: Action,
                                                                  scenario: Scenario, data: st.DataObject) -> None:
    granted = _granted(lic)
    if not granted:
        return
    purpose = data.draw(st.sampled_from(granted))
    unstated = scenario.model_copy(update={"purpose": None})
    stated = scenario.model_copy(update={"purpose": (purpose,)})
    before = evaluate(lic, action, unstated, territories=CAT.territories)
    after = evaluate(lic, action, stated, territories=CAT.territories)
    assert after.verdict.severity <= before.verdict.severity, (lic.id, action, purpose)


@given(licences, actions, fact_scenarios,
       st.sampled_from(("org_mau", "org_monthly_revenue", "org_annual_revenue")),
       st.integers(0, 10**13), st.integers(0, 10**13))
def test_a_larger_organisation_figure_never_loosens(lic: Licence, action: Action, scenario: Scenario,
                                                    field: str, a: int, b: int) -> None:
    low, high = sorted((a, b))
    value = (lambda v: v) if field == "org_mau" else float
    d_low = evaluate(lic, action, scenario.model_copy(update={field: value(low)}), territories=CAT.territories)
    d_high = evaluate(lic, action, scenario.model_copy(update={field: value(high)}), territories=CAT.territories)
    assert d_high.verdict.severity >= d_low.verdict.severity
    if not d_low.verdict.permits:
        assert not d_high.verdict.permits


@given(licences, actions, fact_scenarios)
def test_no_release_never_adds_an_obligation(lic: Licence, action: Action, scenario: Scenario) -> None:
    unstated = evaluate(lic, action, scenario.model_copy(update={"release": None}), territories=CAT.territories)
    kept = evaluate(lic, action, scenario.model_copy(update={"release": False}), territories=CAT.territories)
    assert {(o.licence, o.key) for o in kept.obligations} <= {(o.licence, o.key) for o in unstated.obligations}
    assert kept.verdict.severity <= unstated.verdict.severity


def test_every_obligation_has_a_trigger_and_every_threshold_says_whose_figure() -> None:
    assert Obligation.model_fields["trigger"].is_required()
    assert ThresholdLimit.model_fields["counts"].is_required()
    for lic in LICENCES:
        for key, ob in lic.obligations.items():
            assert isinstance(ob.trigger, Trigger), (lic.id, key)
        for lim in lic.limits:
            if lim.type == "threshold":
                assert lim.counts is not None, lic.id


@given(licences, actions, fact_scenarios)
def test_without_release_only_obligations_that_always_bind_remain(lic: Licence, action: Action,
                                                                  scenario: Scenario) -> None:
    if action in (Action.DISTRIBUTE, Action.DISTRIBUTE_DERIVATIVE, Action.SERVE):
        return  # these release what you make whatever the scenario says
    d = evaluate(lic, action, scenario.model_copy(update={"release": False}), territories=CAT.territories)
    assert all(o.trigger == Trigger.ALWAYS.value for o in d.obligations), lic.id
