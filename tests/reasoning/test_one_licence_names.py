"""A licence's name that reads as an expression (a title with "or", "and" or brackets) and that the
parser reads as that one licence is bound without parsing, from what the compiled catalogue says
(``one_licence_names``): the binding and every answer are the parse's."""

from __future__ import annotations

import json

from licencecmp.data.catalogue import Catalogue, compiled_path
from licencecmp.reasoning.expression import is_expression, parse_expression
from licencecmp.reasoning.lookup import decide_binding, lookup
from licencecmp.scenario import make_scenario
from licencecmp.vocab import Action

DATA = json.loads(compiled_path().read_text(encoding="utf-8"))


def _catalogues() -> tuple[Catalogue, Catalogue]:
    """The shipped catalogue, and the same data without the compiled names (every name parsed)."""
    bare = {k: v for k, v in DATA.items() if k != "one_licence_names"}
    return Catalogue.from_compiled(DATA, trusted=True), Catalogue.from_compiled(bare, trusted=True)


def test_the_compiled_names_are_titles_read_as_one_licence() -> None:
    names = DATA["one_licence_names"]
    assert names, "the catalogue has licence titles that read as expressions"
    compiled, _ = _catalogues()
    for name, licence_id in names.items():
        assert is_expression(name)
        assert str(parse_expression(name, compiled)) == licence_id
        assert compiled.one_licence(name) == licence_id
        assert compiled.one_licence(name.upper()) is None  # only as the catalogue spells it
    assert compiled.one_licence("mit") is None


def test_a_compiled_name_binds_and_answers_as_its_parse() -> None:
    compiled, bare = _catalogues()
    scenarios = [make_scenario(), make_scenario(mau=800_000_000, region="EU"), make_scenario(release=True)]
    for name in DATA["one_licence_names"]:
        fast, parsed = lookup(name, compiled), lookup(name, bare)
        assert fast == parsed and fast.direct is not None and parsed.direct is not None
        assert fast.direct.licence.id == parsed.direct.licence.id and fast.modality == parsed.modality
        for action in Action:
            for scenario in scenarios:
                assert (decide_binding(name, action, scenario, compiled).model_dump_json()
                        == decide_binding(name, action, scenario, bare).model_dump_json())


def test_a_catalogue_without_the_licence_parses_again() -> None:
    name, licence_id = next(iter(DATA["one_licence_names"].items()))
    data = dict(DATA)
    data["licences"] = {k: v for k, v in DATA["licences"].items() if k != licence_id}
    assert Catalogue.from_compiled(data, trusted=True).one_licence(name) is None
