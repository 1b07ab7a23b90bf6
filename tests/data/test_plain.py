"""``data.plain.construct`` builds what pydantic's ``model_construct`` builds: the same values,
the same fields set, equal objects, for every result model it is used for."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel

import licencecmp
from licencecmp.data.plain import construct
from licencecmp.engine import Citation, Decision, DecisionObligation
from licencecmp.scenario import Scenario, make_scenario

CAT = licencecmp.catalogue()
DECISION = licencecmp.can("llama-3.1", "distribute", mau=800_000_000, region="EU")


@pytest.mark.parametrize(("cls", "values"), [
    (Citation, DECISION.evidence[0].model_dump()),
    (DecisionObligation, {"id": "notice", "key": "k", "text": "t", "licence": "mit", "evidence": DECISION.evidence}),
    (Decision, {"licence": "mit", "action": DECISION.action, "verdict": DECISION.verdict}),
    (Decision, {name: getattr(DECISION, name) for name in Decision.model_fields}),
    (Scenario, {}),
    (Scenario, {"mau": 5, "domicile": "DE", "used_in": ("DE",)}),
])
def test_construct_is_model_construct(cls: type[BaseModel], values: dict[str, Any]) -> None:
    fast = construct(cls, dict(values))
    slow = BaseModel.model_construct.__func__(cls, **dict(values))  # type: ignore[attr-defined]  # pydantic's own
    assert type(fast) is cls
    assert fast == slow and fast.__dict__ == slow.__dict__ and list(fast.__dict__) == list(slow.__dict__)
    assert fast.model_fields_set == slow.model_fields_set
    assert fast.model_dump_json() == slow.model_dump_json()


def test_model_construct_uses_it_and_keeps_explicit_fields_set() -> None:
    assert Scenario.model_construct().model_fields_set == set()
    explicit = Scenario.model_construct({"mau"}, mau=3)
    assert explicit.model_fields_set == {"mau"} and explicit.mau == 3
    assert make_scenario(mau=3) == Scenario.model_validate({"mau": 3})


def test_defaults_are_immutable() -> None:
    """construct shares each default between objects, so every default must be immutable."""
    for cls in (Citation, DecisionObligation, Decision, Scenario):
        for name, info in cls.model_fields.items():
            if not info.is_required() and info.default_factory is None:
                hash(info.default)  # a mutable default (list, dict, set) would be unhashable
                assert not isinstance(info.default, (list, dict, set)), (cls.__name__, name)


def test_cached_parts_are_shared_and_equal() -> None:
    """Answers built with the catalogue's cache equal answers built without it."""
    from licencecmp.engine import evaluate
    from licencecmp.vocab import Action

    for lic in list(CAT)[::3]:
        for action in Action:
            scenario = make_scenario(mau=10**9, used_in=["CN"])
            assert evaluate(lic, action, scenario, territories=CAT.territories, cat=CAT) == evaluate(
                lic, action, scenario, territories=CAT.territories)
