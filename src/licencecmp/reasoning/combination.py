"""Combination: the terms that bind a model built from several licensed inputs.

A combination is a *set* of inputs, each a role and a licence, so it is commutative, associative
and idempotent by construction. Which of an input's rules bind the combined model depends only on
its role (defined once in :data:`ROLE_RULES`), never on the licence:

- ``base`` (fine-tuned from) and ``merge`` (weights merged in): the model is a derivative, so every
  rule of the input's licence applies to the same action of the combined model;
- ``teacher`` (outputs used for training or distillation): the teacher's ``train-on-outputs``
  decision applies to every action; where the licence makes such a model a derivative
  (``derivative = true``), all its rules apply as well;
- ``data`` (licensed training data): the licence's ``modify`` and ``train-on-outputs`` decisions
  apply to every action (data taken from a model is its output, so an output-training ban is not
  bypassed by calling it data), and its ``commercial-use`` decision to every commercial action.

A teacher or data input whose ``train-on-outputs`` rule spares its own derivatives
(``own_derivatives_exempt``) is judged by its ``modify`` rule when a base or merged input is under
the same licence. For ``commercial-use`` of the combined model every input's rule is read for a
commercial purpose, so a research-only teacher makes it need permission, as ``can`` says.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from licencecmp.data.catalogue import Catalogue, default_catalogue
from licencecmp.data.plain import SCHEMA_VERSION
from licencecmp.data.records import Licence, Provenance, ThresholdLimit
from licencecmp.engine import Citation, Decision, combine_decisions, evaluate
from licencecmp.errors import CombinationError
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, ObligationKind, StrEnum, Verdict

if TYPE_CHECKING:
    from licencecmp.reasoning.lookup import Name

__all__ = ["Combination", "Conflict", "Input", "Role", "combine", "resolve_inputs"]


class Role(StrEnum):
    BASE = "base"
    TEACHER = "teacher"
    MERGE = "merge"
    DATA = "data"


_COMMERCIAL = (Action.COMMERCIAL_USE, Action.SERVE, Action.DISTRIBUTE, Action.DISTRIBUTE_DERIVATIVE)


def _rules_for(role: Role, lic: Licence, action: Action, own_derivative: bool = False) -> list[Action]:
    """Which of the input licence's actions bind ``action`` of the combined model.
    ``own_derivative``: the combined model derives from this licence's materials (a base or merged
    input is under it), so an output-training ban that spares its own derivatives does not apply."""
    train = Action.MODIFY if own_derivative and lic.actions[Action.TRAIN_ON_OUTPUTS].own_derivatives_exempt \
        else Action.TRAIN_ON_OUTPUTS
    if role in (Role.BASE, Role.MERGE):
        return [action]
    if role is Role.TEACHER:
        out = [train]
        if lic.actions[Action.TRAIN_ON_OUTPUTS].derivative and action not in out:
            out.append(action)
        return out
    out = [Action.MODIFY, train] if train is not Action.MODIFY else [Action.MODIFY]
    if action in _COMMERCIAL:
        out.append(Action.COMMERCIAL_USE)
    return out


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Input(_Frozen):
    role: Role
    licence: str


class Conflict(_Frozen):
    kind: str
    text: str
    licences: tuple[str, ...]
    evidence: tuple[Citation, ...]


class Threshold(_Frozen):
    metric: str
    max: int
    inclusive: bool = True  # a figure equal to max is within (false: the text says "below")
    licence: str
    verdict: Verdict | None
    condition: str


class Exclusion(_Frozen):
    fact: str
    excluded: tuple[str, ...]
    licence: str
    modality: str | None
    condition: str


class Combination(_Frozen):
    schema_version: str = SCHEMA_VERSION
    inputs: tuple[Input, ...]
    scenario: Scenario
    decisions: dict[Action, Decision]
    thresholds: tuple[Threshold, ...]
    exclusions: tuple[Exclusion, ...]
    conflicts: tuple[Conflict, ...]
    resolved: tuple[Provenance, ...] = Field(default=(), description="Where the licence of each model named came "
                                             "from (none for licences named directly).")
    settled: tuple[Conflict, ...] = ()  # what would conflict but a clause of the licences settles, cited

    @property
    def verdicts(self) -> dict[str, Verdict]:
        """The verdict per action, keyed by :class:`Action` (a ``str``): ``verdicts["commercial-use"]`` type-checks."""
        return {a: d.verdict for a, d in self.decisions.items()}


def _tightest(limits: Iterable[tuple[Licence, ThresholdLimit]]) -> tuple[Threshold, ...]:
    best: dict[str, Threshold] = {}
    for lic, lim in limits:
        t = Threshold(metric=lim.metric.value, max=lim.max, inclusive=lim.inclusive, licence=lic.id,
                      verdict=lim.verdict, condition=lim.condition)
        cur = best.get(t.metric)
        if cur is None or (t.max, t.inclusive, t.licence) < (cur.max, cur.inclusive, cur.licence):
            best[t.metric] = t
    return tuple(best[k] for k in sorted(best))


def _settling_clauses(same_terms: dict[str, list[tuple[Licence, str]]]) -> list[tuple[str, Citation]] | None:
    """The compatibility clauses that let every pair of these copyleft licences be combined (one clause of
    either licence naming the other, on combination), or None when some pair has none."""
    found: list[tuple[str, Citation]] = []
    for a, b in itertools.combinations(sorted(same_terms), 2):
        clause = next(((lic, rl) for x, y in ((a, b), (b, a)) for lic, key in same_terms[x]
                       for rl in lic.obligations[key].relicensing
                       if rl.how == "combined" and not rl.unsettled and y in rl.licences),
                      None)
        if clause is None:
            return None
        lic, rl = clause
        found.append((f"[{lic.id}] {rl.text}", Citation.of(lic, rl.evidence[0])))
    return found


_Items = list[tuple[Licence, str]]


def _conflicts(inputs: list[tuple[Input, Licence]], cat: Catalogue,
               settled: list[Conflict] | None = None) -> list[Conflict]:
    """Every conflict between the inputs' terms, one kind after another; what a clause of the
    licences settles goes to ``settled``."""
    by_kind: dict[ObligationKind, dict[str, _Items]] = {}
    for _, lic in inputs:
        for key in lic.actions[Action.DISTRIBUTE_DERIVATIVE].obligations:
            ob = lic.obligations[key]
            by_kind.setdefault(ob.kind, {}).setdefault(lic.id, []).append((lic, key))
    found = (_exclusive_terms(by_kind.get(ObligationKind.SAME_TERMS, {}), settled),
             _name_prefixes(by_kind.get(ObligationKind.NAME_PREFIX, {})),
             _non_commercial_input(inputs, cat), _outputs_may_not_train(inputs))
    return [c for c in found if c is not None]


def _exclusive_terms(same_terms: dict[str, _Items], settled: list[Conflict] | None = None) -> Conflict | None:
    if len(same_terms) <= 1:
        return None
    settling = _settling_clauses(same_terms)
    if settling is not None:
        if settled is not None:
            settled.append(Conflict(
                kind="exclusive-terms",
                text="Each of these licences demands that derivatives be distributed under its own terms, but their "
                     "compatibility clauses let them be combined: " + " ".join(text for text, _ in settling),
                licences=tuple(sorted(same_terms)),
                evidence=tuple(c for _, c in settling)))
        return None
    items = [v[0] for v in same_terms.values()]
    # A clause that would settle a pair but whose own condition is open for weights: said, and cited.
    open_clauses = [(lic, rl) for v in same_terms.values() for lic, key in v
                    for rl in lic.obligations[key].relicensing
                    if rl.unsettled and any(other in rl.licences for other in same_terms)]
    text = "Each of these licences demands that derivatives be distributed under its own terms only."
    if open_clauses:
        text += " " + " ".join(f"[{lic.id}] {rl.text} Unsettled: {rl.unsettled}." for lic, rl in open_clauses)
    return Conflict(
        kind="exclusive-terms",
        text=text,
        licences=tuple(sorted(same_terms)),
        evidence=tuple(Citation.of(lic, lic.obligations[k].evidence[0]) for lic, k in items)
        + tuple(Citation.of(lic, rl.evidence[0]) for lic, rl in open_clauses))


def _name_prefixes(by_licence: dict[str, _Items]) -> Conflict | None:
    prefixes: dict[str | None, _Items] = {}
    for items in by_licence.values():
        for lic, key in items:
            prefixes.setdefault(lic.obligations[key].wording, []).append((lic, key))
    words = sorted((w for w in prefixes if w), key=len)
    # One name satisfies every prefix when the longest begins with each of the others ("Llama 3" and "Llama").
    if len(prefixes) <= 1 or (len(words) == len(prefixes) and all(words[-1].startswith(w) for w in words)):
        return None
    flat = [x for v in prefixes.values() for x in v]
    return Conflict(
        kind="name-prefixes",
        text="Different mandatory name prefixes: " + ", ".join(f"“{w}”" for w in sorted(map(str, prefixes)))
        + "; a name can begin with only one of them.",
        licences=tuple(sorted({lic.id for lic, _ in flat})),
        evidence=tuple(Citation.of(lic, lic.obligations[k].evidence[0]) for lic, k in flat))


def _non_commercial_input(inputs: list[tuple[Input, Licence]], cat: Catalogue) -> Conflict | None:
    non_commercial = [lic for _, lic in inputs
                      if lic.actions[Action.COMMERCIAL_USE].verdict in (Verdict.PROHIBITED, Verdict.NEEDS_PERMISSION)]
    if not non_commercial:
        return None
    empty = Scenario.model_construct()
    commercial_ok = [lic for _, lic in inputs
                     if evaluate(lic, Action.COMMERCIAL_USE, empty, territories=cat.territories).verdict.permits]
    return Conflict(
        kind="non-commercial-input",
        text="A non-commercial or research-only input: the combined model cannot be used commercially"
        + (f", although {', '.join(sorted(lic.id for lic in commercial_ok))} would allow it." if commercial_ok
           else "."),
        licences=tuple(sorted(lic.id for lic in non_commercial)),
        evidence=tuple(Citation.of(lic, lic.actions[Action.COMMERCIAL_USE].evidence[0])
                       for lic in sorted(non_commercial, key=lambda x: x.id)))


def _outputs_may_not_train(inputs: list[tuple[Input, Licence]]) -> Conflict | None:
    owned = {lic.id for inp, lic in inputs if inp.role in (Role.BASE, Role.MERGE)}
    banned = [lic for inp, lic in inputs if inp.role in (Role.TEACHER, Role.DATA)
              and lic.actions[Action.TRAIN_ON_OUTPUTS].verdict in (Verdict.PROHIBITED, Verdict.NEEDS_PERMISSION)
              and not (lic.id in owned and lic.actions[Action.TRAIN_ON_OUTPUTS].own_derivatives_exempt)]
    if not banned:
        return None
    return Conflict(
        kind="outputs-may-not-train",
        text="Outputs of a licence that forbids using them to train or improve other models were used "
             "as training data.",
        licences=tuple(sorted(lic.id for lic in banned)),
        evidence=tuple(Citation.of(lic, lic.actions[Action.TRAIN_ON_OUTPUTS].evidence[0])
                       for lic in sorted(banned, key=lambda x: x.id)))


def _role(name: str) -> Role:
    try:
        return Role(name)
    except ValueError:
        raise CombinationError(f"unknown role {name!r}; known roles: {', '.join(r.value for r in Role)}") from None


def combine(inputs: Iterable[Input | tuple[str, str]], scenario: Scenario | None = None,
            cat: Catalogue | None = None) -> Combination:
    """The terms that bind a model built from ``inputs`` (role, licence id or alias)."""
    cat = cat or default_catalogue()
    scenario = scenario or Scenario.model_construct()
    norm: set[Input] = set()
    for item in inputs:
        inp = item if isinstance(item, Input) else Input(role=_role(item[0]), licence=item[1])
        norm.add(Input(role=inp.role, licence=cat.get(inp.licence).id))
    if not norm:
        raise CombinationError("a combination needs at least one input")
    ordered = sorted(norm, key=lambda i: (list(Role).index(i.role), i.licence))
    pairs = [(i, cat.licence(i.licence)) for i in ordered]
    decisions: dict[Action, Decision] = {}
    owned = {lic.id for inp, lic in pairs if inp.role in (Role.BASE, Role.MERGE)}
    for action in Action:
        parts: list[Decision] = []
        # Commercial use of the combined model is a commercial purpose for every input's rule.
        facts = scenario.model_copy(update={"commercial": True}) if action is Action.COMMERCIAL_USE else scenario
        for inp, lic in pairs:
            for source_action in _rules_for(inp.role, lic, action, lic.id in owned):
                d = evaluate(lic, source_action, facts, territories=cat.territories)
                if source_action is not action:
                    note = f"As {inp.role.value} input, its {source_action.value} terms apply."
                    d = d.model_copy(update={"reasons": (note, *d.reasons), "action": action})
                parts.append(d)
        label = " + ".join(sorted({lic.id for _, lic in pairs}))
        merged = combine_decisions(parts, licence=label)
        decisions[action] = merged.model_copy(update={"upstream": tuple(sorted({d.licence for d in parts}))})
    licences = {lic.id: lic for _, lic in pairs}
    thresholds = _tightest((lic, lim) for lic in licences.values() for lim in lic.limits
                           if lim.type == "threshold")
    exclusions = tuple(sorted({
        Exclusion(fact=lim.fact.value, excluded=tuple(sorted(lim.excluded)), licence=lic.id,
                  modality=lim.modality.value if lim.modality else None, condition=lim.condition)
        for lic in licences.values() for lim in lic.limits if lim.type == "territory"
    }, key=lambda e: (e.licence, e.fact, e.excluded)))
    settled: list[Conflict] = []
    conflicts = _conflicts(pairs, cat, settled)
    return Combination(inputs=tuple(ordered), scenario=scenario, decisions=decisions, thresholds=thresholds,
                       exclusions=exclusions, conflicts=tuple(conflicts), settled=tuple(settled))


def resolve_inputs(named: Iterable[tuple[str, Name]], scenario: Scenario | None = None,
                   cat: Catalogue | None = None) -> tuple[list[tuple[str, str]], Scenario]:
    """(role, name) pairs, names as any command takes them, -> (role, licence id) pairs with every
    licence that binds each name (a model's upstream licences in the same role; every licence of an
    ``AND``), and the scenario with the combined model's modality when none is stated: a base or
    merged model's modality (multimodal if any is), or its licence's when all its models share one."""
    from licencecmp.errors import ExpressionError
    from licencecmp.reasoning.lookup import lookup
    from licencecmp.vocab import Modality

    cat = cat or default_catalogue()
    scenario = scenario or Scenario.model_construct()
    out: list[tuple[str, str]] = []
    modalities: set[Modality] = set()
    for role, name in named:
        b = lookup(name, cat)
        if len(b.choices) != 1:
            raise ExpressionError(f"{name!r} offers a choice of licences (OR): name the one you use")
        out += [(role, lic.id) for lic in b.choices[0]]
        if role in (Role.BASE.value, Role.MERGE.value) and b.modality is not None:
            modalities.add(b.modality)
    if scenario.modality is None and modalities:
        modality = Modality.MULTIMODAL if Modality.MULTIMODAL in modalities else modalities.pop()
        scenario = scenario.model_copy(update={"modality": modality})
    return out, scenario

