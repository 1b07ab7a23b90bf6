"""The facts table (licencecmp.facts) against every consumer: each fact is declared once, and every
place that takes, checks, parses, prints or documents a scenario fact follows the table."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
import typer

import licencecmp
import licencecmp.cli
from licencecmp import api
from licencecmp.cli import fast
from licencecmp.cli.options import SCENARIO_OPTIONS
from licencecmp.data import records, results
from licencecmp.facts import FACTS, FIGURES, SCENARIO_FACTS, FactKind, Facts, ScenarioFact, fact
from licencecmp.reasoning.comparison import scenario_summary
from licencecmp.render.common import scenario_line
from licencecmp.scan.policy import POLICY_FACTS, Policy
from licencecmp.scenario import make_scenario
from licencecmp.schemas import json_schema
from licencecmp.vocab import Metric, Modality, Purpose, Scope

ROOT = Path(__file__).resolve().parents[1]

# A value of each kind that make_scenario accepts, and what the Scenario then holds.
_GIVEN: dict[FactKind, tuple[Any, Any]] = {
    FactKind.COUNTRY: ("de", "DE"), FactKind.COUNTRIES: (["fr"], ("FR",)),
    FactKind.MODALITY: ("text", Modality.TEXT), FactKind.FLAG: (True, True),
    FactKind.PURPOSES: (["research"], (Purpose.RESEARCH,)),
}
# What the TypedDict Facts must say for each kind (whole figures: int; money: float).
_TYPED: dict[FactKind, Any] = {
    FactKind.COUNTRY: str | None, FactKind.COUNTRIES: Iterable[str] | None,
    FactKind.MODALITY: Modality | str | None, FactKind.FLAG: bool | None,
    FactKind.PURPOSES: Iterable[Purpose | str] | Purpose | str | None,
}


def _given(f: ScenarioFact) -> tuple[Any, Any]:
    if f.kind is FactKind.FIGURE:
        return (7, 7) if f.whole else (7, 7.0)
    return _GIVEN[f.kind]


NAMES = [f.name for f in FACTS]
_NEGATIVE: Any = -1


def test_the_table_is_well_formed() -> None:
    assert len(set(NAMES)) == len(NAMES)
    assert all(fact(n).name == n for n in NAMES)
    spellings = [flag for f in FACTS for flag in f.flags()]
    assert len(set(spellings)) == len(spellings)
    for f in FACTS:
        assert f.description.endswith((".", ")")) and f.option.startswith("--")
        assert (f.kind is FactKind.FIGURE) == (f.metric is not None) == (f.scope is not None)
        assert (f.kind is FactKind.FLAG) == (f.words_false is not None or ("/" not in f.option and
                                             f.kind is FactKind.FLAG))
    # every metric is stated by one fact per scope, and names its facts
    assert {(f.metric, f.scope) for f in FIGURES} == {(m, s) for m in Metric for s in Scope}
    assert all(f.name == f.metric.field(f.scope) for f in FIGURES if f.metric and f.scope)


def test_the_typed_dict_is_the_table() -> None:
    hints = typing.get_type_hints(Facts)
    assert list(hints) == NAMES
    for f in FACTS:
        expected = (int | None if f.whole else float | None) if f.kind is FactKind.FIGURE else _TYPED[f.kind]
        assert hints[f.name] == expected, f.name
    assert licencecmp.Facts is Facts


def test_the_pydantic_scenario_and_its_record_are_the_table() -> None:
    names = [f.name for f in SCENARIO_FACTS]
    assert list(results.Scenario.model_fields) == names
    assert list(vars(records.Scenario.model_construct())) == names  # the record holds the same fields, in order
    for f in SCENARIO_FACTS:
        assert results.Scenario.model_fields[f.name].description == f.description
    schema = json.loads(json.dumps(results.Decision.model_json_schema()))
    assert list(schema["$defs"]["Scenario"]["properties"]) == names


@pytest.mark.parametrize("f", FACTS, ids=NAMES)
def test_make_scenario_takes_each_fact(f: ScenarioFact) -> None:
    given, held = _given(f)
    scenario = make_scenario(**{f.name: given})
    if f.in_scenario:
        assert getattr(scenario, f.name) == held
        assert results.Scenario.model_validate({f.name: given}).model_dump() == scenario.model_dump()
        line = scenario_line(scenario)
        assert line.startswith(f"{f.name}=")
        summary = scenario_summary(scenario)
        assert summary != scenario_summary(make_scenario()), f"{f.name} is not printed"
    else:  # a shorthand: it states other facts
        assert scenario.stated()
    if f.kind is FactKind.FIGURE:
        assert f.metric is not None and f.scope is not None
        assert scenario.metric(f.metric, f.scope) == held
        with pytest.raises(licencecmp.ScenarioError):
            make_scenario(**{f.name: _NEGATIVE})


def test_make_scenario_refuses_an_unknown_fact() -> None:
    with pytest.raises(TypeError, match="visitz"):
        make_scenario(visitz=1)  # type: ignore[call-arg]


def test_figures_are_ordered_as_their_metrics_and_scopes_say() -> None:
    for small in FIGURES:
        for big in FIGURES:
            assert small.metric is not None and big.metric is not None
            bound = (small is not big and small.metric in big.metric.at_least()
                     and not (small.scope is Scope.ORGANISATION and big.scope is Scope.PRODUCT))
            facts: dict[str, Any] = {small.name: 10, big.name: 5}
            if bound:
                with pytest.raises(licencecmp.ScenarioError, match="is above"):
                    make_scenario(**facts)


def test_the_cli_options_and_the_fast_parser_are_the_table() -> None:
    assert [name for name, _ in SCENARIO_OPTIONS] == NAMES
    command = typer.main.get_command(licencecmp.cli.app)
    can = command.commands["can"]  # type: ignore[attr-defined]
    params = {p.name: p for p in can.params}
    for f in FACTS:
        p = params[f.name]
        assert {**dict.fromkeys(p.opts, True), **dict.fromkeys(p.secondary_opts, False)}.keys() == f.flags().keys()
        assert p.help == f.description
        for flag in f.flags():
            assert fast.SCENARIO_FLAGS[flag][0] == f.name
    assert {v[0] for v in fast.SCENARIO_FLAGS.values()} == set(NAMES)


def test_the_policy_and_the_api_are_the_table() -> None:
    assert [f.name for f in POLICY_FACTS] == [f.name for f in FACTS if f.in_policy]
    assert list(Policy.model_fields)[:len(POLICY_FACTS)] == [f.name for f in POLICY_FACTS]
    for f in POLICY_FACTS:
        given, _ = _given(f)
        stated = getattr(Policy.model_validate({f.name: given}), f.name)
        assert make_scenario(**{f.name: stated}) == make_scenario(**{f.name: given})
    assert list(api.FACTS) == NAMES
    assert list(api.FactsModel.model_fields) == NAMES
    assert list(api.CanInput.model_fields) == ["licence", "action", *NAMES]
    for f in FACTS:
        assert api.FactsModel.model_fields[f.name].description == f.description
        given, _ = _given(f)
        assert api.scenario(**{f.name: given}) == make_scenario(**{f.name: given})


def test_the_json_schema_and_the_docs_name_every_fact() -> None:
    cli = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    policy = (ROOT / "docs" / "policy.md").read_text(encoding="utf-8")
    decision = json_schema("decision")["$defs"]["Scenario"]["properties"]
    for f in FACTS:
        assert all(flag in cli for flag in f.flags()), f.name
        if f.in_scenario:
            assert decision[f.name]["description"] == f.description
        if f.in_policy:
            assert f"`{f.name}`" in policy, f.name


@pytest.mark.parametrize("metric", list(Metric), ids=str)
def test_each_metric_has_its_full_record(metric: Metric) -> None:
    info = metric.info
    assert info.label and info.description and info.unit and info.short and "{}" in info.words
    assert metric.amount(1_000_000).endswith("1,000,000") and metric.amount(1).startswith(info.prefix)
    assert metric.short_form("1M") == f"{info.prefix}1M{info.short}"
    assert metric.field(Scope.PRODUCT) == info.field and metric.field(Scope.ORGANISATION) == f"org_{info.field}"
    assert metric.at_least()[0] is metric and metric.at_most()[0] is metric
    assert all(metric in other.at_most() for other in metric.at_least())
    assert bool(info.at_least) == bool(info.why)
    # its figure facts: whole numbers for a count, any number for money
    for scope in Scope:
        f = fact(metric.field(scope))
        assert f.whole == info.whole and f.metric is metric and f.scope is scope
