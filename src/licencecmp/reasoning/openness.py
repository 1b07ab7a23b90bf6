"""Openness: is a licence an open-source licence, and does it grant the four freedoms for weights?

Each criterion of the Open Source Definition that can be read from the licence data is checked
generically; every failing criterion carries the clause that breaks it. ``osi_approved`` is a
fact from the data, reported beside the computed answer and never mixed into it.

One rule for every licence (:data:`SOURCE_RULE`): the OSD reading judges what the licence grants and
what it withholds. Where the answer on what a derivative must carry is ``unclear`` only because the
text's words (its "source", its "derivative" or "Adapted Material") are unsettled for weights, that is
an open question of applying the licence to weights, the same for every licence that uses such words;
it is reported under ``unsettled`` with its clause and fails no criterion. What a licence refuses or
restricts (a refused action, a use restriction, a registration, a limit on who may use it) fails one.
"""

from __future__ import annotations

from dataclasses import dataclass

from licencecmp.data.catalogue import Catalogue, default_catalogue
from licencecmp.data.plain import SCHEMA_VERSION
from licencecmp.data.records import Evidence, Licence, Provenance
from licencecmp.engine import evaluate
from licencecmp.reasoning.lookup import Binding, provenances
from licencecmp.reasoning.plainresult import PlainResult
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, ObligationKind, Verdict

__all__ = ["SOURCE_RULE", "Criterion", "OpennessReport", "openness", "openness_of"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Criterion(PlainResult):
    criterion: str
    text: str
    licence: str
    section: str
    quote: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OpennessReport(PlainResult):
    schema_version: str = SCHEMA_VERSION
    licence: str
    open_source: bool
    osi_approved: bool
    reasons: tuple[Criterion, ...]
    freedoms: dict[str, bool]
    unsettled: tuple[Criterion, ...] = ()  # open questions of applying the licence to weights (SOURCE_RULE)
    training_data: str = "unknown"
    resolved: tuple[Provenance, ...] = ()
    """Where the licence of the model named came from (none for a licence named directly)."""


CRITERIA = {
    "free-redistribution": "OSD 1: the licence must not restrict anyone from selling or giving away the work",
    "derived-works": "OSD 3: modifications and derived works must be allowed and distributable under the same terms",
    "no-discrimination-against-persons-or-groups": "OSD 5: no discrimination against any person or group",
    "no-discrimination-against-fields-of-endeavor": "OSD 6: no restriction on the fields in which the work is used",
    "no-restriction-on-other-software": "OSD 9: the licence must not place restrictions on other works "
                                        "(here: models trained with its outputs)",
    "no-extra-conditions": "OSD 7: the rights must apply without the need for an additional licence or registration",
}

_USE_RESTRICTIONS = (ObligationKind.COMPLY_AUP, ObligationKind.PASS_ON_RESTRICTIONS)

SOURCE_RULE = ("The OSD reading judges what the licence grants and withholds. What 'source' (or a derivative) "
               "is for weights is unsettled alike for every licence that uses the word: an unclear answer on "
               "what a derivative must carry is an open question, not a failing criterion.")
# The actions whose answer turns on what a derivative of the weights is and what it must carry.
_DERIVATIVE_QUESTIONS = (Action.DISTRIBUTE_DERIVATIVE, Action.TRAIN_ON_OUTPUTS)


def _crit(name: str, text: str, lic: Licence, ev: Evidence) -> Criterion:
    return Criterion(criterion=name, text=text, licence=lic.id, section=ev.section, quote=ev.quote)


def openness(lic: Licence, cat: Catalogue | None = None, training_data: str = "unknown") -> OpennessReport:
    cat = cat or default_catalogue()
    v = {a: evaluate(lic, a, Scenario.model_construct(), territories=cat.territories).verdict for a in Action}
    reasons: list[Criterion] = []
    unsettled: list[Criterion] = []

    def fails(name: str, action: Action, text: str, ev: Evidence) -> None:
        """A criterion the answer for ``action`` fails, or an open question when that answer is unclear
        on what a derivative must carry (SOURCE_RULE)."""
        open_question = action in _DERIVATIVE_QUESTIONS and v[action] is Verdict.UNCLEAR
        (unsettled if open_question else reasons).append(_crit(name, text, lic, ev))

    for action in (Action.DISTRIBUTE,):
        if not v[action].permits:
            r = lic.actions[action]
            reasons.append(_crit("free-redistribution", f"{action.value} is {v[action].value}: {r.summary}", lic,
                                 r.evidence[0]))
    for action in (Action.MODIFY, Action.DISTRIBUTE_DERIVATIVE):
        if not v[action].permits:
            r = lic.actions[action]
            fails("derived-works", action, f"{action.value} is {v[action].value}: {r.summary}", r.evidence[0])
    for lim in lic.limits:
        if lim.verdict is not None and lim.verdict.severity > Verdict.CONDITIONAL.severity:
            if lim.type == "purpose":
                reasons.append(_crit("no-discrimination-against-fields-of-endeavor",
                                     f"Rights only for non-commercial purposes: only if {lim.condition}.", lic,
                                     lim.evidence[0]))
                continue
            reasons.append(_crit("no-discrimination-against-persons-or-groups",
                                 f"Rights depend on who you are: only if {lim.condition}.", lic, lim.evidence[0]))
    if not v[Action.COMMERCIAL_USE].permits:
        r = lic.actions[Action.COMMERCIAL_USE]
        reasons.append(_crit("no-discrimination-against-fields-of-endeavor",
                             f"commercial-use is {v[Action.COMMERCIAL_USE].value}: {r.summary}", lic, r.evidence[0]))
    seen: set[str] = set()
    for _key, ob in sorted(lic.obligations.items()):
        if ob.kind in _USE_RESTRICTIONS and ob.kind.value not in seen:
            seen.add(ob.kind.value)
            reasons.append(_crit("no-discrimination-against-fields-of-endeavor",
                                 f"Use-based restrictions: {ob.text}", lic, ob.evidence[0]))
        if ob.kind is ObligationKind.REGISTER and "register" not in seen:
            seen.add("register")
            reasons.append(_crit("no-extra-conditions", f"Rights depend on registration: {ob.text}", lic,
                                 ob.evidence[0]))
    train = lic.actions[Action.TRAIN_ON_OUTPUTS]
    if not v[Action.TRAIN_ON_OUTPUTS].permits:
        fails("no-restriction-on-other-software", Action.TRAIN_ON_OUTPUTS,
              f"train-on-outputs is {v[Action.TRAIN_ON_OUTPUTS].value}: {train.summary}", train.evidence[0])
    elif train.derivative:
        reasons.append(_crit("no-restriction-on-other-software",
                             "Models trained on its outputs become derivatives governed by this licence.", lic,
                             train.evidence[0]))
    for key in train.obligations:
        ob = lic.obligations[key]
        if ob.kind is ObligationKind.NAME_PREFIX:
            reasons.append(_crit("no-restriction-on-other-software",
                                 f"Models trained with its outputs must carry its name: {ob.text}", lic,
                                 ob.evidence[0]))
    no_aup = not any(ob.kind in _USE_RESTRICTIONS for ob in lic.obligations.values())
    freedoms = {
        "use": v[Action.USE].permits and v[Action.COMMERCIAL_USE].permits and no_aup
        and not any(r.criterion == "no-discrimination-against-persons-or-groups" for r in reasons),
        "study": v[Action.USE].permits,
        "modify": v[Action.MODIFY].permits,
        "share": v[Action.DISTRIBUTE].permits and v[Action.DISTRIBUTE_DERIVATIVE].permits,
    }
    return OpennessReport(licence=lic.id, open_source=not reasons, osi_approved=lic.osi_approved,
                          reasons=tuple(reasons), freedoms=freedoms, training_data=training_data,
                          unsettled=tuple(unsettled))


def openness_of(binding: Binding, cat: Catalogue | None = None) -> OpennessReport:
    """Openness of a name: every licence that binds it must be open (a model whose upstream licence
    is not open source is not open source, whatever its own licence says); of an ``OR`` choice, the
    most open choice counts."""
    cat = cat or default_catalogue()
    training = binding.model.training_data if binding.model is not None and binding.model.training_data \
        else "unknown"
    best: OpennessReport | None = None
    for choice in binding.choices:
        reports = [openness(lic, cat, training_data=training) for lic in choice]
        own = reports[0]
        reasons = tuple(r for rep in reports for r in rep.reasons)
        freedoms = {k: all(rep.freedoms[k] for rep in reports) for k in own.freedoms}
        merged = own.model_copy(update={
            "licence": binding.label if len(choice) > 1 or binding.expression else own.licence,
            "open_source": all(rep.open_source for rep in reports),
            "osi_approved": all(rep.osi_approved for rep in reports),
            "reasons": reasons, "freedoms": freedoms, "resolved": provenances(binding),
            "unsettled": tuple(u for rep in reports for u in rep.unsettled)})
        if best is None or (merged.open_source, -len(merged.reasons)) > (best.open_source, -len(best.reasons)):
            best = merged
    assert best is not None
    return best
