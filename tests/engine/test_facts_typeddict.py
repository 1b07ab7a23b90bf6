"""``Facts``, the TypedDict of scenario facts, says what ``make_scenario`` takes and what a
``Scenario`` holds: the same names, the same types (one declaration kept in step)."""

from __future__ import annotations

import inspect
import typing

import licencecmp.scenario as module
from licencecmp.api import FACTS
from licencecmp.scenario import Facts, Scenario, make_scenario


def _hints(obj: object) -> dict[str, object]:
    return typing.get_type_hints(obj, globalns={**vars(typing), **vars(module), "Catalogue": object})


def test_facts_are_make_scenarios_keywords_with_their_types() -> None:
    params = {n: p for n, p in inspect.signature(make_scenario).parameters.items() if n != "cat"}
    hints = _hints(make_scenario)
    typed = _hints(Facts)
    assert list(typed) == list(params) == list(FACTS)
    for name in params:
        assert typed[name] == hints[name], name
    assert not Facts.__required_keys__


def test_facts_are_the_scenario_fields_and_the_region_shorthand() -> None:
    assert set(Facts.__optional_keys__) - {"region"} == set(Scenario.model_fields)
