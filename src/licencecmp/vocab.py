"""The closed vocabularies of licencecmp, each defined once.

Actions, verdicts, licence kinds, obligation kinds, metrics and facts are contracts that other
tools script against: their string values never change. A data file that uses a value outside
these vocabularies fails to load.
"""

from __future__ import annotations

import enum
import sys
from typing import NamedTuple

from licencecmp.errors import UnknownActionError

if sys.version_info >= (3, 11):  # pragma: no cover - depends on the interpreter
    from enum import StrEnum
else:  # pragma: no cover

    class StrEnum(str, enum.Enum):
        """Backport of :class:`enum.StrEnum` for Python 3.10."""

        def __str__(self) -> str:
            return str(self.value)


__all__ = [
    "Action",
    "CompatVerdict",
    "Fact",
    "Kind",
    "Metric",
    "MetricInfo",
    "Modality",
    "ObligationKind",
    "Purpose",
        "Scope",
    "StrEnum",
    "Travel",
    "Trigger",
    "UserRole",
    "Verdict",
    "parse_action",
]


class Action(StrEnum):
    """What a user wants to do with a model."""

    USE = "use"
    COMMERCIAL_USE = "commercial-use"
    MODIFY = "modify"
    DISTRIBUTE = "distribute"
    DISTRIBUTE_DERIVATIVE = "distribute-derivative"
    SERVE = "serve"
    TRAIN_ON_OUTPUTS = "train-on-outputs"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


def parse_action(action: Action | str) -> Action:
    """An action from its name (case-insensitive); raises :class:`UnknownActionError`."""
    if type(action) is Action:
        return action
    if type(action) is str and action in _ACTION_NAMES:
        return _ACTION_NAMES[action]
    try:
        return Action(str(action).strip().lower())
    except ValueError:
        raise UnknownActionError(str(action), [a.value for a in Action]) from None


_ACTION_NAMES = {a.value: a for a in Action}

_ACTION_LABELS = {
    Action.USE: "use the model",
    Action.COMMERCIAL_USE: "use the model commercially",
    Action.MODIFY: "modify or fine-tune the model",
    Action.DISTRIBUTE: "redistribute the model",
    Action.DISTRIBUTE_DERIVATIVE: "distribute a modified or derived model",
    Action.SERVE: "offer the model to others as a hosted service or API",
    Action.TRAIN_ON_OUTPUTS: "use its outputs or distillation to train or improve another model",
}


class CompatVerdict(StrEnum):
    """Whether a derivative of a work under one licence may be released under another alone."""

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


class Verdict(StrEnum):
    """The answer to "may I?", ordered from most to least permissive by :attr:`severity`."""

    ALLOWED = "allowed"
    CONDITIONAL = "conditional"
    UNCLEAR = "unclear"
    NEEDS_PERMISSION = "needs-permission"
    PROHIBITED = "prohibited"

    @property
    def severity(self) -> int:
        """0 for allowed up to 4 for prohibited; the strictest verdict has the highest."""
        return _SEVERITY[self]

    @property
    def permits(self) -> bool:
        """True for the verdicts under which the action may go ahead (exit code 0)."""
        return self in _PERMITTING

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]

    @property
    def meaning(self) -> str:
        """What the verdict means, in a few words (the legend of tables)."""
        return _MEANINGS[self]

    @staticmethod
    def strictest(verdicts: list[Verdict] | tuple[Verdict, ...]) -> Verdict:
        return max(verdicts, key=lambda v: v.severity, default=Verdict.ALLOWED)


_PERMITTING = (Verdict.ALLOWED, Verdict.CONDITIONAL)
_SEVERITY = {
    Verdict.ALLOWED: 0,
    Verdict.CONDITIONAL: 1,
    Verdict.UNCLEAR: 2,
    Verdict.NEEDS_PERMISSION: 3,
    Verdict.PROHIBITED: 4,
}
_MEANINGS = {
    Verdict.ALLOWED: "no conditions",
    Verdict.CONDITIONAL: "allowed with obligations",
    Verdict.UNCLEAR: "the text is ambiguous",
    Verdict.NEEDS_PERMISSION: "only with a separate grant from the licensor",
    Verdict.PROHIBITED: "not allowed",
}
_SYMBOLS = {
    Verdict.ALLOWED: "✓",
    Verdict.CONDITIONAL: "◐",
    Verdict.UNCLEAR: "?",
    Verdict.NEEDS_PERMISSION: "✋",
    Verdict.PROHIBITED: "✗",
}


class Kind(StrEnum):
    """The family a licence belongs to."""

    PERMISSIVE = "permissive"
    USE_RESTRICTED = "use-restricted"  # responsible-AI licences: open use with behavioural limits
    COMMUNITY = "community"  # use restrictions plus user or revenue thresholds
    NON_COMMERCIAL = "non-commercial"  # research-only or non-commercial
    COPYLEFT = "copyleft"  # derivatives must carry the same terms (GPL family, share-alike)

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    Kind.PERMISSIVE: "permissive",
    Kind.USE_RESTRICTED: "responsible-AI / use-restricted",
    Kind.COMMUNITY: "community / threshold",
    Kind.NON_COMMERCIAL: "research-only / non-commercial",
    Kind.COPYLEFT: "copyleft / share-alike",
}


class Travel(StrEnum):
    """How an obligation behaves when a derivative is released under another licence."""

    NOTICE = "notice"  # satisfied by keeping a notice or licence copy beside the work
    TERMS = "terms"  # the upstream terms themselves must bind every recipient
    SELF = "self"  # binds only the licensee; does not constrain the outbound licence
    # keeps binding every recipient beside the outbound terms (a patent grant's termination): fine
    # beside a licence that allows it, incompatible with one that forbids further restrictions
    RESTRICTION = "restriction"


class ObligationKind(StrEnum):
    """What a licence asks in return. Each licence's data says the exact wording."""

    INCLUDE_LICENCE = "include-licence"
    KEEP_NOTICES = "keep-notices"
    NOTICE_TEXT = "notice-text"
    DISPLAY_ATTRIBUTION = "display-attribution"
    NAME_PREFIX = "name-prefix"
    PASS_ON_RESTRICTIONS = "pass-on-restrictions"
    PASS_ON_CONDITIONS = "pass-on-conditions"
    COMPLY_AUP = "comply-aup"
    STATE_CHANGES = "state-changes"
    REGISTER = "register"
    SAME_TERMS = "same-terms"
    GIVE_CREDIT = "give-credit"
    COMPLY_LAWS = "comply-laws"
    NO_TRADEMARK = "no-trademark"
    REPORT = "report"
    PROVIDE_SOURCE = "provide-source"
    PATENT_TERMINATION = "patent-termination"
    NO_FURTHER_RESTRICTIONS = "no-further-restrictions"

    @property
    def label(self) -> str:
        return _OBLIGATION_INFO[self][0]

    @property
    def travel(self) -> Travel:
        return _OBLIGATION_INFO[self][1]


_OBLIGATION_INFO: dict[ObligationKind, tuple[str, Travel]] = {
    ObligationKind.INCLUDE_LICENCE: ("include a copy of the licence", Travel.NOTICE),
    ObligationKind.KEEP_NOTICES: ("keep copyright and attribution notices", Travel.NOTICE),
    ObligationKind.NOTICE_TEXT: ("ship a fixed notice text", Travel.NOTICE),
    ObligationKind.DISPLAY_ATTRIBUTION: ("display an attribution such as \"Built with X\"", Travel.TERMS),
    ObligationKind.NAME_PREFIX: ("begin the model name with a fixed word", Travel.TERMS),
    ObligationKind.PASS_ON_RESTRICTIONS: ("pass the use restrictions on to recipients", Travel.TERMS),
    # Conditions on distributing and marking derivatives (not on their use) that a derivative's own licence
    # must keep, e.g. LPPL 10a: they travel like terms, but restrict no field of use.
    ObligationKind.PASS_ON_CONDITIONS: ("have the derivative's licence keep these distribution conditions",
                                        Travel.TERMS),
    # An acceptable use policy binds whoever uses the model or a derivative of it: an outbound
    # licence cannot lift it, so it travels like the terms themselves.
    ObligationKind.COMPLY_AUP: ("comply with the acceptable use policy", Travel.TERMS),
    ObligationKind.STATE_CHANGES: ("mark what you changed", Travel.NOTICE),
    ObligationKind.REGISTER: ("register with or notify the licensor", Travel.SELF),
    ObligationKind.SAME_TERMS: ("distribute derivatives under these same terms", Travel.TERMS),
    ObligationKind.GIVE_CREDIT: ("credit the licensor", Travel.NOTICE),
    ObligationKind.COMPLY_LAWS: ("comply with applicable laws and trade controls", Travel.SELF),
    ObligationKind.NO_TRADEMARK: ("do not use the licensor's marks beyond what is allowed", Travel.SELF),
    ObligationKind.REPORT: ("report to the licensor when asked", Travel.SELF),
    # Copyleft: the corresponding source (for a model: what the licence defines as its preferred
    # form for modification) must reach recipients, under the same terms.
    ObligationKind.PROVIDE_SOURCE: ("make the corresponding source available", Travel.TERMS),
    # A patent licence that ends if its holder sues over the work's patents comes with the work to
    # every recipient: it stays beside whatever licence a derivative carries.
    ObligationKind.PATENT_TERMINATION: ("lose the patent licence if you sue over the work's patents",
                                        Travel.RESTRICTION),
    # Strong copyleft: the derivative carries these terms and nothing that binds recipients beyond them.
    ObligationKind.NO_FURTHER_RESTRICTIONS: ("impose no further restrictions on recipients", Travel.TERMS),
}


class Metric(StrEnum):
    """Quantities that licence thresholds are measured in."""

    # Everything the code knows about a metric is here (MetricInfo in _METRICS): its words, its unit,
    # whether it is a whole number, the scenario facts that state it and which other metrics bound
    # it. A new metric is one member and one entry of _METRICS; the scenario facts, CLI options,
    # policy keys and API keywords that state it follow (licencecmp.facts).

    MONTHLY_ACTIVE_USERS = "monthly-active-users"
    MONTHLY_REVENUE_USD = "monthly-revenue-usd"
    ANNUAL_REVENUE_USD = "annual-revenue-usd"
    ANNUAL_REVENUE_CNY = "annual-revenue-cny"  # a ceiling stated in renminbi: stated in CNY, never converted
    MONTHLY_VISITS = "monthly-visits"

    @property
    def info(self) -> MetricInfo:
        return _METRICS[self]

    @property
    def label(self) -> str:
        """'monthly active users', 'monthly revenue (USD)'."""
        return _METRICS[self].label

    @property
    def whole(self) -> bool:
        """Whether its figures are whole numbers (a count of users, not an amount of money)."""
        return _METRICS[self].whole

    def field(self, scope: Scope) -> str:
        """The scenario fact that states this metric for ``scope`` (``mau``, ``org_mau``)."""
        info = _METRICS[self]
        return info.field if scope is Scope.PRODUCT else f"org_{info.field}"

    def amount(self, value: float) -> str:
        """A figure in full and as stated: '700,000,000', 'USD 1,000,000', 'USD 9,999,999.5' (a
        fraction keeps every digit it has: never rounded across a limit)."""
        shown = f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
        return f"{_METRICS[self].prefix}{shown}"

    def short_form(self, number: str) -> str:
        """A figure written short, in a table cell: '700M MAU', 'USD 1M revenue/year' (``number``
        is the figure already shortened)."""
        info = _METRICS[self]
        return f"{info.prefix}{number}{info.short}"

    def at_least(self) -> tuple[Metric, ...]:
        """The metrics whose figure this one's is never below (itself first): a year's revenue is
        at least any one month's."""
        return (self, *_METRICS[self].at_least)

    def at_most(self) -> tuple[Metric, ...]:
        """The metrics whose figure this one's is never above (itself first)."""
        return (self, *(m for m in Metric if self in _METRICS[m].at_least))


class MetricInfo(NamedTuple):
    """What a :class:`Metric` is."""

    label: str  # in sentences: "the product's monthly active users above 700,000,000"
    description: str  # its scenario facts' description: "<description> of <whose>."
    unit: str  # what it counts: users, USD
    whole: bool  # a whole number (users) or not (money)
    prefix: str  # written before an amount: "USD "
    short: str  # written after a short amount in a table cell: "700M MAU", "USD 1M revenue/year"
    words: str  # a stated figure in words ("{}" is the amount): "{} monthly active users"
    field: str  # the scenario fact of the product's figure; the organisation's is "org_" + it
    at_least: tuple[Metric, ...] = ()  # other metrics this one is never below
    why: str = ""  # why this one is never below them, for the message when stated figures disagree


_METRICS: dict[Metric, MetricInfo] = {
    Metric.MONTHLY_ACTIVE_USERS: MetricInfo(
        "monthly active users", "Monthly active users", "users", True, "", " MAU", "{} monthly active users", "mau"),
    Metric.MONTHLY_REVENUE_USD: MetricInfo(
        "monthly revenue (USD)", "Monthly revenue in USD (any one month)", "USD", False, "USD ", " revenue/month",
        "monthly revenue USD {}", "monthly_revenue"),
    Metric.ANNUAL_REVENUE_USD: MetricInfo(
        "annual revenue (USD)", "Annual revenue in USD", "USD", False, "USD ", " revenue/year",
        "annual revenue USD {}", "annual_revenue", (Metric.MONTHLY_REVENUE_USD,),
        "a year's revenue is at least any one month's"),
    Metric.ANNUAL_REVENUE_CNY: MetricInfo(
        "annual revenue (CNY)", "Annual revenue in CNY (renminbi; no exchange rate is assumed, so a USD figure "
        "never settles a CNY ceiling)", "CNY", False, "CNY ", " revenue/year (CNY)", "annual revenue CNY {}",
        "annual_revenue_cny"),
    Metric.MONTHLY_VISITS: MetricInfo(
        "monthly visits", "Visits in one month", "visits", True, "", " visits/month", "{} monthly visits",
        "visits", (Metric.MONTHLY_ACTIVE_USERS,), "each active user visits at least once a month"),
}


class Fact(StrEnum):
    """Which fact of the scenario a territorial limit tests."""

    DOMICILE = "domicile"  # where the licensee lives or has its principal place of business
    USE = "use"  # where the model or its outputs are used, offered or distributed


class Modality(StrEnum):
    TEXT = "text"
    MULTIMODAL = "multimodal"


class Purpose(StrEnum):
    """What a use is for. Research-only and non-commercial licences grant only some of these."""

    COMMERCIAL = "commercial"
    RESEARCH = "research"
    EVALUATION = "evaluation"
    TESTING = "testing"
    PERSONAL = "personal"
    EDUCATION = "education"
    NON_PROFIT = "non-profit"


class Trigger(StrEnum):
    """When an obligation binds. Every obligation in the data names its trigger."""

    ALWAYS = "always"  # whenever you exercise the right (use included)
    DISTRIBUTION = "distribution"  # when you distribute copies of the model or a derivative
    MADE_AVAILABLE = "made-available"  # when you distribute it or make it available, a hosted service included
    TRAINED_MODEL_RELEASE = "trained-model-release"  # when a model trained with it or its outputs is released

    @property
    def label(self) -> str:
        return _TRIGGER_LABELS[self]


_TRIGGER_LABELS = {
    Trigger.ALWAYS: "always",
    Trigger.DISTRIBUTION: "if you distribute it",
    Trigger.MADE_AVAILABLE: "if you distribute it or make it available to others (a hosted service included)",
    Trigger.TRAINED_MODEL_RELEASE: "if you release a model trained with it or its outputs",
}


class Scope(StrEnum):
    """Whose figures a threshold counts."""

    PRODUCT = "product"  # the product or service that uses the model
    ORGANISATION = "organisation"  # the whole organisation with its affiliates

    @property
    def whose(self) -> str:
        """Whose figures, in words: 'the product or service that uses the model'."""
        return _SCOPE_WORDS[self]


_SCOPE_WORDS = {
    Scope.PRODUCT: "the product or service that uses the model",
    Scope.ORGANISATION: "the whole organisation with its affiliates (all its products and services)",
}


class UserRole(StrEnum):
    """Who the user is, where a licence treats some users differently."""

    END_USER = "end-user"  # receives the model inside an integrated end-user product from a licensee


COMPONENT_RELATION = "component"
"""The relation (``ModelEntry.relation``) of a model to upstream models it does not derive from but ships
or loads as parts (a diffusion pipeline's text encoder): their licences bind it, and reports call them
components, not base models (SBOMs: ``CONTAINS``, not ``DESCENDANT_OF``)."""
