"""Law: a higher user count or revenue never turns a refusal into a permission, and never makes
a verdict less strict."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.data.records import Licence
from licencecmp.engine import evaluate
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action

from .strategies import CAT, actions, licences, scenarios

FIELDS = ("mau", "monthly_revenue", "annual_revenue")


@given(licences, actions, scenarios, st.sampled_from(FIELDS), st.integers(0, 10**12), st.integers(0, 10**12))
def test_more_users_or_revenue_is_never_more_permissive(lic: Licence, action: Action, scenario: Scenario, field: str,
                                                         a: int, b: int) -> None:
    low, high = sorted((a, b))
    s_low = scenario.model_copy(update={field: low})
    s_high = scenario.model_copy(update={field: high})
    d_low = evaluate(lic, action, s_low, territories=CAT.territories)
    d_high = evaluate(lic, action, s_high, territories=CAT.territories)
    assert d_high.verdict.severity >= d_low.verdict.severity
    if not d_low.verdict.permits:
        assert not d_high.verdict.permits
