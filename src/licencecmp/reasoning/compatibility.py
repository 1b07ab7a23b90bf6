"""Outbound compatibility: may a derivative of a work under UPSTREAM be released under OUTBOUND,
with OUTBOUND the only terms recipients need to follow?

Computed from the licence data, with no hand-written matrix: the upstream's rule for
``distribute-derivative`` (its verdict, its obligations and how each obligation travels, see
:class:`~licencecmp.vocab.Travel`), its limits, and every action the upstream refuses that the
outbound licence would permit.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from licencecmp.data.catalogue import Catalogue, default_catalogue
from licencecmp.data.schema import SCHEMA_VERSION, Evidence, Licence, PurposeLimit, TerritoryLimit, ThresholdLimit
from licencecmp.engine import evaluate
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, StrEnum, Travel, Verdict

__all__ = ["CompatReason", "CompatResult", "CompatVerdict", "compat", "matrix"]


class CompatVerdict(StrEnum):
    COMPATIBLE = "compatible"
    CONDITIONAL = "conditional"
    INCOMPATIBLE = "incompatible"
    UNCLEAR = "unclear"

    @property
    def permits(self) -> bool:
        return self in (CompatVerdict.COMPATIBLE, CompatVerdict.CONDITIONAL)

    @property
    def symbol(self) -> str:
        return {"compatible": "✓", "conditional": "◐", "incompatible": "✗", "unclear": "?"}[self.value]


class CompatReason(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    effect: CompatVerdict
    text: str
    licence: str
    section: str
    quote: str


class CompatResult(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: str = SCHEMA_VERSION
    upstream: str
    outbound: str
    verdict: CompatVerdict
    reasons: tuple[CompatReason, ...]


_ORDER = [CompatVerdict.COMPATIBLE, CompatVerdict.CONDITIONAL, CompatVerdict.UNCLEAR, CompatVerdict.INCOMPATIBLE]


def _reason(effect: CompatVerdict, text: str, lic: Licence, ev: Evidence) -> CompatReason:
    return CompatReason(effect=effect, text=text, licence=lic.id, section=ev.section, quote=ev.quote)


def _carries(outbound: Licence, kind: str, wording: str | None) -> bool:
    """Does the outbound licence itself impose the same fixed-wording obligation on derivatives?"""
    if wording is None:
        return False
    rule = outbound.actions[Action.DISTRIBUTE_DERIVATIVE]
    return any(
        outbound.obligations[k].kind.value == kind and outbound.obligations[k].wording == wording
        for k in rule.obligations
    )


def _limit_kept(outbound: Licence, limit: ThresholdLimit | TerritoryLimit | PurposeLimit) -> bool:
    """Does the outbound licence keep an equal or tighter limit of the same kind?"""
    for other in outbound.limits:
        if isinstance(limit, PurposeLimit) and isinstance(other, PurposeLimit):
            return True
        if (isinstance(limit, ThresholdLimit) and isinstance(other, ThresholdLimit)
                and other.metric is limit.metric and other.max <= limit.max):
            return True
        if (isinstance(limit, TerritoryLimit) and isinstance(other, TerritoryLimit)
                and other.fact is limit.fact and set(limit.excluded) <= set(other.excluded)):
            return True
    return False


def _base_verdicts(lic: Licence, cat: Catalogue) -> dict[Action, Verdict]:
    """The verdict of every action when no fact is stated (cached per catalogue and licence)."""
    return cat.memo(("base-verdicts", lic.id), lambda: {
        a: evaluate(lic, a, Scenario(), territories=cat.territories).verdict for a in Action})


def compat(upstream: Licence, outbound: Licence, cat: Catalogue | None = None) -> CompatResult:
    """Whether a derivative of ``upstream`` may be released under ``outbound`` alone."""
    cat = cat or default_catalogue()
    if upstream.id == outbound.id:
        rule = upstream.actions[Action.DISTRIBUTE_DERIVATIVE]
        return CompatResult(upstream=upstream.id, outbound=outbound.id, verdict=CompatVerdict.COMPATIBLE,
                            reasons=(_reason(CompatVerdict.COMPATIBLE, "A licence is compatible with itself.",
                                             upstream, rule.evidence[0]),))
    reasons: list[CompatReason] = []
    rule = upstream.actions[Action.DISTRIBUTE_DERIVATIVE]
    up = _base_verdicts(upstream, cat)
    down = _base_verdicts(outbound, cat)

    if not up[Action.DISTRIBUTE_DERIVATIVE].permits:
        effect = CompatVerdict.UNCLEAR if rule.verdict is Verdict.UNCLEAR else CompatVerdict.INCOMPATIBLE
        reasons.append(_reason(effect, f"{upstream.id} does not grant distribution of derivatives "
                               f"({up[Action.DISTRIBUTE_DERIVATIVE].value}): {rule.summary}", upstream,
                               rule.evidence[0]))
    for key in rule.obligations:
        ob = upstream.obligations[key]
        travel = ob.kind.travel
        if travel is Travel.TERMS:
            if _carries(outbound, ob.kind.value, ob.wording):
                continue
            reasons.append(_reason(CompatVerdict.INCOMPATIBLE,
                                   f"This term must travel with every derivative and {outbound.id} does not "
                                   f"carry it: {ob.text}", upstream, ob.evidence[0]))
        elif travel is Travel.NOTICE:
            reasons.append(_reason(CompatVerdict.CONDITIONAL,
                                   f"Keep beside the derivative: {ob.text}", upstream, ob.evidence[0]))
    # Limits bind the model and whatever is derived from it, on whichever action they sit.
    for limit in upstream.limits:
        for key in limit.obligations:
            ob = upstream.obligations[key]
            if ob.kind.travel is Travel.TERMS and not _carries(outbound, ob.kind.value, ob.wording):
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
    train = upstream.actions[Action.TRAIN_ON_OUTPUTS]
    if train.derivative:
        reasons.append(_reason(CompatVerdict.INCOMPATIBLE,
                               f"{upstream.id} governs every model derivative, including models trained on its "
                               f"outputs; its terms cannot be replaced by {outbound.id}.", upstream,
                               train.evidence[0]))
    for action in Action:
        if action is Action.DISTRIBUTE_DERIVATIVE:
            continue
        if not up[action].permits and down[action].permits:
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
    return CompatResult(upstream=upstream.id, outbound=outbound.id, verdict=verdict,
                        reasons=tuple(sorted(reasons, key=lambda r: -_ORDER.index(r.effect))))


def matrix(licences: Sequence[Licence], cat: Catalogue | None = None) -> list[CompatResult]:
    """Every upstream x outbound pair, row by row."""
    cat = cat or default_catalogue()
    return [compat(up, down, cat) for up in licences for down in licences]
