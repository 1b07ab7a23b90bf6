"""Family rules (licences/_families.toml) and legacy model names (``aliases``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import licencecmp
from licencecmp.data.catalogue import Catalogue
from licencecmp.data.schema import FamilyRule, ModelEntry
from licencecmp.errors import LicenceDataError, LicenceNotInCatalogueError
from licencecmp.scan.resolution import resolve_model
from tests.conftest import Cli

CAT = licencecmp.catalogue()


def rule(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "acme/widget", "org": "acme", "patterns": ["Widget-*"], "licence": "apache-2.0",
        "modality": "text", "source": "github.com/acme/widget README.md at 0000000",
        "statement": "All our widget models are licensed under Apache 2.0.", "read": "2026-12-07",
    }
    return FamilyRule.model_validate({**base, **over}).model_dump(mode="json")


def catalogue(families: list[dict[str, Any]], models: list[dict[str, Any]] = ()) -> Catalogue:  # type: ignore[assignment]
    raw = {lid: CAT.licence(lid).model_dump(mode="json") for lid in ("mit", "apache-2.0", "cc-by-nc-4.0")}
    cat = Catalogue(raw, list(models), {**CAT._raw_territories, "families": families})
    cat.check()
    return cat


def entry(mid: str, licence: str, **over: Any) -> dict[str, Any]:
    return ModelEntry.model_validate({"id": mid, "licence": licence, "modality": "text", "source": "card",
                                      **over}).model_dump(mode="json")


# -- matching -------------------------------------------------------------------------------------


def test_a_rule_matches_only_its_own_organisation_and_pattern() -> None:
    cat = catalogue([rule()])
    assert cat.find_family("acme/Widget-7B") is not None
    assert cat.find_family("ACME/widget-7b-instruct") is not None  # case-insensitive, like the Hub
    assert cat.find_family("someone-else/Widget-7B") is None  # a re-upload's organisation is not the maker
    assert cat.find_family("acme/Gadget-7B") is None
    assert cat.find_family("acme/Widget") is None  # "Widget-*" needs the hyphen
    assert cat.find_family("acme/Widget-7B/extra") is None
    assert cat.find_family("Widget-7B") is None


def test_the_most_specific_rule_wins_and_disagreeing_equals_answer_nothing() -> None:
    cat = catalogue([rule(), rule(id="acme/widget-nc", patterns=["Widget-*-NC"], licence="cc-by-nc-4.0")])
    assert cat.find_family("acme/Widget-7B-NC").licence == "cc-by-nc-4.0"  # type: ignore[union-attr]
    assert cat.find_family("acme/Widget-7B").licence == "apache-2.0"  # type: ignore[union-attr]
    tie = catalogue([rule(patterns=["Widget-*"]), rule(id="acme/other", patterns=["*-Widget"], licence="mit")])
    assert tie.find_family("acme/Widget-Widget") is None  # never a guess between two licences


def test_an_exact_entry_wins_over_a_rule() -> None:
    cat = catalogue([rule()], [entry("acme/Widget-72B", "cc-by-nc-4.0")])
    exact = cat.resolve("acme/Widget-72B")
    assert exact.licence.id == "cc-by-nc-4.0" and exact.family is None
    fam = cat.resolve("acme/Widget-7B")
    assert fam.licence.id == "apache-2.0" and fam.family is not None and fam.family.id == "acme/widget"
    assert fam.model is not None and fam.model.id == "acme/Widget-7B" and "acme/widget" in fam.model.source


def test_shipped_rules_keep_their_families_exceptions() -> None:
    # Exact entries the rules must not override (each a maker's exception to the family's licence).
    assert licencecmp.resolve("mistralai/Mistral-Small-Instruct-2409").licence == "mistral-research"
    assert licencecmp.resolve("Qwen/Qwen3-8B").source == "registry"
    assert licencecmp.resolve("moonshotai/Kimi-K2.5").licence == "kimi-k2.5"
    # Names a rule must not reach: another generation, another licence.
    assert CAT.find_family("meta-llama/Meta-Llama-3.1-8B-Instruct").licence == "llama-3.1"  # type: ignore[union-attr]
    assert CAT.find_family("meta-llama/Meta-Llama-3-8B-Instruct").licence == "llama-3"  # type: ignore[union-attr]
    assert CAT.find_family("facebook/dinov3-vitb16-pretrain-lvd1689m") is None
    assert CAT.find_family("zai-org/GLM-4.5V") is None
    assert CAT.find_family("deepseek-ai/DeepSeek-R1-Distill-Llama-8B") is None
    vision = CAT.find_family("meta-llama/Llama-3.2-11B-Vision-Instruct")
    assert vision is not None and vision.modality.value == "multimodal"


def test_every_shipped_rule_is_sourced_and_names_a_known_licence() -> None:
    rules = CAT.families()
    assert rules
    for r in rules:
        assert r.source and len(r.statement) >= 8 and r.read is not None
        assert r.licence in CAT.ids() or r.licence in CAT.unavailable
        assert all(p.replace("*", "") for p in r.patterns)


# -- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize("pattern", ["*", "**", "Widget-**", "Widget-[0-9]*", "Widget-(a|b)", "Widget-.+", "W?dget"])
def test_patterns_are_plain_globs(pattern: str) -> None:
    with pytest.raises(ValidationError):
        rule(patterns=[pattern])


def test_a_rule_listed_twice_or_naming_an_unknown_licence_is_an_error() -> None:
    with pytest.raises(LicenceDataError, match="listed twice"):
        catalogue([rule(), rule()])
    with pytest.raises(LicenceDataError, match="unknown licence"):
        catalogue([rule(licence="no-such-licence")])


def test_a_rule_under_a_licence_the_catalogue_cannot_encode_is_reported_never_passed() -> None:
    name = next(iter(CAT.unavailable))
    raw = {lid: CAT.licence(lid).model_dump(mode="json") for lid in ("mit", "apache-2.0")}
    cat = Catalogue(raw, [], {**CAT._raw_territories, "families": [rule(licence=name)]})
    with pytest.raises(LicenceNotInCatalogueError):
        cat.resolve("acme/Widget-7B")
    res = resolve_model("acme/Widget-7B", cat=cat)
    assert res.resolution == "unknown" and not res.licences and res.rule == "acme/widget"


def test_the_rules_file_is_loaded_and_compiled(tmp_path: Path) -> None:
    from licencecmp.data.compile import compile_sources
    from tests.conftest import LICENCES

    data = compile_sources(LICENCES)
    assert [f["id"] for f in data["territories"]["families"]] == [r.id for r in CAT.families()]
    bad = tmp_path / "licences"
    bad.mkdir()
    for p in LICENCES.glob("*.toml"):
        (bad / p.name).write_text(p.read_text(encoding="utf-8"), encoding="utf-8")
    (bad / "_families.toml").write_text('[[families]]\nid = "x/y"\norg = "x"\npatterns = ["*"]\n', encoding="utf-8")
    with pytest.raises(LicenceDataError, match=r"_families\.toml"):
        from licencecmp.data.catalogue import load_sources

        load_sources(bad)


# -- the resolution chain and the commands -----------------------------------------------------------


def test_the_chain_says_family_and_names_the_rule() -> None:
    res = resolve_model("Qwen/Qwen3-1000B-A1B-Made-Up")
    assert (res.resolution, res.licences, res.rule) == ("family", ("apache-2.0",), "qwen/qwen3")
    api = licencecmp.resolve("Qwen/Qwen3-1000B-A1B-Made-Up")
    assert (api.source, api.rule, api.licence, api.modality) == ("family", "qwen/qwen3", "apache-2.0", "text")
    assert licencecmp.resolve("Qwen/Qwen3-8B").rule is None


def test_can_answers_for_a_family_model(cli: Cli) -> None:
    code, out, _ = cli("can", "openai/whisper-made-up-size", "commercial-use")
    assert code == 0 and "mit" in out


def test_models_json_lists_the_family_rules(cli: Cli) -> None:
    code, out, _ = cli("models", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["models"] and data["families"]
    fam = {f["id"]: f for f in data["families"]}
    assert fam["qwen/qwen3"]["org"] == "Qwen" and fam["qwen/qwen3"]["statement"]
    code, out, _ = cli("models", "--licence", "llama-3.1", "--format", "json")
    assert {f["licence"] for f in json.loads(out)["families"]} == {"llama-3.1"}
    code, out, _ = cli("models")
    assert "Family rules" in out and "meta-llama/llama-3.1" in out


# -- legacy names ------------------------------------------------------------------------------------


def test_legacy_names_are_aliases_of_their_repo() -> None:
    for legacy, repo in (("gpt2", "openai-community/gpt2"), ("bert-base-uncased", "google-bert/bert-base-uncased"),
                         ("all-MiniLM-L6-v2", "sentence-transformers/all-MiniLM-L6-v2")):
        entry_ = CAT.find_model(legacy)
        assert entry_ is not None and entry_.id == repo
        r = licencecmp.resolve(legacy)
        assert (r.model, r.source) == (repo, "registry")
        assert CAT.resolve(legacy.upper()).model == entry_


def test_an_alias_may_not_be_another_models_id_or_a_licence_name() -> None:
    with pytest.raises(LicenceDataError, match="another model's id"):
        catalogue([], [entry("acme/a", "mit", aliases=["acme/b"]), entry("acme/b", "mit")])
    with pytest.raises(LicenceDataError, match="is given to"):
        catalogue([], [entry("acme/a", "mit", aliases=["old/a"]), entry("acme/b", "mit", aliases=["old/a"])])
    with pytest.raises(ValidationError):
        entry("acme/a", "mit", aliases=["not a name"])
    # an org-less name (a licence's name or a legacy name) is no model alias: legacy names are declared
    # once, in data/hub_names.toml
    for name in ("MIT", "gpt2"):
        with pytest.raises(ValidationError, match=r"hub_names\.toml"):
            entry("acme/a", "mit", aliases=[name])


def test_every_legacy_name_resolves_to_its_repo() -> None:
    """The one declaration of org-less legacy names (data/hub_names.toml) answers in the registry and
    the resolution chain: each name whose repo the registry or a family rule knows resolves to it."""
    from licencecmp.data.names import hub_names, legacy_id

    names = hub_names()["legacy"]["names"]
    known = 0
    for legacy, repo in names.items():
        assert legacy_id(legacy.upper()) == repo
        if CAT.find_model(repo) is None and CAT.find_family(repo) is None:
            continue
        known += 1
        assert licencecmp.resolve(legacy).model == repo
        found = CAT.resolve(legacy).model
        assert found is not None and found.id.lower() == repo.lower()
    assert known >= 10
