"""Regression cases of issue 11: the facts the texts turn on (purposes, production, role, release,
whose figures, when counted, territories) and a model's lineage in every reasoning function."""

from __future__ import annotations

import pytest

import licencecmp
from licencecmp import ScenarioError, Verdict
from licencecmp.reasoning.combination import combine, resolve_inputs
from licencecmp.reasoning.compatibility import CompatVerdict, compat, compat_bindings
from licencecmp.reasoning.lookup import lookup
from licencecmp.reasoning.openness import openness_of
from licencecmp.vocab import Trigger


def test_research_only_licence_needs_permission_for_commercial_use() -> None:
    assert licencecmp.can("qwen-research", "commercial-use").verdict is Verdict.NEEDS_PERMISSION


def test_non_commercial_alone_does_not_satisfy_a_research_only_limit() -> None:
    d = licencecmp.can("qwen-research", "use", commercial=False)
    assert d.verdict is Verdict.CONDITIONAL
    assert any("research or evaluation" in c for c in d.conditions)


def test_a_granted_purpose_settles_the_limit_and_another_crosses_it() -> None:
    research = licencecmp.can("qwen-research", "use", purpose="research")
    assert research.verdict.permits and not any("research" in c for c in research.conditions)
    personal = licencecmp.can("qwen-research", "use", purpose=["personal"])
    assert personal.verdict is Verdict.NEEDS_PERMISSION


def test_non_production_licence_needs_the_production_fact() -> None:
    unstated = licencecmp.can("mistral-non-production", "use", purpose="research")
    assert unstated.verdict is Verdict.CONDITIONAL
    live = licencecmp.can("mistral-non-production", "use", purpose="research", production=True)
    assert live.verdict is Verdict.NEEDS_PERMISSION
    lab = licencecmp.can("mistral-non-production", "use", purpose="research", production=False)
    assert lab.verdict.permits and not lab.conditions


def test_one_month_above_an_annual_ceiling_crosses_it() -> None:
    d = licencecmp.can("stability-community", "commercial-use", monthly_revenue=1_500_000)
    assert d.verdict is Verdict.NEEDS_PERMISSION


def test_the_organisation_counts_at_least_its_product() -> None:
    # Llama counts the licensee's and its affiliates' products together: a product above the
    # ceiling proves the organisation above it.
    assert licencecmp.can("llama-3.1", "use", mau=800_000_000).verdict is Verdict.NEEDS_PERMISSION
    # Qwen counts the product: an organisation figure within the ceiling proves the product within.
    d = licencecmp.can("qwen", "commercial-use", org_mau=50_000_000)
    assert not any("100 million" in c or "100,000,000" in c for c in d.conditions)
    assert licencecmp.can("qwen", "commercial-use", mau=200_000_000).verdict is Verdict.NEEDS_PERMISSION


def test_timing_keeps_the_condition_and_its_quote_whatever_the_figure() -> None:
    d = licencecmp.can("llama-3.1", "use", org_mau=5, mau=5)
    assert d.verdict is Verdict.CONDITIONAL
    assert any("700 million" in c for c in d.conditions)
    assert any(c.section == "2" for c in d.evidence)


def test_end_user_carve_out_lifts_the_limit_and_is_named_without_the_flag() -> None:
    plain = licencecmp.can("llama-3.1", "use", org_mau=800_000_000)
    assert plain.verdict is Verdict.NEEDS_PERMISSION
    assert any("end user" in c for c in plain.conditions)
    assert any(c.section == "1.b.ii" for c in plain.evidence)
    assert licencecmp.can("llama-3.1", "use", org_mau=800_000_000, end_user=True).verdict.permits


def test_obligation_triggers() -> None:
    unstated = licencecmp.can("qwen-research", "train-on-outputs", purpose="research")
    built = [o for o in unstated.obligations if o.key == "built-with"]
    assert built and built[0].when == Trigger.TRAINED_MODEL_RELEASE.label
    kept = licencecmp.can("qwen-research", "train-on-outputs", purpose="research", release=False)
    assert not any(o.key == "built-with" for o in kept.obligations)
    released = licencecmp.can("qwen-research", "train-on-outputs", purpose="research", release=True)
    assert any(o.key == "built-with" and o.when is None for o in released.obligations)
    # serve releases what you make, whatever the scenario says
    served = licencecmp.can("qwen-research", "serve", purpose="research", release=False)
    assert any(o.key == "include-agreement" for o in served.obligations)


def test_modality_scoped_obligation() -> None:
    key = "built-on-cosmos"
    text = licencecmp.can("nvidia-open-model", "distribute-derivative", modality="text")
    assert not any(o.key == key for o in text.obligations)
    multi = licencecmp.can("nvidia-open-model", "distribute-derivative", modality="multimodal")
    assert any(o.key == key and o.when is None for o in multi.obligations)
    unstated = licencecmp.can("nvidia-open-model", "distribute-derivative")
    assert any(o.key == key and o.when and "multimodal" in o.when for o in unstated.obligations)


def test_eea_is_not_an_eu_domicile() -> None:
    de = licencecmp.can("llama-3.2", "use", domicile="DE", modality="multimodal")
    assert de.verdict is Verdict.PROHIBITED
    eea = licencecmp.can("llama-3.2", "use", domicile="EEA", modality="multimodal")
    assert eea.verdict.permits
    no = licencecmp.can("llama-3.2", "use", domicile="NO", modality="multimodal")
    assert no.verdict.permits and not any("domiciled" in c for c in no.conditions)
    assert licencecmp.can("llama-3.2", "use", domicile="RE", modality="multimodal").verdict is Verdict.PROHIBITED


def test_llama_4_without_a_model_names_the_modality_condition() -> None:
    # Not every model under the Llama 4 licence is multimodal (the registry has text-only
    # Prompt Guard 2 classifiers under it), so the answer names the modality it turns on.
    d = licencecmp.can("llama-4", "use", domicile="DE")
    assert d.verdict is Verdict.CONDITIONAL
    assert any("not multimodal" in c for c in d.conditions)
    assert licencecmp.can("llama-4", "use", domicile="DE", modality="multimodal").verdict is Verdict.PROHIBITED
    assert licencecmp.can("meta-llama/Llama-4-Scout-17B-16E", "use", domicile="DE").verdict is Verdict.PROHIBITED


def test_licence_model_modality_applies_without_a_model() -> None:
    lic = licencecmp.get("hunyuan-3d-2.1")
    assert lic.model_modality is not None
    d = licencecmp.can("hunyuan-3d-2.1", "use")
    assert d.scenario.modality is lic.model_modality


def test_impossible_scenarios_raise() -> None:
    for kwargs in ({"mau": 10, "org_mau": 5}, {"monthly_revenue": 10.0, "annual_revenue": 5.0},
                   {"mau": -1}, {"mau": 10**16}, {"mau": 1.5}, {"purpose": "bogus"},
                   {"commercial": False, "purpose": "commercial"}, {"org_monthly_revenue": 9.0,
                                                                    "org_annual_revenue": 1.0}):
        with pytest.raises(ScenarioError):
            licencecmp.make_scenario(**kwargs)


def test_api_takes_expressions_and_model_ids() -> None:
    assert licencecmp.can("Apache-2.0 OR MIT", "use").verdict.permits
    d = licencecmp.can("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "use")
    assert "llama-3.1" in d.upstream


def test_lookup_binds_a_model_with_its_upstream() -> None:
    b = lookup("deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
    assert [lic.id for lic in b.licences] == ["mit", "llama-3.1"]
    e = lookup("Apache-2.0 OR MIT")
    assert len(e.choices) == 2 and e.expression


def test_compat_carries_lineage_on_both_sides() -> None:
    distill = lookup("deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
    assert compat_bindings(distill, lookup("mit")).verdict is CompatVerdict.INCOMPATIBLE
    nemotron = lookup("nvidia/Llama-3_3-Nemotron-Super-49B-v1")
    assert not compat_bindings(nemotron, lookup("nvidia-open-model")).verdict.permits
    assert compat_bindings(lookup("mit"), distill).verdict.permits


def test_openness_of_a_model_with_a_non_open_upstream() -> None:
    report = openness_of(lookup("deepseek-ai/DeepSeek-R1-Distill-Llama-8B"))
    assert not report.open_source
    assert any(r.licence == "llama-3.1" for r in report.reasons)


def test_a_purpose_limit_is_kept_only_by_one_as_narrow() -> None:
    get = licencecmp.get
    assert compat(get("cc-by-nc-4.0"), get("glm-4")).verdict is CompatVerdict.INCOMPATIBLE
    assert compat(get("tongyi-qianwen-research"), get("mistral-non-production")).verdict is \
        CompatVerdict.INCOMPATIBLE


def test_openrail_containment_follows_from_data() -> None:
    get = licencecmp.get
    assert compat(get("creativeml-openrail-m"), get("bigscience-openrail-m")).verdict is CompatVerdict.CONDITIONAL
    assert "creativeml-openrail-m:use-restrictions" in get("bigscience-openrail-m").obligations[
        "use-restrictions"].contains
    # containment is one way: BigScience's list has restrictions CreativeML's lacks
    assert not compat(get("bigscience-openrail-m"), get("creativeml-openrail-m")).verdict.permits


def test_glm_4_registration_grants_commercial_use() -> None:
    d = licencecmp.can("glm-4", "commercial-use")
    assert d.verdict is Verdict.CONDITIONAL
    assert any(o.id == "register" for o in d.obligations)


def test_combine_rules() -> None:
    # the data role does not bypass an output-training ban
    data = combine([("base", "mit"), ("data", "llama-3")])
    assert any(c.kind == "outputs-may-not-train" for c in data.conflicts)
    # the clause's own exception: improving Llama 3 with Llama 3 outputs
    own = combine([("base", "llama-3"), ("teacher", "llama-3")])
    assert not any(c.kind == "outputs-may-not-train" for c in own.conflicts)
    assert own.decisions[licencecmp.Action.USE].verdict.permits
    # "Llama 3" satisfies "Llama": one name can carry both prefixes
    prefixes = combine([("base", "llama-3"), ("base", "llama-3.1")])
    assert not any(c.kind == "name-prefixes" for c in prefixes.conflicts)
    # a research-only teacher: combined commercial use needs permission, as `can` says
    taught = combine([("base", "mit"), ("teacher", "qwen-research")])
    assert taught.decisions[licencecmp.Action.COMMERCIAL_USE].verdict is Verdict.NEEDS_PERMISSION


def test_combine_takes_a_base_model_modality_and_upstream() -> None:
    scenario = licencecmp.make_scenario(domicile="DE")
    inputs, facts = resolve_inputs([("base", "meta-llama/Llama-3.2-11B-Vision-Instruct")], scenario)
    assert facts.modality is not None and facts.modality.value == "multimodal"
    result = combine(inputs, facts)
    assert result.decisions[licencecmp.Action.USE].verdict is Verdict.PROHIBITED
    distill, _ = resolve_inputs([("base", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B")])
    assert ("base", "llama-3.1") in distill


def test_a_relicensed_model_answers_with_its_current_licence_and_names_the_earlier_one() -> None:
    entry = next(m for m in licencecmp.catalogue().models() if m.licence_history)
    d = licencecmp.can(entry.id, "use")
    assert d.licence == entry.licence
    for change in entry.licence_history:
        assert any(change.licence in r and change.until.isoformat() in r for r in d.reasons)


def test_a_visits_ceiling_is_bounded_by_the_users_and_settled_by_the_visits() -> None:
    # CogVideoX counts visits, not users: each active user visits at least once, so users above the
    # ceiling prove it crossed, and users below it prove nothing (a false permission before --visits).
    assert licencecmp.can("cogvideox", "commercial-use", mau=2_000_000).verdict is Verdict.NEEDS_PERMISSION
    few_users = licencecmp.can("cogvideox", "commercial-use", mau=500_000)
    assert any("visits" in c for c in few_users.conditions)
    assert licencecmp.can("cogvideox", "commercial-use", visits=2_000_000).verdict is Verdict.NEEDS_PERMISSION
    few_visits = licencecmp.can("cogvideox", "commercial-use", visits=500_000)
    assert few_visits.verdict.permits and not any("visits" in c for c in few_visits.conditions)
    with pytest.raises(ScenarioError, match="visits at least once"):
        licencecmp.make_scenario(mau=3, visits=2)
