"""Comparison tables: several licences (or registry models) side by side, one cell per action.

:func:`compare` builds a :class:`Comparison` from the catalogue and a scenario. Each cell is a
:class:`Decision` from the engine reduced to what a table can hold: the verdict, a short condition
("≤ 700M MAU", "Built with Llama", "not in EU/GB/KR") and the clauses behind it. Key facts of each
licence (kind, user threshold, territory, attribution wording, name prefix, openness) come from
the licence data. Nothing here knows any particular licence; the renderers in
:mod:`licencecmp.render.table` and :mod:`licencecmp.render.html` only format this model.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from licencecmp.data.catalogue import Catalogue, Resolved, default_catalogue
from licencecmp.data.plain import SCHEMA_VERSION
from licencecmp.data.records import Licence, Provenance, PurposeLimit, TerritoryLimit, ThresholdLimit
from licencecmp.engine import Citation, Decision, binding_limits, decide, effective_scenario, limit_state
from licencecmp.errors import ExpressionError, UnknownFactError
from licencecmp.facts import SCENARIO_FACTS, FactKind, ScenarioFact
from licencecmp.reasoning.expression import is_expression
from licencecmp.reasoning.lookup import Binding, Name, lookup, provenances
from licencecmp.reasoning.plainresult import PlainResult
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, Fact, ObligationKind, Purpose, Verdict, parse_action

__all__ = [
    "FACTS", "Cell", "Comparison", "Row", "UnknownFactError", "compare", "parse_facts", "scenario_summary",
    "short_number",
]

FACTS: dict[str, str] = {
    "kind": "kind",
    "threshold": "user threshold",
    "territory": "territory",
    "attribution": "attribution",
    "name-prefix": "name prefix",
    "openness": "openness",
}
"""The fact columns, by key, with their column headings."""


def parse_facts(names: Iterable[str]) -> tuple[str, ...]:
    """Fact keys from user input ('name_prefix' and 'name-prefix' alike); 'none' alone means none."""
    keys = [n.strip().lower().replace("_", "-") for n in names if n.strip()]
    if keys == ["none"]:
        return ()
    for key in keys:
        if key not in FACTS:
            raise UnknownFactError(f"unknown fact {key!r}; known facts: {', '.join(FACTS)} (or none)")
    return tuple(dict.fromkeys(keys))


@dataclass(frozen=True, slots=True, kw_only=True)
class Cell(PlainResult):
    """One cell of the table: a verdict with its short condition, or a fact, with its clauses."""

    computed: ClassVar[tuple[str, ...]] = ("label",)
    verdict: Verdict | None = None
    """Set for action cells; None for fact cells."""
    text: str
    """The short condition (action cells) or the fact (fact cells); may be empty."""
    notes: tuple[str, ...] = ()
    """The parts of `text`, one per condition."""
    evidence: tuple[Citation, ...] = ()
    """The clauses behind the cell."""

    @property
    def label(self) -> str:
        """What the cell shows: symbol and verdict word, then the short condition."""
        if self.verdict is None:
            return self.text
        head = f"{self.verdict.symbol} {self.verdict.value}"
        return f"{head}: {self.text}" if self.text else head

    @property
    def trivial(self) -> bool:
        """True for a plain "allowed" with no condition, or an empty fact."""
        if self.verdict is None:
            return not self.evidence
        return self.verdict is Verdict.ALLOWED and not self.text


@dataclass(frozen=True, slots=True, kw_only=True)
class Row(PlainResult):
    """One licence or model: a cell per action and per fact."""

    computed: ClassVar[tuple[str, ...]] = ("label",)
    name: str
    """The name as given (licence id, alias or model repo id)."""
    licence: str
    """The canonical id of the licence."""
    model: str | None = None
    upstream: tuple[str, ...] = ()
    """Licences of upstream models that also apply."""
    title: str
    cells: dict[Action, Cell]
    facts: dict[str, Cell]

    @property
    def label(self) -> str:
        """The row heading: the licence id, or the model with its licences."""
        if self.model is None:
            return self.licence
        ups = f" + {', '.join(self.upstream)}" if self.upstream else ""
        return f"{self.model} ({self.licence}{ups})"


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison(PlainResult):
    """A comparison table: rows of licences, columns of actions and facts, for one scenario."""

    schema_version: str = SCHEMA_VERSION
    scenario: Scenario
    scenario_text: str
    """The scenario in words, as the table states it."""
    actions: tuple[Action, ...]
    facts: tuple[str, ...] = field(default=tuple(FACTS))
    rows: tuple[Row, ...]
    resolved: tuple[Provenance, ...] = ()
    """Where the licence of each model named came from (none for licences named directly)."""


# -- short forms ------------------------------------------------------------------------------


def short_number(value: float) -> str:
    """700000000 -> '700M', 1000000000 -> '1B', 1500000 -> '1.5M', 2500 -> '2,500'."""
    for size, suffix in ((1_000_000_000_000, "T"), (1_000_000_000, "B"), (1_000_000, "M")):
        if value >= size:
            n = value / size
            return f"{n:.{0 if n == int(n) else 1}f}{suffix}".replace(".0" + suffix, suffix)
    return f"{value:,.0f}"


_SHORT_CODES = {"GB": "UK"}  # the usual short name; ISO 3166 says GB


def _codes(codes: Iterable[str]) -> str:
    return "/".join(_SHORT_CODES.get(c, c) for c in codes)


def _limit_note(lim: ThresholdLimit | TerritoryLimit | PurposeLimit, crossed: bool) -> str:
    if lim.type == "threshold":
        above, within = (">", "≤") if lim.inclusive else ("≥", "<")
        note = f"{above if crossed else within} {lim.metric.short_form(short_number(lim.max))}"
    elif lim.type == "territory":
        where = _codes(lim.excluded)
        if lim.fact is Fact.DOMICILE:
            note = f"not for licensees in {where}" if crossed else f"licensee not in {where}"
        else:
            note = f"not granted in {where}" if crossed else f"not in {where}"
    else:
        from licencecmp.reasoning.compatibility import granted_purposes

        granted = granted_purposes(lim)
        if granted == frozenset(Purpose) - {Purpose.COMMERCIAL}:
            note = "commercial purpose" if crossed else "non-commercial only"
        else:
            words = "/".join(p.value for p in Purpose if p in granted)
            note = f"purpose not {words}" if crossed else f"{words} only"
        if lim.non_production:
            note += " or production" if crossed else ", non-production"
    if lim.modality is not None:
        note = f"{lim.modality.value}: {note}"
    return note


def clip(text: str, size: int = 40) -> str:
    """A long fixed wording cut at a word boundary; the cell's clauses quote it whole."""
    if len(text) <= size:
        return text
    return text[:size].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def obligation_note(kind: ObligationKind, wording: str | None) -> str:
    if kind is ObligationKind.DISPLAY_ATTRIBUTION:
        return clip(wording) if wording else "attribution"
    if kind is ObligationKind.NAME_PREFIX:
        return f"name starts “{clip(wording)}”" if wording else "name prefix"
    return _OBLIGATION_SHORT.get(kind) or _FALLBACK_SHORT[kind]


# Obligations named in a cell, in this order. The others (licence copy, notices, laws, marks) are
# in the cited clauses; they are named only when a conditional cell would otherwise say nothing.
_OBLIGATION_SHORT = {
    ObligationKind.SAME_TERMS: "same terms",
    ObligationKind.PASS_ON_RESTRICTIONS: "pass on use limits",
    ObligationKind.PASS_ON_CONDITIONS: "pass on conditions",
    ObligationKind.COMPLY_AUP: "use policy",
    ObligationKind.REGISTER: "register",
    ObligationKind.PROVIDE_SOURCE: "share source",
}
_FALLBACK_SHORT = {
    ObligationKind.INCLUDE_LICENCE: "licence copy",
    ObligationKind.KEEP_NOTICES: "keep notices",
    ObligationKind.NOTICE_TEXT: "notice file",
    ObligationKind.STATE_CHANGES: "mark changes",
    ObligationKind.GIVE_CREDIT: "credit",
    ObligationKind.REPORT: "report",
    ObligationKind.COMPLY_LAWS: "comply with laws",
    ObligationKind.NO_TRADEMARK: "no trademarks",
    ObligationKind.PATENT_TERMINATION: "patent termination",
    ObligationKind.NO_FURTHER_RESTRICTIONS: "no further restrictions",
}
_MINOR = (ObligationKind.COMPLY_LAWS, ObligationKind.NO_TRADEMARK,  # named only when nothing else is
          ObligationKind.PATENT_TERMINATION, ObligationKind.NO_FURTHER_RESTRICTIONS)
_ORDER = [
    ObligationKind.DISPLAY_ATTRIBUTION, ObligationKind.NAME_PREFIX, *_OBLIGATION_SHORT, *_FALLBACK_SHORT,
]


# -- cells ------------------------------------------------------------------------------------


def _licences(resolved: Resolved) -> list[Licence]:
    return [resolved.licence, *resolved.upstream]


def _action_cell(resolved: Resolved, action: Action, scenario: Scenario, cat: Catalogue) -> Cell:
    decision: Decision = decide(resolved, action, scenario, cat.territories, cat)
    if resolved.model is not None and scenario.modality is None:
        scenario = scenario.model_copy(update={"modality": resolved.model.modality})
    notes: list[str] = []
    evidence: list[Citation] = list(decision.evidence)
    many = len(_licences(resolved)) > 1
    # Limits: those the scenario crosses, then those that hang on a fact it leaves out (the same
    # test as the engine's: a limit matters if it would make the verdict stricter or adds duties).
    for lic in _licences(resolved):
        verdict = lic.actions[action].verdict
        facts = effective_scenario(lic, action, scenario)
        states = [(lim, limit_state(lim, facts, cat.territories)[0]) for lim in binding_limits(lic, action)]
        for lim, state in states:
            if state == "crossed" and ((lim.verdict is not None and lim.verdict.severity > verdict.severity)
                                       or lim.obligations):
                if lim.verdict is not None and lim.verdict.severity > verdict.severity:
                    verdict = lim.verdict
                notes.append(_limit_note(lim, crossed=True) + (f" ({lic.id})" if many else ""))
        for lim, state in states:
            if state == "unknown" and ((lim.verdict is not None and lim.verdict.severity > verdict.severity
                                        and verdict.permits) or lim.obligations):
                notes.append(_limit_note(lim, crossed=False) + (f" ({lic.id})" if many else ""))
    # Obligations: the fixed wordings and the terms that flow down, in a stable order.
    obligations = sorted(decision.obligations, key=lambda o: (_ORDER.index(ObligationKind(o.id)), o.licence, o.key))
    named = [ob for ob in obligations if ObligationKind(ob.id) not in _FALLBACK_SHORT]
    if not named and not notes and decision.verdict is Verdict.CONDITIONAL:
        named = [ob for ob in obligations if ObligationKind(ob.id) not in _MINOR] or obligations
    for ob in named:
        notes.append(obligation_note(ObligationKind(ob.id), ob.wording))
        evidence += ob.evidence  # the clause that asks for it
    notes = list(dict.fromkeys(notes))
    evidence = list(dict.fromkeys(evidence))
    return Cell(verdict=decision.verdict, text="; ".join(notes), notes=tuple(notes), evidence=tuple(evidence))


def _fact_cells(resolved: Resolved, cat: Catalogue) -> dict[str, Cell]:
    from licencecmp.reasoning.openness import openness

    lics = _licences(resolved)
    many = len(lics) > 1

    def tag(lic: Licence, text: str) -> str:
        return f"{text} ({lic.id})" if many else text

    def cell(parts: Sequence[tuple[str, Sequence[Citation]]], empty: str = "none") -> Cell:
        notes = list(dict.fromkeys(p for p, _ in parts))
        ev = list(dict.fromkeys(c for _, cs in parts for c in cs))
        return Cell(text="; ".join(notes) or empty, notes=tuple(notes), evidence=tuple(ev))

    Part = tuple[str, list[Citation]]
    kinds: list[Part] = [(tag(lic, lic.kind.value), []) for lic in lics]
    thresholds: list[Part] = []
    territories: list[Part] = []
    attribution: list[Part] = []
    prefix: list[Part] = []
    openness_parts: list[Part] = []
    for lic in lics:
        for lim in lic.limits:
            ev = [Citation.of(lic, e) for e in lim.evidence]
            mod = f"{lim.modality.value}: " if lim.modality else ""
            if lim.type == "threshold":
                thresholds.append((tag(lic, f"{mod}{lim.metric.short_form(short_number(lim.max))}"), ev))
            elif lim.type == "territory":
                who = "licensees domiciled in" if lim.fact is Fact.DOMICILE else "use in"
                territories.append((tag(lic, f"{mod}no {who} {cat.territories.describe(lim.excluded)}"), ev))
        for _key, ob in sorted(lic.obligations.items()):
            ev = [Citation.of(lic, e) for e in ob.evidence]
            if ob.kind is ObligationKind.DISPLAY_ATTRIBUTION and ob.wording:
                attribution.append((tag(lic, ob.wording), ev))
            if ob.kind is ObligationKind.NAME_PREFIX and ob.wording:
                prefix.append((tag(lic, ob.wording), ev))
        report = openness(lic, cat)
        if report.open_source:
            osi = " (OSI approved)" if report.osi_approved else ""
            openness_parts.append((tag(lic, f"open source{osi}"), []))
        else:
            ev = [Citation.model_construct(licence=lic.id, text="licence", section=r.section, quote=r.quote)
                  for r in report.reasons]
            openness_parts.append((tag(lic, "not open source"), ev))
    return {
        "kind": cell(kinds),
        "threshold": cell(thresholds),
        "territory": cell(territories, "worldwide"),
        "attribution": cell(attribution),
        "name-prefix": cell(prefix),
        "openness": cell(openness_parts),
    }


def _in_words(f: ScenarioFact, value: Any) -> str | None:
    """One stated fact in words ("700M monthly active users", "used in DE, FR"), or None to leave it out."""
    if f.kind is FactKind.FLAG:
        return f.words if value else f.words_false
    if f.kind is FactKind.FIGURE:
        return f.words.format(short_number(value))
    if f.kind is FactKind.COUNTRIES:
        return f.words.format(", ".join(value) or "nowhere")
    if f.kind is FactKind.PURPOSES:
        return f.words.format("/".join(p.value for p in value)) if value else None
    return f.words.format(value.value if isinstance(value, enum.Enum) else value)


def scenario_summary(scenario: Scenario) -> str:
    """The scenario in words, e.g. '1B monthly active users, domiciled in DE' or 'no facts stated'."""
    parts = [words for f in SCENARIO_FACTS if (value := getattr(scenario, f.name)) is not None
             and (words := _in_words(f, value)) is not None]
    if not parts:
        return "no facts stated (cells name the conditions that depend on them)"
    return ", ".join(parts)


def compare(
    names: Sequence[Name],
    actions: Sequence[Action | str] | None = None,
    scenario: Scenario | None = None,
    cat: Catalogue | None = None,
    *,
    facts: Sequence[str] | None = None,
) -> Comparison:
    """Build the comparison table for licence ids, aliases or registry model ids.

    ``actions`` defaults to every action and ``facts`` to every key of :data:`FACTS`. A model's
    upstream licences apply to its cells, as in
    :func:`licencecmp.can`. SPDX expressions are not accepted (a row is one licence or model).
    """
    cat = cat or default_catalogue()
    scenario = scenario or Scenario.model_construct()
    acts = tuple(dict.fromkeys(parse_action(a) for a in actions)) if actions else tuple(Action)
    fact_keys = parse_facts(facts) if facts is not None else tuple(FACTS)
    if not names:
        raise UnknownFactError("nothing to compare: name at least one licence or model")
    rows: list[Row] = []
    bindings: list[Binding] = []
    for name in names:
        if isinstance(name, str) and is_expression(name):
            raise ExpressionError(f"compare takes licence ids, aliases or model ids, not an expression: {name!r}")
        binding = lookup(name, cat)
        bindings.append(binding)
        resolved = binding.resolved()
        rows.append(Row(
            name=name if isinstance(name, str) else binding.name,
            licence=resolved.licence.id,
            model=binding.model_id,
            upstream=tuple(lic.id for lic in resolved.upstream),
            title=resolved.licence.title,
            cells={a: _action_cell(resolved, a, scenario, cat) for a in acts},
            facts=_fact_cells(resolved, cat),
        ))
    return Comparison(scenario=scenario, scenario_text=scenario_summary(scenario), actions=acts, facts=fact_keys,
                      rows=tuple(rows), resolved=provenances(*bindings))
