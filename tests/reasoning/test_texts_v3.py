"""Issue 24 ("What the texts say, v3"): compatibility clauses (EUPL-1.2 Art. 5, GPL-3.0 and AGPL-3.0
section 13, the BY-SA Compatible Licenses of CC BY-SA 4.0) and one rule of openness for every licence."""

from __future__ import annotations

import pytest

import licencecmp
from licencecmp.reasoning.combination import combine
from licencecmp.reasoning.compatibility import CompatVerdict, compat
from licencecmp.reasoning.openness import openness
from licencecmp.vocab import Action, Verdict
from tests.conftest import Cli

CAT = licencecmp.catalogue()
LICENCES = list(CAT)

# Every (licence, named licence, clause) of the catalogue's compatibility clauses.
CLAUSES = [(lic.id, target, rl) for lic in LICENCES for ob in lic.obligations.values() for rl in ob.relicensing
           for target in rl.licences if target in CAT]


def test_the_catalogue_encodes_the_compatibility_clauses_of_the_texts() -> None:
    pairs = {(a, b) for a, b, _ in CLAUSES}
    appendix = {"gpl-2.0", "gpl-3.0", "agpl-3.0", "osl-3.0", "epl-1.0", "mpl-2.0", "lgpl-2.1", "lgpl-3.0",
                "cc-by-sa-3.0", "eupl-1.1"}
    assert {("eupl-1.2", t) for t in appendix} <= pairs
    assert {("eupl-1.1", t) for t in ("gpl-2.0", "osl-3.0", "epl-1.0")} <= pairs
    assert {("mpl-2.0", t) for t in ("gpl-2.0", "gpl-3.0", "lgpl-2.1", "lgpl-3.0", "agpl-3.0")} <= pairs
    assert {("lgpl-2.1", "gpl-2.0"), ("lgpl-3.0", "gpl-3.0")} <= pairs
    assert {("gpl-3.0", "agpl-3.0"), ("cc-by-sa-4.0", "gpl-3.0")} <= pairs


@pytest.mark.parametrize(("upstream", "outbound", "section"), [
    ("eupl-1.2", "gpl-3.0", "5, Compatibility clause"), ("gpl-3.0", "agpl-3.0", "13"),
    ("cc-by-sa-4.0", "gpl-3.0", "1(c)"),
])
def test_a_compatibility_clause_is_not_incompatible_and_cites_the_clause(upstream: str, outbound: str,
                                                                         section: str) -> None:
    r = compat(CAT.get(upstream), CAT.get(outbound))
    assert r.verdict is not CompatVerdict.INCOMPATIBLE, [x.text for x in r.reasons]
    assert any(x.effect is CompatVerdict.CONDITIONAL and x.section == section for x in r.reasons)


def test_the_external_list_is_named_as_what_decides() -> None:
    r = compat(CAT.get("cc-by-sa-4.0"), CAT.get("gpl-3.0"))
    clause = next(x for x in r.reasons if x.section == "1(c)")
    assert "creativecommons.org/compatiblelicenses" in clause.text and "list decides" in clause.text


@pytest.mark.parametrize(("upstream", "outbound"), sorted({(a, b) for a, b, _ in CLAUSES}))
def test_every_compatibility_clause_makes_the_pair_conditional(upstream: str, outbound: str) -> None:
    """For every clause in the catalogue: conditional on the clause, which is cited; the upstream's own
    open questions about derivatives are the outbound terms' to answer, as for a licence with itself."""
    r = compat(CAT.get(upstream), CAT.get(outbound))
    clauses = [rl for lic in (CAT.get(upstream),) for ob in lic.obligations.values() for rl in ob.relicensing
               if outbound in rl.licences]
    # A clause whose own condition the text leaves open for weights makes the pair unclear instead.
    want = CompatVerdict.UNCLEAR if all(rl.unsettled for rl in clauses) else CompatVerdict.CONDITIONAL
    assert r.verdict is want, [(x.effect.value, x.text[:90]) for x in r.reasons]
    assert {x.quote for x in r.reasons} >= {rl.evidence[0].quote for rl in clauses}


def test_a_clause_never_lifts_a_refusal() -> None:
    """A clause displaces the upstream's open questions, never what it refuses."""
    eupl = CAT.get("eupl-1.2")
    rule = eupl.actions[Action.DISTRIBUTE_DERIVATIVE].model_copy(update={"verdict": Verdict.PROHIBITED})
    refused = eupl.model_copy(update={"id": "eupl-1.2-refused",
                                      "actions": {**eupl.actions, Action.DISTRIBUTE_DERIVATIVE: rule}})
    assert compat(refused, CAT.get("gpl-3.0")).verdict is CompatVerdict.INCOMPATIBLE


def test_agpl_keeps_governing_its_part_so_a_derivative_cannot_go_out_under_gpl_alone() -> None:
    """AGPL-3.0 s13: "The terms of this License will continue to apply to the part which is the covered
    work": combining with a GPL-3.0 work is allowed, relicensing the AGPL part under GPL-3.0 is not (it
    would drop the network-interaction duty)."""
    r = compat(CAT.get("agpl-3.0"), CAT.get("gpl-3.0"))
    assert r.verdict is CompatVerdict.INCOMPATIBLE, [(x.effect.value, x.text[:90]) for x in r.reasons]
    assert not any(rl for ob in CAT.get("agpl-3.0").obligations.values() for rl in ob.relicensing
                   if "gpl-3.0" in rl.licences)


def test_a_clause_whose_condition_is_open_for_weights_leaves_the_pair_unclear() -> None:
    """EUPL-1.2 lists CC BY-SA 3.0 only "for works other than software": whether weights are software is
    open, so the route is not a permission (unclear, never conditional), and it settles no combination."""
    r = compat(CAT.get("eupl-1.2"), CAT.get("cc-by-sa-3.0"))
    assert r.verdict is CompatVerdict.UNCLEAR, [(x.effect.value, x.text[:90]) for x in r.reasons]
    assert any(x.effect is CompatVerdict.UNCLEAR and "software" in x.text for x in r.reasons)
    c = combine([("base", "eupl-1.2"), ("merge", "cc-by-sa-3.0")])
    assert not any(x.kind == "exclusive-terms" for x in c.settled)
    conflict = next(x for x in c.conflicts if x.kind == "exclusive-terms")
    assert "Unsettled" in conflict.text and any(e.section == "Appendix" for e in conflict.evidence)


def test_combining_agpl_and_gpl_is_settled_by_section_13() -> None:
    c = combine([("base", "agpl-3.0"), ("merge", "gpl-3.0")])
    assert not any(x.kind == "exclusive-terms" for x in c.conflicts)
    assert any(e.section == "13" for x in c.settled for e in x.evidence)
    other = combine([("base", "gpl-3.0"), ("merge", "mpl-2.0")])
    assert other.conflicts or other.settled  # two copyleft terms are never silently merged


# --- openness: one rule for every licence ------------------------------------------------------------------

@pytest.mark.parametrize("lic", LICENCES, ids=[lic.id for lic in LICENCES])
def test_openness_follows_one_rule_for_every_licence(lic: licencecmp.Licence) -> None:
    """An `unclear` answer on what a derivative must carry (what is 'source' or a derivative for weights)
    is an open question, reported apart; it never fails a criterion by itself, for any licence. A
    licence fails only on what it refuses or restricts."""
    r = openness(lic)
    for c in r.reasons:
        assert not c.text.startswith(("distribute-derivative is unclear", "train-on-outputs is unclear")), c.text
    for action in (Action.DISTRIBUTE_DERIVATIVE, Action.TRAIN_ON_OUTPUTS):
        if licencecmp.can(lic.id, action.value).verdict is Verdict.UNCLEAR:
            assert any(u.text.startswith(f"{action.value} is unclear") for u in r.unsettled), (lic.id, action)
    assert r.osi_approved is lic.osi_approved


@pytest.mark.parametrize("licence", ["gpl-3.0", "agpl-3.0", "lgpl-3.0", "mpl-2.0", "epl-2.0", "eupl-1.2"])
def test_osi_approved_copyleft_licences_read_as_open_source(licence: str) -> None:
    r = openness(CAT.get(licence))
    assert r.osi_approved and r.open_source, [c.text for c in r.reasons]


def test_share_alike_licences_of_the_same_structure_read_alike() -> None:
    got = {i: openness(CAT.get(i)).open_source for i in ("cc-by-sa-4.0", "cdla-sharing-1.0", "odbl")}
    assert len(set(got.values())) == 1, got


def test_the_output_keeps_osi_approval_and_the_osd_reading_apart(cli: Cli) -> None:
    out = cli("openness", "gpl-3.0").out
    assert "OSI approved: yes" in out
    assert "Open questions" in out and "OSD" in out


def test_lppl_distribution_conditions_restrict_no_field_of_use() -> None:
    """LPPL-1.3c 10a passes on the clause 6 conditions (identify modified versions, log changes, imply no
    support, point to the Work): conditions on distributing derivatives, not on use (clause 1: "the act of
    running the Work is not restricted"). They fail no OSD criterion, and a derivative's licence must still
    keep them (compat to MIT is not a permission)."""
    r = openness(CAT.get("lppl-1.3c"))
    assert r.open_source and r.freedoms["use"], [c.text for c in r.reasons]
    assert not compat(CAT.get("lppl-1.3c"), CAT.get("mit")).verdict.permits
