"""Issue 24 ("What the texts say, v3"): the findings of two audits of the catalogue, each as a case,
and the principles behind them checked for every licence of the catalogue."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

import licencecmp
from licencecmp import Verdict
from licencecmp.data.records import Licence
from licencecmp.engine import assess_limit, effective_scenario, evaluate
from licencecmp.scenario import Scenario
from licencecmp.text import normalise
from licencecmp.vocab import Action, Modality, Purpose

CAT = licencecmp.catalogue()
LICENCES = list(CAT)
IDS = [lic.id for lic in LICENCES]

# Running the model: using it, commercially or not, serving it, fine-tuning it (training runs it) and
# generating outputs to train another model on.
RUNS_THE_MODEL = (Action.USE, Action.COMMERCIAL_USE, Action.MODIFY, Action.SERVE, Action.TRAIN_ON_OUTPUTS)


# --- the false permission: a limit on use binds every action that runs the model -------------------------

def test_cogvideox_train_on_outputs_above_the_visit_cap_is_not_allowed() -> None:
    d = licencecmp.can("cogvideox", "train-on-outputs", commercial=True, mau=2_000_000)
    assert d.verdict is Verdict.NEEDS_PERMISSION
    unstated = licencecmp.can("cogvideox", "train-on-outputs")
    assert unstated.verdict is Verdict.CONDITIONAL
    assert any("1 million" in c for c in unstated.conditions)


def _probe_scenarios() -> list[Scenario]:
    """Scenarios that cross every kind of limit the catalogue has (and some that cross none)."""
    out = [Scenario.model_construct(), Scenario(commercial=True), Scenario(commercial=False)]
    big = 10**12
    out += [Scenario(mau=big), Scenario(org_mau=big), Scenario(monthly_revenue=float(big)),
            Scenario(annual_revenue=float(big)), Scenario(org_annual_revenue=float(big)),
            Scenario(org_monthly_revenue=float(big)), Scenario(commercial=True, mau=big),
            Scenario(commercial=True, org_annual_revenue=float(big)),
            Scenario(production=True, purpose=(Purpose.RESEARCH,))]
    out += [Scenario(purpose=(p,)) for p in Purpose]
    out += [Scenario(used_in=(c,)) for c in ("DE", "GB", "KR", "CN", "US", "RU")]
    out += [Scenario(domicile=c) for c in ("DE", "GB", "KR", "CN", "US", "RU")]
    out += [Scenario(modality=m, commercial=True, mau=big) for m in Modality]
    return out


PROBES = _probe_scenarios()


@pytest.mark.parametrize("lic", LICENCES, ids=IDS)
def test_a_limit_on_use_binds_every_action_that_runs_the_model(lic: Licence) -> None:
    """Whatever a crossed limit on use does to `use`, it does to every action that runs the model."""
    use_limits = [lim for lim in lic.limits if Action.USE in lim.actions and lim.verdict is not None]
    if not use_limits:
        return
    for scenario, action in itertools.product(PROBES, RUNS_THE_MODEL):
        eff = effective_scenario(lic, action, scenario)
        crossed = [lim.verdict for lim in use_limits
                   if lim.verdict is not None and assess_limit(lim, eff, CAT.territories).state == "crossed"]
        if not crossed:
            continue
        floor = max(v.severity for v in crossed)
        d = evaluate(lic, action, scenario, territories=CAT.territories)
        assert d.verdict.severity >= floor, (lic.id, action.value, scenario.stated(), d.verdict.value)


@pytest.mark.parametrize("lic", LICENCES, ids=IDS)
def test_an_obligation_a_limit_on_use_brings_reaches_every_action_that_runs_the_model(lic: Licence) -> None:
    """A duty that crossing a limit on use brings (registration above a figure, for a purpose) binds
    every action that runs the model as it binds `use`."""
    use_limits = [lim for lim in lic.limits if Action.USE in lim.actions and lim.obligations]
    for scenario, lim in itertools.product(PROBES, use_limits):
        for action in RUNS_THE_MODEL:
            eff = effective_scenario(lic, action, scenario)
            if assess_limit(lim, eff, CAT.territories).state != "crossed":
                continue
            keys = {o.key for o in evaluate(lic, action, scenario, territories=CAT.territories).obligations}
            wanted = {k for k in lim.obligations if lic.obligations[k].trigger.value == "always"}
            assert wanted <= keys, (lic.id, action.value, scenario.stated(), wanted - keys)


# --- a --release scenario brings the distribution duties to every action whose result is released --------

def _keys(d: licencecmp.Decision) -> set[str]:
    return {o.key for o in d.obligations}


@pytest.mark.parametrize(("licence", "key"), [
    ("hunyuan", "include-agreement"), ("grok-2-community", "powered-by-xai"),
    ("health-ai-developer-foundations", "include-agreement"), ("nvidia-open-model", "include-agreement"),
])
def test_modify_and_release_carries_the_duties_of_distributing_a_derivative(licence: str, key: str) -> None:
    lic = CAT.get(licence)
    dd = evaluate(lic, Action.DISTRIBUTE_DERIVATIVE, Scenario(release=True), territories=CAT.territories)
    assert key in _keys(dd), (licence, sorted(_keys(dd)))
    d = licencecmp.can(licence, "modify", release=True)
    assert key in _keys(d)


@pytest.mark.parametrize("licence", ["creativeml-openrail-plusplus-m", "bigcode-openrail-m"])
def test_distilling_and_releasing_under_a_rail_licence_gives_recipients_the_licence(licence: str) -> None:
    d = licencecmp.can(licence, "train-on-outputs", release=True)
    kinds = {o.id for o in d.obligations}
    assert "include-licence" in kinds, sorted(kinds)
    if licence == "bigcode-openrail-m":
        assert any("5.2" in (e.section or "") and o.id == "state-changes" for o in d.obligations for e in o.evidence)


def _released_like_a_derivative(lic: Licence) -> list[Action]:
    return [Action.MODIFY, *([Action.TRAIN_ON_OUTPUTS] if lic.actions[Action.TRAIN_ON_OUTPUTS].derivative else [])]


@pytest.mark.parametrize("lic", LICENCES, ids=IDS)
def test_release_brings_the_duties_of_distributing_a_derivative_to_every_action_whose_result_is_released(
        lic: Licence) -> None:
    for scenario in (Scenario(release=True), Scenario(release=True, commercial=True, mau=10**12),
                     Scenario(release=True, purpose=(Purpose.RESEARCH,), production=False)):
        dd = evaluate(lic, Action.DISTRIBUTE_DERIVATIVE, scenario, territories=CAT.territories)
        for action in _released_like_a_derivative(lic):
            d = evaluate(lic, action, scenario, territories=CAT.territories)
            assert _keys(dd) <= _keys(d), (lic.id, action.value, sorted(_keys(dd) - _keys(d)))
            assert d.verdict.severity >= dd.verdict.severity, (lic.id, action.value, d.verdict, dd.verdict)


@pytest.mark.parametrize("lic", LICENCES, ids=IDS)
def test_an_unstated_release_never_allows_what_releasing_would_refuse(lic: Licence) -> None:
    dd = evaluate(lic, Action.DISTRIBUTE_DERIVATIVE, Scenario(release=True), territories=CAT.territories)
    if dd.verdict.permits:
        return
    for action in _released_like_a_derivative(lic):
        d = evaluate(lic, action, Scenario.model_construct(), territories=CAT.territories)
        released = evaluate(lic, action, Scenario(release=True), territories=CAT.territories)
        assert not released.verdict.permits, (lic.id, action.value)
        if d.verdict.permits:
            assert d.verdict is not Verdict.ALLOWED and d.conditions, (lic.id, action.value)


# --- two sibling licences that share a clause encode it the same way ---------------------------------------

# Differences a reader checked against both texts: the shared words are encoded in the sibling in other words,
# or are not a duty there.
SIBLING_EXCEPTIONS = {
    ("fair-noncommercial-research", "comply-aup"): "Llama's AUPs have the same item; their comply-aup duty cites "
        "the AUP by other items of the same list.",
    ("llama-3.2", "name-prefix"): "llama-3.1's name-prefix duty cites its own §1.b.v words for the same duty; "
        "the mark licence sentence adds no duty.",
    ("llama-3.3", "name-prefix"): "as llama-3.2",
    ("llama-4", "name-prefix"): "as llama-3.2",
    ("lgpl-3.0", "same-terms"): "the sentence lets a conveyor remove additional permissions: a duty-shaping "
        "permission of the LGPL's additional-permission structure; GPL-3.0 and AGPL-3.0 have none to remove.",
    ("osl-3.0", "provide-source"): "AFL-3.0 defines Source Code as OSL does but puts no source duty on the "
        "licensee (its §3 is the licensor's promise).",
    ("odc-by", "same-licence"): "ODbL's share-alike duty carries 'no further restrictions' in its own §4.4 words.",
}


def _siblings(a: Licence, b: Licence) -> bool:
    return a.id != b.id and (a.publisher == b.publisher or b.id in (a.superseded_by,) or a.id in (b.superseded_by,))


def test_two_sibling_licences_that_share_a_clause_encode_it_the_same_way(texts_dir: Path) -> None:
    texts = {lic.id: [normalise((texts_dir / n).read_text(encoding="utf-8-sig")) for n in lic.texts.values()]
             for lic in LICENCES}
    missing = []
    for a, b in itertools.permutations(LICENCES, 2):
        if not _siblings(a, b):
            continue
        cited = [normalise(e.quote) for e in b.all_evidence()]
        # A duty of the same kind that cites the same section of the sibling (or a sub-section of it, as "2(a)"
        # of "2") encodes the clause too, in words of the sibling's choosing.
        duties = {(o.kind, sec) for o in b.obligations.values() for e in o.evidence
                  for sec in (e.section, e.section.split("(", 1)[0])}
        for key, ob in a.obligations.items():
            if (a.id, key) in SIBLING_EXCEPTIONS:
                continue
            for e in ob.evidence:
                q = normalise(e.quote)
                if (any(q in t for t in texts[b.id]) and not any(q in c or c in q for c in cited)
                        and (ob.kind, e.section) not in duties):
                    missing.append(f"{a.id}:{key} -> {b.id}: {e.quote[:80]!r}")
    assert not missing, "\n".join(missing)


def test_the_october_2025_nvidia_licence_keeps_the_update_duty() -> None:
    new = CAT.get("nvidia-open-model")
    assert any("comply with any updated license or cease" in e.quote
               for ob in new.obligations.values() for e in ob.evidence)
    assert any("updated" in o.text for o in licencecmp.can("nvidia-open-model", "use").obligations)


@pytest.mark.parametrize("licence", ["nvidia-open-model", "nvidia-open-model-2025-04"])
def test_nvidia_conditions_of_use_bind_generating_outputs_to_train_on(licence: str) -> None:
    """2.1 Conditions for Use: the update duty ("cease Your copying, use, and distribution"), the guardrail
    condition and the trade clause bind every use; generating training data runs the model."""
    use = {o.key for o in licencecmp.can(licence, "use").obligations}
    train = {o.key for o in licencecmp.can(licence, "train-on-outputs").obligations}
    assert {"accept-updates", "keep-guardrails", "comply-trade"} <= use & train, sorted(train)


# --- the single findings ---------------------------------------------------------------------------------

def test_mistral_non_production_research_training_on_outputs_is_conditional() -> None:
    d = licencecmp.can("mistral-non-production", "train-on-outputs", purpose="research", commercial=False,
                       production=False, release=False)
    assert d.verdict is Verdict.CONDITIONAL, d.reasons
    live = licencecmp.can("mistral-non-production", "train-on-outputs", purpose="research", production=True)
    assert not live.verdict.permits


def test_stability_end_user_exempt_from_section_iii_keeps_no_registration_duty() -> None:
    d = licencecmp.can("stability-community", "commercial-use", end_user=True)
    assert d.verdict.permits
    assert "register" not in _keys(d), d.obligations
    assert "register" in _keys(licencecmp.can("stability-community", "commercial-use"))


def test_a_strict_limit_is_exact_on_the_figure_as_stated() -> None:
    below = licencecmp.can("lfm-open-1.0", "commercial-use", org_annual_revenue=9_999_999.50)
    assert below.verdict.permits, below.reasons
    at = licencecmp.can("lfm-open-1.0", "commercial-use", org_annual_revenue=10_000_000)
    assert at.verdict is Verdict.NEEDS_PERMISSION
    text = " ".join(at.reasons) + " ".join(below.reasons) + " ".join(below.conditions)
    assert "10,000,000" in text
    crossed = licencecmp.can("lfm-open-1.0", "commercial-use", org_annual_revenue=10_000_000.25)
    line = next(r for r in crossed.reasons if "stated" in r)
    assert "10,000,000.25" in line, line


def test_figures_are_printed_as_stated() -> None:
    d = licencecmp.can("llama-3.1", "use", mau=700_000_001)
    assert any("700,000,001" in r for r in d.reasons)
    r = licencecmp.can("stability-community", "commercial-use", org_annual_revenue=1_000_000.5)
    assert any("1,000,000.5" in x for x in r.reasons), r.reasons


def test_cogvideox_asks_only_commercial_users_to_register() -> None:
    for purpose in ("personal", "research"):
        d = licencecmp.can("cogvideox", "use", purpose=purpose)
        assert "register" not in _keys(d), (purpose, d.obligations)
    assert "register" in _keys(licencecmp.can("cogvideox", "use", commercial=True))
    assert "register" in _keys(licencecmp.can("cogvideox", "commercial-use"))


def test_c_uda_limits_distribution_to_computational_use_as_it_limits_use() -> None:
    verdicts = {a: licencecmp.can("c-uda", a).verdict for a in ("use", "modify", "distribute",
                                                                "distribute-derivative")}
    assert len(set(verdicts.values())) == 1, verdicts


def test_fair_research_does_not_take_teaching_for_research() -> None:
    d = licencecmp.can("fair-noncommercial-research", "use", purpose="education")
    assert d.verdict is not Verdict.ALLOWED
    assert d.verdict is Verdict.UNCLEAR or any("research" in c for c in d.conditions), (d.verdict, d.conditions)
    assert licencecmp.can("fair-noncommercial-research", "use", purpose="research").verdict.permits
