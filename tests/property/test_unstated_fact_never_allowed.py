"""Law: an answer given without a fact is never `allowed` when some value of that fact would
refuse; it is at least as strict as the answer for any value of the fact... up to `conditional`."""

from __future__ import annotations

from collections.abc import Sequence

from hypothesis import given
from hypothesis import strategies as st

from licencecmp import Verdict
from licencecmp.data.records import Licence
from licencecmp.engine import evaluate
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action

from .strategies import CAT, actions, countries, licences, scenarios

PROBES: dict[str, Sequence[object]] = {
    "mau": [0, 10**6, 10**8, 10**8 + 1, 7 * 10**8 + 1, 10**12],
    "monthly_revenue": [0.0, 2e7 + 1, 1e12],
    "annual_revenue": [0.0, 1e6 + 1, 1e12],
    "domicile": ["US", "DE", "GB", "KR", "CN", "FR"],
    "used_in": [("US",), ("DE",), ("GB",), ("KR",), ("FR", "US")],
    "modality": ["text", "multimodal"],
    "commercial": [True, False],
    "release": [True, False],  # issue 24: releasing what modify or train-on-outputs makes is distributing it
}


@given(licences, actions, scenarios, st.sampled_from(sorted(PROBES)))
def test_missing_fact_is_never_allowed_if_a_value_refuses(lic: Licence, action: Action, scenario: Scenario,
                                                          field: str) -> None:
    unstated = scenario.model_copy(update={field: None})
    d = evaluate(lic, action, unstated, territories=CAT.territories)
    for value in PROBES[field]:
        probe = evaluate(lic, action, unstated.model_copy(update={field: value}), territories=CAT.territories)
        if not probe.verdict.permits:
            assert d.verdict is not Verdict.ALLOWED, (lic.id, action, field, value)
            if d.verdict.permits:
                assert d.conditions, "a permitting answer that depends on a missing fact must name it"


@given(licences, actions, countries)
def test_every_licence_answers_every_action(lic: Licence, action: Action, country: str) -> None:
    assert action in lic.actions
    d = evaluate(lic, action, territories=CAT.territories)
    assert d.evidence and d.reasons
