"""The evaluation engine: licence + action + scenario -> :class:`Decision`.

The engine is generic: it reads rules, limits and obligations from the licence data and knows
nothing about any particular licence. A fact that the scenario leaves out is "not stated": the
engine never assumes a value for it. Where a limit depends on a missing fact, a permitting
verdict becomes ``conditional`` and the decision names the condition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .catalogue import Resolved, Territories
from .model import SCHEMA_VERSION, Evidence, Licence, PurposeLimit, TerritoryLimit, ThresholdLimit
from .vocab import Action, Fact, Metric, Modality, Verdict

__all__ = ["Citation", "Decision", "DecisionObligation", "Scenario", "combine_decisions", "evaluate"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Scenario(_Out):
    """The facts a question is asked under. ``None`` means "not stated"."""

    mau: int | None = Field(default=None, ge=0, description="Monthly active users.")
    monthly_revenue: float | None = Field(default=None, ge=0, description="Monthly revenue in USD.")
    annual_revenue: float | None = Field(default=None, ge=0, description="Annual revenue in USD.")
    domicile: str | None = Field(
        default=None, description="Licensee's country of residence or principal place of business."
    )
    used_in: tuple[str, ...] | None = Field(
        default=None, description="Countries (or groups) where the model or its outputs are used or offered."
    )
    modality: Modality | None = None
    commercial: bool | None = Field(
        default=None, description="Whether the use is for a commercial purpose (always so for commercial-use)."
    )

    @field_validator("domicile")
    @classmethod
    def _upper(cls, v: str | None) -> str | None:
        return v.strip().upper() if v is not None else None

    @field_validator("used_in")
    @classmethod
    def _upper_all(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return tuple(sorted({c.strip().upper() for c in v})) if v is not None else None

    def metric(self, metric: Metric) -> float | None:
        return {
            Metric.MONTHLY_ACTIVE_USERS: self.mau,
            Metric.MONTHLY_REVENUE_USD: self.monthly_revenue,
            Metric.ANNUAL_REVENUE_USD: self.annual_revenue,
        }[metric]

    def stated(self) -> dict[str, object]:
        """The facts that were stated, as plain data."""
        from .model import jsonable

        data: dict[str, object] = jsonable(self)
        return {k: v for k, v in data.items() if v is not None}


class Citation(_Out):
    """A quote from a licence text, with the licence it comes from."""

    licence: str
    text: str
    section: str
    quote: str

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


_CROSSED, _CLEAR, _UNKNOWN = "crossed", "clear", "unknown"


def _fmt_number(metric: Metric, value: float) -> str:
    prefix = "" if metric is Metric.MONTHLY_ACTIVE_USERS else "USD "
    return f"{prefix}{value:,.0f}"


def _limit_state(
    limit: ThresholdLimit | TerritoryLimit | PurposeLimit, scenario: Scenario, territories: Territories
) -> tuple[str, str]:
    """Whether the scenario crosses the limit, and a phrase saying what crossing means."""
    if isinstance(limit, PurposeLimit):
        phrase = "use for a commercial purpose"
        if scenario.commercial is None:
            state = _UNKNOWN
        else:
            state = _CROSSED if scenario.commercial else _CLEAR
            phrase += f" (stated: {'commercial' if scenario.commercial else 'non-commercial'})"
    elif isinstance(limit, ThresholdLimit):
        phrase = f"{limit.metric.label} above {_fmt_number(limit.metric, limit.max)}"
        value = scenario.metric(limit.metric)
        if value is None:
            state = _UNKNOWN
        else:
            state = _CROSSED if value > limit.max else _CLEAR
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
            state = _UNKNOWN
        else:
            countries: set[str] = set()
            for code in stated:
                countries |= territories.expand(code)
            state = _CROSSED if countries & excluded else _CLEAR
            phrase += f" (stated: {', '.join(stated) or 'nowhere'})"
    if limit.commercial_only and not isinstance(limit, PurposeLimit):
        phrase = f"{phrase}, in commercial use"
        if scenario.commercial is None:
            state = _UNKNOWN if state != _CLEAR else _CLEAR
        elif not scenario.commercial:
            state = _CLEAR
    if limit.modality is not None:
        phrase = f"{phrase}, for {limit.modality.value} models"
        if scenario.modality is None:
            state = _UNKNOWN if state != _CLEAR else _CLEAR
        elif scenario.modality is not limit.modality:
            state = _CLEAR
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
        from .catalogue import default_catalogue

        territories = default_catalogue().territories
    rule = licence.actions[action]
    verdict = rule.verdict
    obligations = [_obligation(licence, key) for key in rule.obligations]
    evidence = [Citation.of(licence, e) for e in rule.evidence]
    reasons = [rule.summary]
    conditions: list[str] = []

    limits = licence.limits_for(action)
    states = [(lim, *_limit_state(lim, scenario, territories)) for lim in limits]
    # First the limits the scenario crosses, then those that depend on facts it leaves out.
    for lim, state, phrase in states:
        if state != _CROSSED:
            continue
        evidence += [Citation.of(licence, e) for e in lim.evidence]
        if lim.verdict is not None and lim.verdict.severity > verdict.severity:
            verdict = lim.verdict
            reasons.append(f"{lim.verdict.value}: {phrase}; the licence grants this right only if {lim.condition}.")
        for key in lim.obligations:
            obligations.append(_obligation(licence, key))
            reasons.append(f"Applies because of {phrase}: {licence.obligations[key].text}")
    for lim, state, phrase in states:
        if state != _UNKNOWN:
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
