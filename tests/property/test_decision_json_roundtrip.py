"""Law: the JSON of a Decision round-trips through the model."""

from __future__ import annotations

from hypothesis import given

from licencecmp.data.records import Licence
from licencecmp.engine import Decision, evaluate
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action

from .strategies import CAT, actions, licences, scenarios


@given(licences, actions, scenarios)
def test_decision_json_round_trips(lic: Licence, action: Action, scenario: Scenario) -> None:
    d = evaluate(lic, action, scenario, territories=CAT.territories)
    assert Decision.model_validate_json(d.model_dump_json()) == d
