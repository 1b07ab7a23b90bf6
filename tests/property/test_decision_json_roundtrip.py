"""Law: the JSON of a Decision round-trips through the model."""

from __future__ import annotations

from hypothesis import given

from licencecmp.engine import Decision, evaluate

from .strategies import CAT, actions, licences, scenarios


@given(licences, actions, scenarios)
def test_decision_json_round_trips(lic, action, scenario) -> None:  # type: ignore[no-untyped-def]
    d = evaluate(lic, action, scenario, territories=CAT.territories)
    assert Decision.model_validate_json(d.model_dump_json()) == d
