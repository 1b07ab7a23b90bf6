"""The evaluation engine: licence + action + scenario -> :class:`Decision`.

The engine is generic: it reads rules, limits and obligations from the licence data and knows
nothing about any particular licence. A fact that the scenario leaves out is "not stated": the
engine never assumes a value for it. Where a limit depends on a missing fact, a permitting
verdict becomes ``conditional`` and the decision names the condition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field

from licencecmp.data.catalogue import Resolved, Territories
from licencecmp.data.schema import SCHEMA_VERSION, Evidence, Licence, PurposeLimit, TerritoryLimit, ThresholdLimit
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, Fact, Metric, Verdict

__all__ = [
    "CLEAR",
    "CROSSED",
    "UNKNOWN",
    "Citation",
    "Decision",
    "DecisionObligation",
    "combine_decisions",
    "decide",
    "evaluate",
    "limit_state",
]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Citation(_Out):
    """A quote from a licence text, with the licence it comes from."""

    licence: str
    text: str
    section: str
    quote: str

    @property
    def label(self) -> str:
        """'llama-3.1 §2', or 'llama-3.1 §Prohibited Uses (aup)' for a text other than the licence."""
        part = "" if self.text == "licence" else f" ({self.text})"
        return f"{self.licence} §{self.section}{part}"

    @classmethod
    def of(cls, licence: Licence, evidence: Evidence) -> Citation:
        # Built from validated licence data: no need to validate again (keeps start-up cheap).
        return cls.model_construct(licence=licence.id, text=evidence.text, section=evidence.section,
                                   quote=evidence.quote)


class DecisionObligation(_Out):
    """An obligation that comes with a decision."""

    id: str = Field(description="The obligation kind, from the closed vocabulary.")
    key: str = Field(description="The obligation's key within its licence.")
    text: str
    wording: str | None = None
    licence: str
    when: str | None = Field(default=None, description="Set when it applies only under a condition.")
    evidence: tuple[Citation, ...]


class Decision(_Out):
    """A verdict with the obligations that come with it and the clauses it rests on."""

    schema_version: str = SCHEMA_VERSION
    licence: str
    model: str | None = None
    upstream: tuple[str, ...] = ()
    action: Action
    verdict: Verdict
    obligations: tuple[DecisionObligation, ...] = ()
    evidence: tuple[Citation, ...] = ()
    reasons: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    scenario: Scenario = Field(default_factory=lambda: Scenario.model_construct())

    @property
    def permits(self) -> bool:
        return self.verdict.permits

    def __bool__(self) -> bool:
        """``if licencecmp.can(...):`` asks whether the verdict permits the action."""
        return self.verdict.permits


CROSSED, CLEAR, UNKNOWN = "crossed", "clear", "unknown"
"""The states of a limit under a scenario: crossed, clear, or unknown (a fact it depends on is not stated)."""


def _fmt_number(metric: Metric, value: float) -> str:
    prefix = "" if metric is Metric.MONTHLY_ACTIVE_USERS else "USD "
    return f"{prefix}{value:,.0f}"


def limit_state(
    limit: ThresholdLimit | TerritoryLimit | PurposeLimit, scenario: Scenario, territories: Territories
) -> tuple[str, str]:
    """Whether the scenario crosses the limit, and a phrase saying what crossing means."""
    if isinstance(limit, PurposeLimit):
        phrase = "use for a commercial purpose"
        if scenario.commercial is None:
            state = UNKNOWN
        else:
            state = CROSSED if scenario.commercial else CLEAR
            phrase += f" (stated: {'commercial' if scenario.commercial else 'non-commercial'})"
    elif isinstance(limit, ThresholdLimit):
        phrase = f"{limit.metric.label} above {_fmt_number(limit.metric, limit.max)}"
        value = scenario.metric(limit.metric)
        if value is None:
            state = UNKNOWN
        else:
            state = CROSSED if value > limit.max else CLEAR
            phrase += f" (stated: {_fmt_number(limit.metric, value)})"
    else:
        excluded: set[str] = set()
        for code in limit.excluded:
            excluded |= territories.expand(code)
        where = territories.describe(limit.excluded)
        if limit.fact is Fact.DOMICILE:
            phrase = f"a licensee domiciled in {where}"
            stated = [scenario.domicile] if scenario.domicile else None
        else:
            phrase = f"use of the model or its outputs in {where}"
            stated = list(scenario.used_in) if scenario.used_in is not None else None
        if stated is None:
            state = UNKNOWN
        else:
            countries: set[str] = set()
            for code in stated:
                countries |= territories.expand(code)
            state = CROSSED if countries & excluded else CLEAR
            phrase += f" (stated: {', '.join(stated) or 'nowhere'})"
    if limit.commercial_only and not isinstance(limit, PurposeLimit):
        phrase = f"{phrase}, in commercial use"
        if scenario.commercial is None:
            state = UNKNOWN if state != CLEAR else CLEAR
        elif not scenario.commercial:
            state = CLEAR
    if limit.modality is not None:
        phrase = f"{phrase}, for {limit.modality.value} models"
        if scenario.modality is None:
            state = UNKNOWN if state != CLEAR else CLEAR
        elif scenario.modality is not limit.modality:
            state = CLEAR
    return state, phrase


def _obligation(licence: Licence, key: str, when: str | None = None) -> DecisionObligation:
    ob = licence.obligations[key]
    return DecisionObligation.model_construct(
        id=ob.kind.value,
        key=key,
        text=ob.text,
        wording=ob.wording,
        licence=licence.id,
        when=when,
        evidence=tuple(Citation.of(licence, e) for e in ob.evidence),
    )


def evaluate(
    licence: Licence,
    action: Action | str,
    scenario: Scenario | None = None,
    *,
    territories: Territories | None = None,
) -> Decision:
    """Apply one licence's rule for one action to a scenario."""
    action = Action(action)
    scenario = scenario or Scenario.model_construct()
    if action is Action.COMMERCIAL_USE and scenario.commercial is not True:
        scenario = scenario.model_copy(update={"commercial": True})
    if territories is None:
        from licencecmp.data.catalogue import default_catalogue

        territories = default_catalogue().territories
    rule = licence.actions[action]
    verdict = rule.verdict
    obligations = [_obligation(licence, key) for key in rule.obligations]
    evidence = [Citation.of(licence, e) for e in rule.evidence]
    reasons = [rule.summary]
    conditions: list[str] = []

    limits = licence.limits_for(action)
    states = [(lim, *limit_state(lim, scenario, territories)) for lim in limits]
    # First the limits the scenario crosses, then those that depend on facts it leaves out.
    for lim, state, phrase in states:
        if state != CROSSED:
            continue
        evidence += [Citation.of(licence, e) for e in lim.evidence]
        if lim.verdict is not None and lim.verdict.severity > verdict.severity:
            verdict = lim.verdict
            reasons.append(f"{lim.verdict.value}: {phrase}; the licence grants this right only if {lim.condition}.")
        for key in lim.obligations:
            obligations.append(_obligation(licence, key))
            reasons.append(f"Applies because of {phrase}: {licence.obligations[key].text}")
    for lim, state, phrase in states:
        if state != UNKNOWN:
            continue
        relevant = False
        if lim.verdict is not None and lim.verdict.severity > verdict.severity and verdict.permits:
            relevant = True
            conditions.append(f"only if {lim.condition}")
            reasons.append(
                f"Not stated whether the limit on {phrase} is crossed; beyond it the verdict is {lim.verdict.value}."
            )
        for key in lim.obligations:
            relevant = True
            obligations.append(_obligation(licence, key, when=f"if {phrase}"))
        if relevant:
            evidence += [Citation.of(licence, e) for e in lim.evidence]

    if verdict is Verdict.ALLOWED and (obligations or conditions):
        verdict = Verdict.CONDITIONAL
    obligations = _merge_obligations(obligations)
    return Decision.model_construct(
        licence=licence.id,
        action=action,
        verdict=verdict,
        obligations=tuple(obligations),
        evidence=tuple(_dedupe(evidence)),
        reasons=tuple(reasons),
        conditions=tuple(dict.fromkeys(conditions)),
        scenario=scenario,
    )


def _merge_obligations(obligations: list[DecisionObligation]) -> list[DecisionObligation]:
    """One entry per obligation: unconditional wins over conditional; conditions are joined."""
    merged: dict[tuple[str, str], DecisionObligation] = {}
    for ob in obligations:
        key = (ob.licence, ob.key)
        cur = merged.get(key)
        if cur is None:
            merged[key] = ob
        elif cur.when is not None:
            if ob.when is None:
                merged[key] = ob
            elif ob.when not in cur.when.split(" or "):
                merged[key] = cur.model_copy(update={"when": f"{cur.when} or {ob.when}"})
    return list(merged.values())


def _dedupe(items: Iterable[object]) -> list:  # type: ignore[type-arg]
    return list(dict.fromkeys(items))


def combine_decisions(
    decisions: Sequence[Decision], *, licence: str, model: str | None = None
) -> Decision:
    """Merge decisions for the same action under several licences: the strictest verdict wins,
    every obligation, condition and citation applies, and each keeps the licence it comes from."""
    if not decisions:
        raise ValueError("nothing to combine")
    verdict = Verdict.strictest([d.verdict for d in decisions])
    if verdict is Verdict.ALLOWED and any(d.obligations or d.conditions for d in decisions):
        verdict = Verdict.CONDITIONAL
    first = next((d for d in decisions if d.licence == licence), decisions[0])
    reasons: list[str] = []
    for d in decisions:
        prefix = "" if d.licence == licence and len(decisions) == 1 else f"[{d.licence}] "
        reasons += [prefix + r for r in d.reasons]
    return Decision.model_construct(
        licence=licence,
        model=model,
        upstream=tuple(sorted({d.licence for d in decisions} - {licence})),
        action=first.action,
        verdict=verdict,
        obligations=tuple(_merge_obligations([o for d in decisions for o in d.obligations])),
        evidence=tuple(_dedupe(e for d in decisions for e in d.evidence)),
        reasons=tuple(reasons),
        conditions=tuple(_dedupe(c for d in decisions for c in d.conditions)),
        scenario=first.scenario,
    )


def decide(resolved: Resolved, action: Action | str, scenario: Scenario, territories: Territories) -> Decision:
    """Answer for a resolved name: a licence alone, or a model with its upstream licences."""
    if resolved.model is not None and scenario.modality is None:
        scenario = scenario.model_copy(update={"modality": resolved.model.modality})
    own = evaluate(resolved.licence, action, scenario, territories=territories)
    if resolved.model is None:
        return own
    others = [evaluate(lic, action, scenario, territories=territories) for lic in resolved.upstream]
    return combine_decisions([own, *others], licence=resolved.licence.id, model=resolved.model.id)
