"""The evaluation engine: licence + action + scenario -> :class:`Decision`.

The engine is generic: it reads rules, limits and obligations from the licence data and knows
nothing about any particular licence. A fact that the scenario leaves out is "not stated": the
engine never assumes a value for it. Where a limit depends on a missing fact, a permitting
verdict becomes ``conditional`` and the decision names the condition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING, NamedTuple

from licencecmp.data import records
from licencecmp.data.catalogue import Resolved, Territories
from licencecmp.data.records import Citation, Decision, DecisionObligation, record_of
from licencecmp.errors import CombinationError
from licencecmp.scenario import Scenario
from licencecmp.vocab import (
    Action,
    Fact,
    Metric,
    Modality,
    Purpose,
    Scope,
    Trigger,
    UserRole,
    Verdict,
    parse_action,
)

if TYPE_CHECKING:
    from licencecmp.data.catalogue import Catalogue
    from licencecmp.data.records import (
        CarveOut,
        Evidence,
        Licence,
        Provenance,
        PurposeLimit,
        Rule,
        TerritoryLimit,
        ThresholdLimit,
    )

__all__ = [
    "CLEAR",
    "CROSSED",
    "RUNS_THE_MODEL",
    "UNKNOWN",
    "Citation",
    "Cited",
    "Decision",
    "DecisionObligation",
    "LimitState",
    "RulePlan",
    "assess_limit",
    "binding_limits",
    "cited",
    "combine_decisions",
    "decide",
    "decide_stated",
    "distinct",
    "effective_scenario",
    "evaluate",
    "limit_state",
    "obligation_applies",
    "threshold_phrase",
]


class Cited:
    """The parts of answers that one licence always gives alike, built once: the citations of each
    evidence tuple of the licence, and each obligation without a condition of the scenario's.
    Kept on the catalogue (``Catalogue.memo``), one per licence, by :func:`cited`."""

    def __init__(self, licence: Licence) -> None:
        self.licence = licence
        self._citations: dict[int, tuple[Citation, ...]] = {}  # by id() of a tuple the licence holds
        self._obligations: dict[tuple[str, str | None], DecisionObligation] = {}
        self._interned: dict[Citation, Citation] = {}
        self._rules: dict[Action, RulePlan] = {}
        # The answers of settled plans (RulePlan.settled), by action, release and modality (each
        # where the plan reads it, else None).
        self.answers: dict[tuple[Action, bool | None, Modality | None], _Answer] = {}
        # The answers under limits, by what they read of the scenario (_limited_answer).
        self.limited: dict[tuple[object, ...], _Answer] = {}

    def __call__(self, evidence: tuple[Evidence, ...]) -> tuple[Citation, ...]:
        """The citations of a tuple of the licence's evidence. Equal citations are one object
        (so a decision's citations are told apart by identity; see :func:`distinct`)."""
        got = self._citations.get(id(evidence))
        if got is None:
            interned = self._interned
            got = self._citations[id(evidence)] = tuple(
                interned.setdefault(c, c) for c in (Citation.of(self.licence, e) for e in evidence))
        return got

    def obligation(self, key: str, when: str | None, build: Callable[[], DecisionObligation]) -> DecisionObligation:
        got = self._obligations.get((key, when))
        if got is None:
            got = self._obligations[(key, when)] = build()
        return got

    def decision_obligation(self, key: str, condition: str | None) -> DecisionObligation:
        """The licence's obligation ``key`` as a decision gives it, on ``condition`` (its own)."""
        got = self._obligations.get((key, condition))
        if got is None:
            got = self._obligations[(key, condition)] = _decision_obligation(self.licence, key, condition, self)
        return got

    def rule(self, action: Action) -> RulePlan:
        """The licence's rule for ``action`` with its limits and the citations of its evidence."""
        got = self._rules.get(action)
        if got is None:
            got = self._rules[action] = self._plan(action)
        return got

    def _plan(self, action: Action) -> RulePlan:
        licence = self.licence
        rule = licence.actions[action]
        # An obligation that binds whatever the scenario says (always, whatever the model) is the
        # same object in every answer: built here, once.
        fixed = tuple((key, self.decision_obligation(key, None) if _unconditional(licence, key) else None)
                      for key in rule.obligations)
        constant = tuple(ob for _, ob in fixed if ob is not None)
        limits = binding_limits(licence, action)
        makes = action is _MODIFY or (action is _TRAIN and rule.derivative)
        # Without limits (its own, and those of distributing the derivative it makes) an answer reads
        # nothing of the scenario but whether the result is released and the model's modality.
        settled = not limits and not (makes and self.rule(_DERIVATIVE).limits)
        # What of the scenario an answer reads besides the states of the limits (_answer): whether the
        # result is released where an obligation (of the rule or of a limit) has a trigger or the
        # action makes a derivative; the model's modality where such an obligation is for one
        # modality, the licence's models are of one, or the action makes a derivative.
        obligations = [licence.obligations[key] for key in (*rule.obligations,
                                                             *(k for lim in limits for k in lim.obligations))]
        reads_release = makes or any(ob.trigger is not None and ob.trigger is not _ALWAYS for ob in obligations)
        reads_modality = (makes or licence.model_modality is not None
                          or any(ob.modality is not None for ob in obligations))
        return RulePlan(rule, limits, distinct(self(rule.evidence)), fixed,
                        constant if len(constant) == len(fixed) else None, makes, settled, reads_release,
                        reads_modality)


class RulePlan:
    """What one licence says for one action, whatever the scenario (kept by :class:`Cited`). A
    class with slots, not a named tuple: nothing reads it as a tuple, and a named tuple's class
    costs every process that imports the engine more to make."""

    __slots__ = ("evidence", "limits", "makes_derivative", "obligations", "reads_modality", "reads_release", "rule",
                 "settled", "unconditional")

    def __init__(self, rule: Rule, limits: tuple[ThresholdLimit | TerritoryLimit | PurposeLimit, ...],
                 evidence: tuple[Citation, ...], obligations: tuple[tuple[str, DecisionObligation | None], ...] = (),
                 unconditional: tuple[DecisionObligation, ...] | None = (), makes_derivative: bool = False,
                 settled: bool = False, reads_release: bool = True, reads_modality: bool = True) -> None:
        self.rule = rule
        self.limits = limits
        self.evidence = evidence  # the citations of the rule's evidence, each once
        # The rule's obligations in order, each with its decision where no fact of the scenario can
        # change it (None where one can); and all of them, when every one is such.
        self.obligations = obligations
        self.unconditional = unconditional
        self.makes_derivative = makes_derivative  # what the action makes is a derivative (modify; training, where
        # the data says)
        self.settled = settled  # the answer depends on the scenario's release and modality only (Cited.answers)
        self.reads_release = reads_release  # an answer reads whether the result is released (besides the limits)
        self.reads_modality = reads_modality  # an answer reads the model's modality (besides the limits' states)


def _unconditional(licence: Licence, key: str) -> bool:
    """Whether an obligation binds under every scenario, with no condition (see :func:`obligation_applies`)."""
    ob = licence.obligations[key]
    return (ob.trigger is None or ob.trigger is _ALWAYS) and ob.modality is None


def binding_limits(licence: Licence, action: Action) -> tuple[ThresholdLimit | TerritoryLimit | PurposeLimit, ...]:
    """The licence's limits that bind an action: those the data lists for it and, for an action that
    runs the model (:data:`RUNS_THE_MODEL`), every limit on using the model: a limit on use binds
    whatever uses the model, whichever actions its data happens to list."""
    runs = action in RUNS_THE_MODEL
    return tuple(lim for lim in licence.limits
                 if action in lim.actions or (runs and Action.USE in lim.actions))


def distinct(citations: Iterable[Citation]) -> tuple[Citation, ...]:
    """Each citation once, in order, for citations from one :class:`Cited` (equal ones are one object)."""
    return tuple({id(c): c for c in citations}.values())


def cited(licence: Licence, cat: Catalogue | None) -> Cited:
    """The cached :class:`Cited` of a catalogue's licence (a fresh one for any other licence)."""
    if cat is None:
        return Cited(licence)
    memo = cat.memo(("cited", licence.id), lambda: Cited(licence))
    return memo if memo.licence is licence else Cited(licence)


CROSSED, CLEAR, UNKNOWN = "crossed", "clear", "unknown"
"""The states of a limit under a scenario: crossed, clear, or unknown (a fact it depends on is not stated)."""


_RELEASING = (Action.DISTRIBUTE, Action.DISTRIBUTE_DERIVATIVE, Action.SERVE)
# Running the model: using it (commercially or not), serving it, training it (fine-tuning runs it) and
# generating outputs to train another model on. A limit on use binds each of them.
RUNS_THE_MODEL = frozenset((Action.USE, Action.COMMERCIAL_USE, Action.MODIFY, Action.SERVE, Action.TRAIN_ON_OUTPUTS))
_MAKES_MODEL = (Action.MODIFY, Action.DISTRIBUTE_DERIVATIVE, Action.TRAIN_ON_OUTPUTS)
_DISTRIBUTING = (Action.DISTRIBUTE, Action.DISTRIBUTE_DERIVATIVE)
_NON_COMMERCIAL = frozenset(Purpose) - {Purpose.COMMERCIAL}
_PURPOSES = tuple(Purpose)
_PURPOSE_WORDS = {p: p.value for p in Purpose}  # read on every answer (an enum's value is a slow property)
# Members read on every answer, bound once (reading an enum member from its class is slow).
_COMMERCIAL_USE, _PRODUCT, _END_USER, _ALLOWED, _CONDITIONAL = (
    Action.COMMERCIAL_USE, Scope.PRODUCT, UserRole.END_USER, Verdict.ALLOWED, Verdict.CONDITIONAL)
_ALWAYS, _MADE_AVAILABLE, _DISTRIBUTION, _TRAINED_MODEL_RELEASE = (
    Trigger.ALWAYS, Trigger.MADE_AVAILABLE, Trigger.DISTRIBUTION, Trigger.TRAINED_MODEL_RELEASE)
_DOMICILE = Fact.DOMICILE
_MODIFY, _TRAIN, _DERIVATIVE = Action.MODIFY, Action.TRAIN_ON_OUTPUTS, Action.DISTRIBUTE_DERIVATIVE
_NOTHING_STATED = Scenario.model_construct()


@lru_cache(maxsize=1024)
def threshold_phrase(metric: Metric, scope: Scope, limit: float, inclusive: bool = True) -> str:
    """What crossing a threshold means, in words (the same few values for every answer: kept)."""
    whose = "your organisation's (with affiliates)" if scope is Scope.ORGANISATION else "the product's"
    return f"{whose} {metric.label} {'above' if inclusive else 'at or above'} {metric.amount(limit)}"


def effective_scenario(licence: Licence, action: Action, scenario: Scenario) -> Scenario:
    """The scenario with what the action itself says: ``commercial-use`` is commercial;
    ``distribute``, ``distribute-derivative`` and ``serve`` release what you make; and a licence
    whose models are all of one modality supplies it when no model or modality is stated."""
    return _effective(licence, action, scenario, None)


def _effective(licence: Licence, action: Action, scenario: Scenario, modality: Modality | None) -> Scenario:
    """:func:`effective_scenario` of the scenario with ``modality`` (a model's) where none is
    stated, in one copy (none when nothing changes)."""
    updates: dict[str, object] = {}
    _implied(licence, action, scenario.commercial, scenario.release, scenario.modality, modality, updates)
    return scenario.model_copy(update=updates) if updates else scenario


def _implied(licence: Licence, action: Action, commercial: object, release: object, stated_modality: object,
             modality: Modality | None, updates: dict[str, object]) -> None:
    """The facts the action itself adds to those stated (:func:`effective_scenario`), set in
    ``updates``: the one rule for a scenario (:func:`_effective`) and for stated values
    (:func:`decide_stated`, which passes the values themselves)."""
    if action is _COMMERCIAL_USE and commercial is not True:
        updates["commercial"] = True
    if action in _RELEASING and release is not True:
        updates["release"] = True
    if stated_modality is None:
        if modality is None:
            modality = licence.model_modality
        if modality is not None:
            updates["modality"] = modality


class LimitState(NamedTuple):
    """How a scenario stands to one limit."""

    state: str
    phrase: str
    modality_only: bool = False  # unknown only because the model's modality is not stated
    lifted_by: tuple[CarveOut, ...] = ()  # the carve-outs that lift it under the stated role
    unstated_carve_outs: tuple[CarveOut, ...] = ()  # carve-outs that would lift it, role not stated
    timed: bool = False  # the figure's moment of counting matters and no figure can settle it


@lru_cache(maxsize=256)
def _purpose_phrase(allowed: tuple[Purpose, ...] | None, non_production: bool) -> tuple[frozenset[Purpose], str]:
    """The purposes a limit grants and what crossing it means (the same few values: kept)."""
    granted = frozenset(allowed) if allowed is not None else _NON_COMMERCIAL
    words = [p.value for p in _PURPOSES if p in granted]
    phrase = ("use for a purpose other than " + (", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1
                                                 else "".join(words) or "none"))
    if non_production:
        phrase += ", or in production"
    return granted, phrase


def _purpose_state(limit: PurposeLimit, scenario: Scenario, territories: Territories,
                   phrased: bool = True) -> tuple[str, str, bool]:
    """(state, phrase, timed) of a purpose limit."""
    granted, phrase = _purpose_phrase(limit.allowed, limit.non_production)
    purposes = scenario.purposes()
    stated: list[str] = []
    if purposes:
        state = CROSSED if purposes - granted else CLEAR
        stated.append("purpose " + ", ".join(_PURPOSE_WORDS[p] for p in _PURPOSES if p in purposes))
    elif scenario.is_commercial() is False:
        # "non-commercial" settles only a limit that grants every non-commercial purpose.
        state = CLEAR if granted >= _NON_COMMERCIAL else UNKNOWN
        stated.append("non-commercial")
    else:
        state = UNKNOWN
    if limit.non_production and state != CROSSED:
        if scenario.production is True:
            state = CROSSED
        elif scenario.production is None:
            state = UNKNOWN
    if state == CLEAR and not phrased:  # nothing reads the phrase (_assess)
        return CLEAR, "", False
    if scenario.production is not None and limit.non_production:
        stated.append("production" if scenario.production else "non-production")
    if stated:
        phrase += f" (stated: {', '.join(stated)})"
    return state, phrase, False


def _threshold_state(limit: ThresholdLimit, scenario: Scenario, territories: Territories,
                     phrased: bool = True) -> tuple[str, str, bool]:
    """(state, phrase, timed) of a threshold: settled by the stated figures that bound its metric
    (the phrase of a clear one only if ``phrased``)."""
    metric = limit.metric
    scope = limit.counts or _PRODUCT
    inclusive = limit.inclusive
    at_least, at_most = scenario.bounds(metric, scope)
    shown: tuple[float, str] | None
    # Exact on the figure as stated: "at most" (inclusive) or "below" (strict), fractions included.
    if at_least is not None and (at_least[0] > limit.max or (not inclusive and at_least[0] == limit.max)):
        state, shown = CROSSED, at_least
    elif at_most is not None and (at_most[0] < limit.max or (inclusive and at_most[0] == limit.max)):
        state, shown = CLEAR, at_most
        if not phrased and not limit.timing:
            return CLEAR, "", False
    else:
        state, shown = UNKNOWN, at_least or at_most
    phrase = threshold_phrase(metric, scope, limit.max, inclusive)
    if shown is not None:
        phrase += f" (stated: {shown[1]} {metric.amount(shown[0])})"
    if limit.timing and state == CLEAR:
        # A bare figure does not say when it was counted: the condition stays.
        phrase += f", counted {limit.timing}"
        return UNKNOWN, phrase, True
    return state, phrase, False


def _territory_state(limit: TerritoryLimit, scenario: Scenario, territories: Territories,
                     phrased: bool = True) -> tuple[str, str, bool]:
    """(state, phrase, timed) of a territorial exclusion, by where the licensee is or where the model
    is used (the phrase of a clear one only if ``phrased``)."""
    excluded = territories.expand_all(limit.excluded)
    if limit.fact is _DOMICILE:
        if scenario.domicile is None:
            return UNKNOWN, f"a licensee domiciled in {territories.describe(limit.excluded)}", False
        home = territories.expand(scenario.domicile)
        # A group as domicile says "somewhere in it": crossed only if every member is excluded.
        state = CROSSED if home <= excluded else UNKNOWN if home & excluded else CLEAR
        if state == CLEAR and not phrased:
            return CLEAR, "", False
        return (state, f"a licensee domiciled in {territories.describe(limit.excluded)} (stated: {scenario.domicile})",
                False)
    if scenario.used_in is None:
        return UNKNOWN, f"use of the model or its outputs in {territories.describe(limit.excluded)}", False
    state = CROSSED if territories.expand_all(scenario.used_in) & excluded else CLEAR
    if state == CLEAR and not phrased:
        return CLEAR, "", False
    return state, (f"use of the model or its outputs in {territories.describe(limit.excluded)} "
                   f"(stated: {', '.join(scenario.used_in) or 'nowhere'})"), False


# How each kind of limit is assessed, by its class (the plain records the catalogue holds), and whether
# its `commercial_only` narrows it (a purpose limit is about commercial use already).
_THRESHOLD = records.ThresholdLimit
_ASSESS: dict[type, tuple[Callable[..., tuple[str, str, bool]], bool]] = {
    records.PurposeLimit: (_purpose_state, False),
    records.ThresholdLimit: (_threshold_state, True),
    records.TerritoryLimit: (_territory_state, True),
}


def assess_limit(limit: ThresholdLimit | TerritoryLimit | PurposeLimit, scenario: Scenario,
                 territories: Territories) -> LimitState:
    """Whether the scenario crosses the limit, with a phrase saying what crossing means and the
    facts (modality, role, moment of counting) that leave it open."""
    return _assess(limit, scenario, territories, True)


_CLEAR = LimitState(CLEAR, "")
# A LimitState from the tuple of all its fields, without the named tuple's constructor (a Python call).
_limit_state = partial(tuple.__new__, LimitState)


def _assess(limit: ThresholdLimit | TerritoryLimit | PurposeLimit, scenario: Scenario, territories: Territories,
            phrased: bool) -> LimitState:
    """:func:`assess_limit`; not ``phrased``, a limit clear on the facts alone is :data:`_CLEAR`, without
    its phrase (a limit clear before narrowing stays clear, with nothing to say: nothing reads it)."""
    kind = _ASSESS.get(type(limit))
    if kind is None:  # a pydantic model (a licence validated, not loaded): assessed as its record
        limit = record_of(limit)
        kind = _ASSESS[type(limit)]
    state_of, narrowed = kind
    state, phrase, timed = state_of(limit, scenario, territories, phrased)
    if not phrased and state == CLEAR:
        return _CLEAR
    if narrowed and limit.commercial_only:
        phrase = f"{phrase}, in commercial use"
        commercial = scenario.is_commercial()
        if commercial is None:
            state = UNKNOWN if state != CLEAR else CLEAR
        elif not commercial:
            state = CLEAR
    modality_only = False
    if limit.modality is not None:
        phrase = f"{phrase}, for {limit.modality.value} models"
        if scenario.modality is None:
            modality_only = state == CROSSED
            state = UNKNOWN if state != CLEAR else CLEAR
        elif scenario.modality is not limit.modality:
            state = CLEAR
    if state == CLEAR or not limit.carve_outs:
        return _limit_state((state, phrase, modality_only, (), (), timed))
    carve = tuple(c for c in limit.carve_outs if c.role is _END_USER)
    if carve and scenario.end_user:
        return _limit_state((CLEAR, phrase + ", lifted for end users (stated)", modality_only, carve, (), False))
    return _limit_state((state, phrase, modality_only, (), carve if carve and scenario.end_user is None else (),
                         timed))


def limit_state(limit: ThresholdLimit | TerritoryLimit | PurposeLimit, scenario: Scenario,
                territories: Territories) -> tuple[str, str]:
    """Whether the scenario crosses the limit, and a phrase saying what crossing means."""
    s = assess_limit(limit, scenario, territories)
    return s.state, s.phrase


def obligation_applies(licence: Licence, key: str, action: Action, scenario: Scenario) -> tuple[bool, str | None]:
    """Whether an obligation binds this action under the scenario, and the condition it binds on
    (its trigger, such as "if you distribute it", or its modality) while a fact is not stated."""
    ob = licence.obligations[key]
    condition: str | None = None
    trigger = ob.trigger or _ALWAYS
    if trigger is not _ALWAYS:
        release = scenario.release
        if release is False:
            return False, None
        settled = release is True and (
            trigger is _MADE_AVAILABLE
            or (trigger is _DISTRIBUTION and action in _DISTRIBUTING)
            or (trigger is _TRAINED_MODEL_RELEASE and action in _MAKES_MODEL))
        if not settled:
            condition = trigger.label
    modality = ob.modality
    if modality is not None:
        if scenario.modality is None:
            which = f"for {modality.value} models"
            condition = which if condition is None else f"{condition} and {which}"
        elif scenario.modality is not modality:
            return False, None
    return True, condition


def _decision_obligation(licence: Licence, key: str, when: str | None, cite: Cited) -> DecisionObligation:
    ob = licence.obligations[key]
    return DecisionObligation.model_construct(
        id=str(ob.kind),  # a word of the vocabulary: its value (str() of a StrEnum; .value is a slow property)
        key=key,
        text=ob.text,
        wording=ob.wording,
        licence=licence.id,
        trigger=str(ob.trigger or _ALWAYS),
        when=when,
        evidence=cite(ob.evidence),
    )


def _obligation(licence: Licence, key: str, action: Action, scenario: Scenario, cite: Cited,
                when: str | None = None) -> DecisionObligation | None:
    applies, condition = obligation_applies(licence, key, action, scenario)
    if not applies:
        return None
    # Without a limit's phrase the condition comes from the obligation's own data: a few values each.
    if when is None:
        return cite.decision_obligation(key, condition)
    return _decision_obligation(licence, key, " and ".join(w for w in (when, condition) if w) or None, cite)


def evaluate(
    licence: Licence,
    action: Action | str,
    scenario: Scenario | None = None,
    *,
    territories: Territories | None = None,
    cat: Catalogue | None = None,
) -> Decision:
    """Apply one licence's rule for one action to a scenario. With ``cat`` (the licence's catalogue)
    the parts of the answer that never change are built once and kept on the catalogue."""
    if type(action) is not Action:
        action = parse_action(action)
    if territories is None:
        from licencecmp.data.catalogue import default_catalogue

        territories = default_catalogue().territories
    return _evaluate(licence, action, _effective(licence, action, scenario or _NOTHING_STATED, None), territories,
                     cited(licence, cat))


def decide_stated(licence: Licence, action: Action, values: dict[str, object], territories: Territories, cite: Cited,
                  modality: Modality | None = None, model: str | None = None,
                  resolved: tuple[Provenance, ...] = ()) -> Decision:
    """:func:`evaluate` (or, with ``model``, :func:`decide` of a model under this one licence, of
    ``modality``) of the facts :func:`licencecmp.scenario.stated_values` checked: the scenario is
    built once, with what the action says (:func:`effective_scenario`). ``values`` is changed."""
    get = values.get
    _implied(licence, action, get("commercial"), get("release"), get("modality"), modality, values)
    return _evaluate(licence, action, Scenario.model_construct_from(values) if values else _NOTHING_STATED,
                     territories, cite, model, resolved)


def _evaluate(licence: Licence, action: Action, scenario: Scenario, territories: Territories, cite: Cited,
              model: str | None = None, resolved: tuple[Provenance, ...] = ()) -> Decision:
    """:func:`evaluate` of a scenario that is already effective (:func:`_effective`); the decision
    names ``model`` and carries ``resolved`` (a model's, given by :func:`decide`)."""
    answer = _answer_of(licence, action, scenario, territories, cite)
    return Decision.model_construct(
        licence=licence.id,
        model=model,
        action=action,
        verdict=answer.verdict,
        obligations=answer.obligations,
        evidence=answer.evidence,
        reasons=answer.reasons,
        conditions=answer.conditions,
        scenario=scenario,
        resolved=resolved,
    )


def _answer_of(licence: Licence, action: Action, scenario: Scenario, territories: Territories,
               cite: Cited) -> _Answer:
    """The answer of an effective scenario, from what is kept where it can be."""
    plan = cite.rule(action)
    if plan.settled:  # the same answer for every scenario with this release and modality (where read): kept
        key = (action, scenario.release if plan.reads_release else None,
               scenario.modality if plan.reads_modality else None)
        answer = cite.answers.get(key)
        if answer is None:
            answer = cite.answers[key] = _answer(licence, action, scenario, territories, cite, plan)
        return answer
    return _limited_answer(licence, action, scenario, territories, cite, plan)


def _states_key(limits: Sequence[ThresholdLimit | TerritoryLimit | PurposeLimit],
                states: Iterable[LimitState]) -> tuple[object, ...] | None:
    """What of the states of a rule's limits an answer reads (:func:`_apply_limits`): each state
    but a clear one that nothing lifted (which adds nothing), by its place among the limits. The
    carve-outs of a state are those of its limit with the end-user role, or none: told by a flag.
    None where a threshold's state quotes a stated figure (an answer not worth keeping: figures
    are many, and a figure clear of the threshold is not quoted)."""
    key: list[object] = []
    for i, st in enumerate(states):
        if st is _CLEAR or (st.state == CLEAR and not st.lifted_by):
            continue
        if "(stated: " in st.phrase and type(limits[i]) is _THRESHOLD:
            return None
        key.append((i, st.state, st.phrase, st.modality_only, bool(st.lifted_by), bool(st.unstated_carve_outs),
                    st.timed))
    return tuple(key)


MAX_KEPT_ANSWERS = 256
"""At most this many answers under limits are kept per licence (:func:`_limited_answer`)."""


def _limited_answer(licence: Licence, action: Action, scenario: Scenario, territories: Territories, cite: Cited,
                    plan: RulePlan) -> _Answer:
    """:func:`_answer` of a rule with limits (its own, or those of distributing the derivative it
    makes). Apart from the rule's data, the answer reads of the scenario only whether the result is
    released, the model's modality and the states of the limits (here and, for distributing the
    derivative, the same limits' states on the same facts, released): answers are kept by these,
    so that a figure clear of every threshold, whatever its value, is answered as before."""
    limits = plan.limits
    states = tuple([_assess(lim, scenario, territories, False) for lim in limits])
    release, modality = scenario.release, scenario.modality
    own = _states_key(limits, states)
    derived: tuple[object, ...] | None = ()
    if plan.makes_derivative and release is not False:
        if modality is None and licence.model_modality is not None:  # not effective: the derivative's differs
            return _answer(licence, action, scenario, territories, cite, plan, states)
        theirs = cite.rule(_DERIVATIVE).limits
        derived = _states_key(theirs, [_assess(lim, scenario, territories, False) for lim in theirs])
    if own is None or derived is None:
        return _answer(licence, action, scenario, territories, cite, plan, states)
    key = (action, release if plan.reads_release else None, modality if plan.reads_modality else None, own, derived)
    kept = cite.limited
    answer = kept.get(key)
    if answer is None:
        answer = _answer(licence, action, scenario, territories, cite, plan, states)
        if len(kept) < MAX_KEPT_ANSWERS:
            kept[key] = answer
    return answer


class _Answer(NamedTuple):
    """A decision without its question: what a licence answers to an action under a scenario."""

    verdict: Verdict
    obligations: tuple[DecisionObligation, ...]
    evidence: tuple[Citation, ...]
    reasons: tuple[str, ...]
    conditions: tuple[str, ...]


def _answer(licence: Licence, action: Action, scenario: Scenario, territories: Territories, cite: Cited,
            plan: RulePlan, states: tuple[LimitState, ...] | None = None) -> _Answer:
    """The answer of a rule (``plan``) to an effective scenario; ``states`` are those of the rule's
    limits under it, where already assessed."""
    rule = plan.rule
    verdict = rule.verdict
    obligations: list[DecisionObligation]
    if plan.unconditional is not None:
        obligations = list(plan.unconditional)
    else:
        obligations = []
        for key, fixed in plan.obligations:
            ob = fixed if fixed is not None else _obligation(licence, key, action, scenario, cite)
            if ob is not None:
                obligations.append(ob)
    evidence: list[Citation] | None = None  # the rule's own citations (plan.evidence) while nothing is added
    reasons = [rule.summary]
    conditions: list[str] = []
    if licence.model_modality is not None and scenario.modality is licence.model_modality:
        evidence = [*plan.evidence, *cite(licence.model_modality_evidence)]
    if plan.limits:
        if evidence is None:
            evidence = list(plan.evidence)
        verdict = _apply_limits(licence, action, scenario, territories, cite, plan.limits, verdict,
                                obligations, evidence, reasons, conditions, states)
    release = scenario.release
    if release is not False and plan.makes_derivative and (release is True or _release_may_refuse(verdict, cite)):
        # What the action makes is a derivative: releasing it is distributing a derivative. (Not
        # stated whether it is released: that matters only where releasing may not be permitted.)
        released = _answer_of(licence, _DERIVATIVE, _effective(licence, _DERIVATIVE, scenario, None), territories,
                              cite)
        if evidence is None:
            evidence = list(plan.evidence)
        verdict = _released(release is True, released, verdict, obligations, evidence, reasons, conditions)
    if verdict is _ALLOWED and (obligations or conditions):
        verdict = _CONDITIONAL
    return _Answer(verdict, tuple(_merge_obligations(obligations)),
                  plan.evidence if evidence is None or len(evidence) == len(plan.evidence) else distinct(evidence),
                  tuple(reasons), tuple(dict.fromkeys(conditions)) if conditions else ())


def _release_may_refuse(verdict: Verdict, cite: Cited) -> bool:
    """Whether, releasing not stated, distributing the derivative could add to a verdict: only to
    one that permits, and only where distributing a derivative may not be permitted (its rule does
    not permit, or has limits a scenario may cross; without limits, its verdict is its rule's)."""
    if not verdict.permits:
        return False
    derivative = cite.rule(_DERIVATIVE)
    return bool(derivative.limits) or not derivative.rule.verdict.permits


def _released(stated: bool, released: _Answer, verdict: Verdict, obligations: list[DecisionObligation],
              evidence: list[Citation], reasons: list[str], conditions: list[str]) -> Verdict:
    """Add what distributing a derivative brings to an action that makes one: all of it when the
    scenario says the result is released; when it does not say, the condition not to release it
    wherever releasing would not be permitted."""
    if stated:
        reasons.append(f"The result is released, which is distributing a derivative "
                       f"({released.verdict.value}): its terms apply too.")
        reasons.extend(r for r in released.reasons if r not in reasons)
        obligations.extend(released.obligations)
        evidence.extend(e for e in released.evidence if e not in evidence)  # by value: another Cited's
        conditions.extend(released.conditions)
        return Verdict.strictest((verdict, released.verdict))
    if verdict.permits and not released.verdict.permits:
        conditions.append(f"only if you do not release the result (releasing it is distributing a derivative: "
                          f"{released.verdict.value})")
        reasons.append(f"Not stated whether the result is released; releasing it is distributing a derivative, "
                       f"and there the verdict is {released.verdict.value}.")
        evidence.extend(e for e in released.evidence if e not in evidence)  # by value: another Cited's
    return verdict


def _apply_limits(licence: Licence, action: Action, scenario: Scenario, territories: Territories, cite: Cited,
                  limits: tuple[ThresholdLimit | TerritoryLimit | PurposeLimit, ...], verdict: Verdict,
                  obligations: list[DecisionObligation], evidence: list[Citation], reasons: list[str],
                  conditions: list[str], assessed: tuple[LimitState, ...] | None = None) -> Verdict:
    """The rule's limits under the scenario (``assessed``: their states, where already assessed):
    adds to the lists and returns the verdict."""
    states = (list(zip(limits, assessed, strict=True)) if assessed is not None
              else [(lim, _assess(lim, scenario, territories, False)) for lim in limits])
    for _lim, st in states:
        for co in st.lifted_by:
            reasons.append(f"Does not apply to you as an end user: {co.text}")
            evidence += cite(co.evidence)
    # First the limits the scenario crosses, then those that depend on facts it leaves out.
    for lim, st in states:
        if st.state != CROSSED:
            continue
        evidence += cite(lim.evidence)
        if lim.verdict is not None and lim.verdict.severity > verdict.severity:
            verdict = lim.verdict
            reasons.append(f"{lim.verdict.value}: {st.phrase}; the licence grants this right only if {lim.condition}.")
            _carve_outs(st, cite, evidence, conditions)
        for key in lim.obligations:
            ob = _obligation(licence, key, action, scenario, cite)
            if ob is not None:
                obligations.append(ob)
                reasons.append(f"Applies because of {st.phrase}: {licence.obligations[key].text}")
    for lim, st in states:
        if st.state != UNKNOWN:
            continue
        relevant = False
        if lim.verdict is not None and lim.verdict.severity > verdict.severity and verdict.permits:
            relevant = True
            if st.modality_only and lim.modality is not None:
                conditions.append(f"only if the model is not {lim.modality.value} (for such models the licence "
                                  f"grants this right only if {lim.condition})")
                reasons.append(f"Not stated whether the model is {lim.modality.value}: {st.phrase} is crossed "
                               f"for such models, and there the verdict is {lim.verdict.value}.")
            elif st.timed:
                conditions.append(f"only if {lim.condition}")
                reasons.append(f"The licence counts {st.phrase.split(', counted ', 1)[0]} at a fixed moment: "
                               f"{getattr(lim, 'timing', '')}; a stated figure does not say when it was counted, "
                               f"so the condition stays. Beyond it the verdict is {lim.verdict.value}.")
            else:
                conditions.append(f"only if {lim.condition}")
                reasons.append(f"Not stated whether the limit on {st.phrase} is crossed; beyond it the verdict "
                               f"is {lim.verdict.value}.")
            _carve_outs(st, cite, evidence, conditions)
        for key in lim.obligations:
            ob = _obligation(licence, key, action, scenario, cite, when=f"if {st.phrase}")
            if ob is not None:
                relevant = True
                obligations.append(ob)
        if relevant:
            evidence += cite(lim.evidence)
    return verdict


def _carve_outs(st: LimitState, cite: Cited, evidence: list[Citation], conditions: list[str]) -> None:
    """The carve-outs that would lift a limit, the role not stated: each a condition, with its evidence."""
    for co in st.unstated_carve_outs:
        conditions.append(f"unless you are an end user (--end-user): {co.text}")
        evidence.extend(cite(co.evidence))


def _merge_obligations(obligations: list[DecisionObligation]) -> list[DecisionObligation]:
    """One entry per obligation: unconditional wins over conditional; conditions are joined."""
    if len(obligations) < 2:
        return obligations
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
        raise CombinationError("nothing to combine")
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


def decide(resolved: Resolved, action: Action | str, scenario: Scenario, territories: Territories,
           cat: Catalogue | None = None, *, provenance: tuple[Provenance, ...] = ()) -> Decision:
    """Answer for a resolved name: a licence alone, or a model with its upstream licences (the
    model's modality, from the registry, applies to every one of them unless one is stated).
    ``provenance`` is where the model's licence came from (the decision's ``resolved``)."""
    model = resolved.model
    if model is not None and not resolved.upstream and not model.licence_history:
        # A model under one licence: what combine_decisions gives for its one decision (which evaluate
        # has already merged and deduplicated, its verdict settled), with the model named.
        if type(action) is not Action:
            action = parse_action(action)
        lic = resolved.licence
        return _evaluate(lic, action, _effective(lic, action, scenario, model.modality), territories,
                         cited(lic, cat), model.id, provenance)
    if model is not None and scenario.modality is None:
        scenario = scenario.model_copy(update={"modality": model.modality})
    own = evaluate(resolved.licence, action, scenario, territories=territories, cat=cat)
    if model is None and not resolved.upstream:
        return own.model_copy(update={"resolved": provenance}) if provenance else own
    update: dict[str, object] = {}
    if model is not None and model.licence_history:
        history = tuple(f"{model.id} is answered under its current licence, {resolved.licence.id}; it was under "
                        f"{h.licence} until {h.until.isoformat()} ({h.source})." for h in model.licence_history)
        update["reasons"] = (*own.reasons, *history)
    if model is not None and not resolved.upstream:
        update["model"] = model.id
        if provenance:
            update["resolved"] = provenance
        return own.model_copy(update=update)
    if update:
        own = own.model_copy(update=update)
    others = [evaluate(lic, action, own.scenario if model is None else scenario,
                       territories=territories, cat=cat) for lic in resolved.upstream]
    combined = combine_decisions([own, *others], licence=resolved.licence.id,
                                 model=model.id if model is not None else None)
    return combined.model_copy(update={"resolved": provenance}) if provenance else combined
