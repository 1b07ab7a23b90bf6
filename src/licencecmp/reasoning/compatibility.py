"""Outbound compatibility: may a derivative of a work under UPSTREAM be released under OUTBOUND,
with OUTBOUND the only terms recipients need to follow?

Computed from the licence data, with no hand-written matrix: the upstream's rule for
``distribute-derivative`` (its verdict, its obligations and how each obligation travels, see
:class:`~licencecmp.vocab.Travel`), its limits, and every action the upstream refuses that the
outbound licence would permit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from licencecmp.data.catalogue import Catalogue, default_catalogue
from licencecmp.data.records import CompatReason, CompatResult
from licencecmp.engine import evaluate
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, CompatVerdict, ObligationKind, Purpose, Travel, Verdict

if TYPE_CHECKING:
    from licencecmp.data.records import Evidence, Licence, Obligation, PurposeLimit, TerritoryLimit, ThresholdLimit
    from licencecmp.reasoning.lookup import Binding

__all__ = ["CompatReason", "CompatResult", "CompatVerdict", "compat", "compat_bindings", "granted_purposes",
           "matrix", "matrix_bindings"]


_ORDER = [CompatVerdict.COMPATIBLE, CompatVerdict.CONDITIONAL, CompatVerdict.UNCLEAR, CompatVerdict.INCOMPATIBLE]


def _reason(effect: CompatVerdict, text: str, lic: Licence, ev: Evidence) -> CompatReason:
    return CompatReason.model_construct(effect=effect, text=text, licence=lic.id, section=ev.section, quote=ev.quote)


def _carries(outbound: Licence, upstream: Licence, key: str) -> bool:
    """Does the outbound licence itself impose the upstream's obligation on derivatives: one of the
    same kind with the same fixed wording, or one its data says contains the upstream's?"""
    ob = upstream.obligations[key]
    rule = outbound.actions[Action.DISTRIBUTE_DERIVATIVE]
    for k in rule.obligations:
        other = outbound.obligations[k]
        if f"{upstream.id}:{key}" in other.contains:
            return True
        if other.kind is not ob.kind:
            continue
        if ob.wording is not None and other.wording == ob.wording:
            return True
    return False


def _no_further_restrictions(outbound: Licence) -> Obligation | None:
    """The outbound licence's own rule that a derivative carry nothing binding recipients beyond
    its terms (GPL-2.0 section 6, GPL-3.0 section 10), if it has one."""
    for k in outbound.actions[Action.DISTRIBUTE_DERIVATIVE].obligations:
        other = outbound.obligations[k]
        if other.kind is ObligationKind.NO_FURTHER_RESTRICTIONS:
            return other
    return None


def granted_purposes(limit: PurposeLimit) -> frozenset[Purpose]:
    """The purposes a purpose limit grants (every non-commercial one unless the data names them)."""
    if limit.allowed is not None:
        return frozenset(limit.allowed)
    return frozenset(Purpose) - {Purpose.COMMERCIAL}


def _limit_kept(outbound: Licence, limit: ThresholdLimit | TerritoryLimit | PurposeLimit) -> bool:
    """Does the outbound licence keep an equal or tighter limit of the same kind? A purpose limit is
    kept only by one at least as narrow: no purpose the upstream withholds, and non-production
    wherever the upstream is."""
    for other in outbound.limits:
        if limit.type == "purpose" and other.type == "purpose":
            if (other.verdict is not None and other.verdict.severity > Verdict.CONDITIONAL.severity
                    and granted_purposes(other) <= granted_purposes(limit)
                    and (other.non_production or not limit.non_production)):
                return True
            continue
        if (limit.type == "threshold" and other.type == "threshold"
                and other.metric is limit.metric
                and (other.max < limit.max or (other.max == limit.max and (limit.inclusive or not other.inclusive)))):
            return True
        if (limit.type == "territory" and other.type == "territory"
                and other.fact is limit.fact and set(limit.excluded) <= set(other.excluded)):
            return True
    return False


def _base_verdicts(lic: Licence, cat: Catalogue) -> dict[Action, Verdict]:
    """The verdict of every action when no fact is stated (cached per catalogue and licence)."""
    return cat.memo(("base-verdicts", lic.id), lambda: {
        a: evaluate(lic, a, Scenario.model_construct(), territories=cat.territories).verdict for a in Action})


def compat(upstream: Licence, outbound: Licence, cat: Catalogue | None = None) -> CompatResult:
    """Whether a derivative of ``upstream`` may be released under ``outbound`` alone."""
    cat = cat or default_catalogue()
    if upstream.id == outbound.id:
        rule = upstream.actions[Action.DISTRIBUTE_DERIVATIVE]
        itself = _reason(CompatVerdict.COMPATIBLE, "A licence is compatible with itself.", upstream, rule.evidence[0])
        return CompatResult.model_construct(upstream=upstream.id, outbound=outbound.id,
                                            verdict=CompatVerdict.COMPATIBLE, reasons=(itself,))
    reasons: list[CompatReason] = []
    rule = upstream.actions[Action.DISTRIBUTE_DERIVATIVE]
    up = _base_verdicts(upstream, cat)
    down = _base_verdicts(outbound, cat)

    # A compatibility clause of the upstream's that names the outbound licence: the derivative may go out
    # under it, on the clause's condition, in place of the upstream's own terms. Like a licence with itself,
    # the upstream's own open questions about its derivatives (an `unclear` reading) are then the outbound's
    # terms' to answer; a refusal stays.
    relicensed = [rl for key in rule.obligations for rl in upstream.obligations[key].relicensing
                  if outbound.id in rl.licences]
    if not up[Action.DISTRIBUTE_DERIVATIVE].permits and not (relicensed and up[Action.DISTRIBUTE_DERIVATIVE]
                                                             is Verdict.UNCLEAR):
        effect = CompatVerdict.UNCLEAR if rule.verdict is Verdict.UNCLEAR else CompatVerdict.INCOMPATIBLE
        reasons.append(_reason(effect, f"{upstream.id} does not grant distribution of derivatives "
                               f"({up[Action.DISTRIBUTE_DERIVATIVE].value}): {rule.summary}", upstream,
                               rule.evidence[0]))
    reasons += _relicensing_reasons(upstream, outbound, relicensed)
    travelling, carried = _travelling_terms(upstream, outbound, rule, bool(relicensed), reasons)
    reasons += _limit_reasons(upstream, outbound)
    train = upstream.actions[Action.TRAIN_ON_OUTPUTS]
    if train.derivative and travelling and carried == travelling:
        reasons.append(_reason(CompatVerdict.CONDITIONAL,
                               f"{upstream.id} governs every model derivative, including models trained on its "
                               f"outputs; {outbound.id} carries every term of {upstream.id} that must travel, so "
                               f"its terms may govern the derivative as long as they keep to {upstream.id}'s.",
                               upstream, train.evidence[0]))
    elif train.derivative:
        reasons.append(_reason(CompatVerdict.INCOMPATIBLE,
                               f"{upstream.id} governs every model derivative, including models trained on its "
                               f"outputs; its terms cannot be replaced by {outbound.id}.", upstream,
                               train.evidence[0]))
    for action in Action:
        if action is Action.DISTRIBUTE_DERIVATIVE:
            continue
        if not up[action].permits and down[action].permits and not (relicensed and up[action] is Verdict.UNCLEAR):
            r = upstream.actions[action]
            effect = CompatVerdict.UNCLEAR if up[action] is Verdict.UNCLEAR else CompatVerdict.INCOMPATIBLE
            reasons.append(_reason(effect, f"{upstream.id} does not allow {action.value} "
                                   f"({up[action].value}) but {outbound.id} would: {r.summary}",
                                   upstream, r.evidence[0]))
    verdict = max((r.effect for r in reasons), key=_ORDER.index, default=CompatVerdict.COMPATIBLE)
    if not reasons:
        reasons.append(_reason(CompatVerdict.COMPATIBLE,
                               f"{upstream.id} attaches nothing to derivatives that {outbound.id} would drop.",
                               upstream, rule.evidence[0]))
    return CompatResult.model_construct(upstream=upstream.id, outbound=outbound.id, verdict=verdict,
                        reasons=tuple(sorted(reasons, key=lambda r: -_ORDER.index(r.effect))))


def _relicensing_reasons(upstream: Licence, outbound: Licence, relicensed: list[Any]) -> list[CompatReason]:
    """What each compatibility clause of the upstream's that names the outbound licence says."""
    reasons: list[CompatReason] = []
    for rl in relicensed:
        if rl.how == "any":
            text = f"{upstream.id} lets the work go out under {outbound.id} instead: {rl.text}"
        elif rl.how == "combined":
            text = (f"{upstream.id} lets a derivative that also includes a work under {outbound.id} go out under "
                    f"{outbound.id} (only such a combination): {rl.text}")
        else:
            text = (f"{upstream.id} defers to a list kept outside its text, and the list decides: {rl.text} "
                    f"(list: {rl.list_source or 'not recorded'})")
        if rl.unsettled:
            # The clause's own condition is open for weights: the route may not exist, so the pair is unclear.
            reasons.append(_reason(CompatVerdict.UNCLEAR, f"{text} Unsettled: {rl.unsettled}", upstream,
                                   rl.evidence[0]))
        else:
            reasons.append(_reason(CompatVerdict.CONDITIONAL, text, upstream, rl.evidence[0]))
    return reasons


def _travelling_terms(upstream: Licence, outbound: Licence, rule: Any, relicensed: bool,
                      reasons: list[CompatReason]) -> tuple[int, int]:
    """The reasons of each term of the upstream's that travels with a derivative (added to ``reasons``),
    and (how many terms must travel, how many of them the outbound licence carries)."""
    travelling = carried = 0
    for key in rule.obligations:
        ob = upstream.obligations[key]
        travel = ob.kind.travel
        if travel is Travel.TERMS:
            travelling += 1
            if relicensed or _carries(outbound, upstream, key):
                carried += 1
                continue
            reasons.append(_reason(CompatVerdict.INCOMPATIBLE,
                                   f"This term must travel with every derivative and {outbound.id} does not "
                                   f"carry it: {ob.text}", upstream, ob.evidence[0]))
        elif travel is Travel.RESTRICTION:
            if _carries(outbound, upstream, key):
                continue
            refusal = _no_further_restrictions(outbound)
            if refusal is None:
                reasons.append(_reason(CompatVerdict.CONDITIONAL, f"This term keeps binding every recipient "
                                       f"beside {outbound.id}: {ob.text}", upstream, ob.evidence[0]))
                continue
            reasons.append(_reason(CompatVerdict.INCOMPATIBLE, f"This term keeps binding every recipient of a "
                                   f"derivative, and {outbound.id} forbids further restrictions: {ob.text}",
                                   upstream, ob.evidence[0]))
            reasons.append(_reason(CompatVerdict.INCOMPATIBLE, f"{outbound.id} forbids further restrictions on "
                                   f"recipients, and {upstream.id}'s term is one: {refusal.text}", outbound,
                                   refusal.evidence[0]))
        elif travel is Travel.NOTICE:
            reasons.append(_reason(CompatVerdict.CONDITIONAL,
                                   f"Keep beside the derivative: {ob.text}", upstream, ob.evidence[0]))
    return travelling, carried


def _limit_reasons(upstream: Licence, outbound: Licence) -> list[CompatReason]:
    """The upstream's limits bind the model and whatever is derived from it."""
    reasons: list[CompatReason] = []
    for limit in upstream.limits:
        for key in limit.obligations:
            ob = upstream.obligations[key]
            if ob.kind.travel is Travel.TERMS and not _carries(outbound, upstream, key):
                reasons.append(_reason(CompatVerdict.INCOMPATIBLE,
                                       f"Beyond a limit ({limit.condition}) {upstream.id} requires: {ob.text} "
                                       f"{outbound.id} would silently drop that duty.", upstream, limit.evidence[0]))
        if limit.verdict is None or not limit.verdict.severity > Verdict.CONDITIONAL.severity:
            continue
        if _limit_kept(outbound, limit):
            continue
        reasons.append(_reason(CompatVerdict.INCOMPATIBLE,
                               f"{upstream.id} grants its rights only if {limit.condition}; {outbound.id} would "
                               f"silently drop that limit.", upstream, limit.evidence[0]))
    return reasons


def matrix(licences: Sequence[Licence], cat: Catalogue | None = None) -> list[CompatResult]:
    """Every upstream x outbound pair, row by row."""
    cat = cat or default_catalogue()
    return [compat(up, down, cat) for up in licences for down in licences]


def _lineage_reason(effect: CompatVerdict, side: str, binding: Binding, lic: Licence) -> CompatReason:
    rule = lic.actions[Action.DISTRIBUTE_DERIVATIVE]
    ev = rule.evidence[0]
    what = f"model {binding.model.id}" if binding.model is not None else binding.label
    return CompatReason.model_construct(
        effect=effect, text=f"{what} ({side}) is bound by {lic.id} as well, which travels with it.",
        licence=lic.id, section=ev.section, quote=ev.quote)


def compat_bindings(upstream: Binding, outbound: Binding, cat: Catalogue | None = None) -> CompatResult:
    """Compatibility between two names (licences, models with their upstream licences, or
    expressions): every licence that binds the upstream must be compatible with the outbound terms
    (where one of the outbound's licences is the same licence, that licence is carried); an upstream
    ``OR`` lets you pick the best choice, an outbound ``OR`` lets recipients pick, so every choice
    must do."""
    cat = cat or default_catalogue()

    def one_choice(ups: tuple[Licence, ...], outs: tuple[Licence, ...]) -> list[CompatResult]:
        results = []
        for up in ups:
            candidates = [compat(up, out, cat) for out in outs]
            results.append(min(candidates, key=lambda r: _ORDER.index(r.verdict)))
        return results

    def worst(results: list[CompatResult]) -> CompatVerdict:
        return max((r.verdict for r in results), key=_ORDER.index, default=CompatVerdict.COMPATIBLE)

    best: list[CompatResult] | None = None
    for ups in upstream.choices:
        per_out = [one_choice(ups, outs) for outs in outbound.choices]
        chosen = max(per_out, key=lambda rs: _ORDER.index(worst(rs)))  # recipients pick among outbound
        if best is None or _ORDER.index(worst(chosen)) < _ORDER.index(worst(best)):
            best = chosen
    assert best is not None
    verdict = worst(best)
    reasons: list[CompatReason] = []
    for b, side in ((upstream, "upstream"), (outbound, "outbound")):
        if len(b.choices) == 1 and len(b.choices[0]) > 1:
            effect = CompatVerdict.CONDITIONAL if side == "upstream" else CompatVerdict.COMPATIBLE
            reasons += [_lineage_reason(effect, side, b, lic) for lic in b.choices[0][1:]]
    for r in best:
        reasons += [x for x in r.reasons if x not in reasons]
    reasons.sort(key=lambda r: -_ORDER.index(r.effect))
    from licencecmp.reasoning.lookup import provenances

    resolved = provenances(upstream, outbound)
    if len(best) == 1 and not (len(upstream.choices[0]) > 1 or len(outbound.choices[0]) > 1):
        return CompatResult.model_construct(upstream=upstream.label, outbound=outbound.label, verdict=verdict,
                            reasons=best[0].reasons, resolved=resolved)
    return CompatResult.model_construct(upstream=upstream.label, outbound=outbound.label, verdict=verdict,
                                        reasons=tuple(reasons), resolved=resolved)


def matrix_bindings(bindings: Sequence[Binding], cat: Catalogue | None = None) -> list[CompatResult]:
    """Every upstream x outbound pair of names, row by row."""
    cat = cat or default_catalogue()
    return [compat_bindings(up, down, cat) for up in bindings for down in bindings]
