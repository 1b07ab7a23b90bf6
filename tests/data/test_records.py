"""The plain records of the answer path (``data/records.py``) are generated from the pydantic models
and behave as they do: the same fields and defaults, equal values, the same JSON bytes."""

from __future__ import annotations

import copy
import json
import pickle
import subprocess
import sys
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, ValidationError

import licencecmp
from licencecmp.data import gen_records, records, results, schema
from licencecmp.data.catalogue import compiled_path
from licencecmp.data.plain import jsonable
from licencecmp.data.records import record_of
from licencecmp.engine import Citation, Decision, DecisionObligation, evaluate
from licencecmp.scenario import Scenario, make_scenario
from licencecmp.vocab import Action, Modality

CAT = licencecmp.catalogue()
DECISION = licencecmp.can("meta-llama/Llama-3.1-8B", "distribute", mau=800_000_000, region="EU")
RAW = json.loads(compiled_path().read_text(encoding="utf-8"))


def test_records_file_is_current() -> None:
    assert gen_records.target().read_text(encoding="utf-8") == gen_records.render(), (
        "stale data/records.py: run python -m licencecmp.data.compile")


@pytest.mark.parametrize("model", gen_records.MODELS, ids=lambda m: m.__name__)
def test_fields_and_defaults_equal_the_model(model: Any) -> None:
    record = getattr(records, model.__name__)
    assert record._fields == tuple(model.model_fields)
    assert record.model_fields is model.model_fields
    assert record.model_class() is model
    for name, info in model.model_fields.items():
        if info.is_required():
            continue
        built = record.model_construct(**{n: None for n in model.model_fields if model.model_fields[n].is_required()})
        default = info.get_default(call_default_factory=True)
        assert getattr(built, name) == record_of(default), (model.__name__, name)


def test_the_answer_path_names_are_the_records() -> None:
    assert (Citation, Decision, DecisionObligation, Scenario) == (
        records.Citation, records.Decision, records.DecisionObligation, records.Scenario)
    loaded: list[Any] = [CAT.licence("mit"), CAT.model("meta-llama/Llama-3.1-8B")]
    assert [type(x) for x in loaded] == [records.Licence, records.ModelEntry]


def test_the_compiled_catalogue_loads_as_its_validated_models() -> None:
    for lid, raw in RAW["licences"].items():
        assert CAT.licence(lid) == record_of(schema.Licence.model_validate(raw)), lid
        assert jsonable(CAT.licence(lid)) == schema.Licence.model_validate(raw).model_dump(mode="json")
    for raw in RAW["models"][::7]:
        assert CAT.model(raw["id"]) == record_of(schema.ModelEntry.model_validate(raw))


def test_json_is_pydantics() -> None:
    model = DECISION.to_model()
    assert isinstance(model, results.Decision)
    assert DECISION.model_dump_json() == model.model_dump_json()
    assert DECISION.model_dump_json(indent=2) == model.model_dump_json(indent=2)
    assert DECISION.model_dump(mode="json") == jsonable(DECISION) == model.model_dump(mode="json")
    assert Decision.model_validate_json(DECISION.model_dump_json()) == DECISION
    lic: Any = CAT.licence("llama-3.1")
    assert lic.model_dump(mode="json") == jsonable(lic) == lic.to_model().model_dump(mode="json")


def test_constructor_validates_and_model_construct_does_not() -> None:
    with pytest.raises(ValidationError):
        Scenario(mau=-1)
    s = Scenario(domicile=" de ", used_in=("fr", "DE", "FR"), modality="text")  # type: ignore[arg-type]
    assert (s.domicile, s.used_in, s.modality) == ("DE", ("DE", "FR"), Modality.TEXT)
    assert s == Scenario.model_validate({"domicile": "de", "used_in": ["DE", "fr"], "modality": "text"})
    assert Scenario.model_construct(mau=-1).mau == -1
    assert make_scenario(mau=3, region="EU") == Scenario.model_validate({"mau": 3, "domicile": "EU", "used_in": ["EU"]})
    assert Decision(licence="mit", action=Action.USE, verdict=DECISION.verdict).scenario == Scenario()


def test_records_are_frozen_hashable_and_copy() -> None:
    with pytest.raises(AttributeError):
        DECISION.licence = "mit"
    assert hash(DECISION.evidence[0]) == hash(copy.deepcopy(DECISION.evidence[0]))
    assert pickle.loads(pickle.dumps(DECISION)) == DECISION
    assert pickle.loads(pickle.dumps(CAT.licence("llama-3.1"))) == CAT.licence("llama-3.1")
    changed = DECISION.model_copy(update={"reasons": ("x",)})
    assert changed.reasons == ("x",) and changed.evidence is DECISION.evidence and DECISION.reasons != ("x",)
    with pytest.raises(AttributeError):
        DECISION.model_copy(update={"nope": 1})
    assert DECISION.to_model() != DECISION  # a record is not its model (as two pydantic classes are not equal)


class _Holder(BaseModel):
    model_config = ConfigDict(frozen=True)
    decision: Decision
    citations: tuple[Citation, ...] = ()


def test_a_record_is_a_field_of_a_pydantic_model() -> None:
    held = _Holder(decision=DECISION, citations=DECISION.evidence)
    assert held.decision is DECISION
    assert json.loads(held.model_dump_json())["decision"] == json.loads(DECISION.model_dump_json())
    again = _Holder.model_validate_json(held.model_dump_json())
    assert again.decision == DECISION and type(again.decision) is Decision
    own = results.Decision.model_json_schema()
    own.pop("$defs")
    assert _Holder.model_json_schema()["$defs"]["Decision"] == own


@pytest.mark.parametrize("facts", [{"mau": 10**9, "used_in": ["CN"]}, {"release": True, "commercial": True}, {}])
def test_answers_built_with_the_cache_equal_answers_without_it(facts: dict[str, Any]) -> None:
    for lic in CAT:  # every licence: a sample of every third missed a duplicated citation
        for action in Action:
            scenario = make_scenario(**facts)
            assert evaluate(lic, action, scenario, territories=CAT.territories, cat=CAT) == evaluate(
                lic, action, scenario, territories=CAT.territories), (lic.id, action)


def test_the_answer_path_never_imports_pydantic() -> None:
    code = ("import sys; from licencecmp.cli.fast import can_answer, show_answer, scenario_from_options;"
            "can_answer('meta-llama/Llama-3.1-8B', 'distribute', scenario_from_options({'mau': 5}), True);"
            "can_answer('llama-3.1', 'use', scenario_from_options({}), False);"
            "show_answer('llama-3.1', True); show_answer('mit', False);"
            "from licencecmp.cli.fast import compat_answer;"
            "compat_answer('mit', 'apache-2.0', False); compat_answer('meta-llama/Llama-3.1-8B', 'mit', True);"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_core')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_compat_results_are_records_with_pydantics_json() -> None:
    from licencecmp.reasoning.compatibility import compat_bindings
    from licencecmp.reasoning.lookup import lookup
    from licencecmp.render.compat import compat_json

    names = ["mit", "apache-2.0", "llama-3.1", "cc-by-nc-4.0", "gpl-3.0", "meta-llama/Llama-3.1-8B", "mit OR gpl-3.0"]
    for up in names:
        for out in names:
            result = compat_bindings(lookup(up), lookup(out))
            assert type(result) is records.CompatResult
            model = result.to_model()
            assert isinstance(model, results.CompatResult)
            assert compat_json(result) == model.model_dump_json(indent=2) + "\n"
            assert records.CompatResult.model_validate_json(model.model_dump_json()) == result
