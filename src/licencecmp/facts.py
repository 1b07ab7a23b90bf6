"""The scenario facts, each declared once: :data:`FACTS`.

A fact is what a user states about a question (``--mau 1000``, ``domicile = "DE"`` in a policy,
``can(..., commercial=True)``). Its entry here says everything the rest of the code needs: its name
(the :class:`~licencecmp.scenario.Scenario` field, the API keyword, the MCP argument and the policy
key), what kind of value it takes, its description (the JSON Schema, the ``--help`` text, the MCP
tool's parameter), its CLI option, how it reads in a sentence, and, for a figure, the metric and
scope whose threshold limits it bounds. Everything else is derived from this table: the pydantic
``Scenario`` (:mod:`licencecmp.data.results`), :func:`licencecmp.scenario.make_scenario`'s checks,
the typer options (:mod:`licencecmp.cli.options`), the fast path's parser (:mod:`licencecmp.cli.fast`),
the policy model (:mod:`licencecmp.scan.policy`), the API's keywords and the MCP tools' schemas
(:mod:`licencecmp.api`), and the scenario in words (:func:`licencecmp.reasoning.comparison.scenario_summary`).

The figures (users, revenue) are not listed by hand: each :class:`~licencecmp.vocab.Metric` gives one
fact per :class:`~licencecmp.vocab.Scope` (``mau`` and ``org_mau``). A new metric therefore brings its
facts with it; ``tests/test_facts.py`` checks every consumer against this table.

:class:`Facts` is the same table as a ``TypedDict``, for ``**facts: Unpack[Facts]``; a test proves it
equal to :data:`FACTS` (a type checker needs it spelled out).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, TypedDict

from licencecmp.vocab import Metric, Modality, Purpose, Scope, StrEnum

__all__ = ["FACTS", "FIGURES", "SCENARIO_FACTS", "FactKind", "Facts", "ScenarioFact", "fact"]


class FactKind(StrEnum):
    """The kinds of value a fact takes; each consumer maps a kind to its own type."""

    FIGURE = "figure"  # a number of a metric (whole for a count): Metric and Scope say which
    COUNTRY = "country"  # one country or group code
    COUNTRIES = "countries"  # several country or group codes (repeatable option)
    MODALITY = "modality"  # a Modality
    FLAG = "flag"  # true or false
    PURPOSES = "purposes"  # several Purposes (repeatable option)


class ScenarioFact(NamedTuple):
    """One scenario fact."""

    name: str  # Scenario field, API keyword, MCP argument and policy key
    kind: FactKind
    description: str  # JSON Schema, --help, MCP
    option: str  # the CLI option: "--mau", "--commercial/--non-commercial" (a flag with its negation)
    words: str  # in a sentence: "{}" is the value; for a flag, what True says
    words_false: str | None = None  # for a flag, what False says (None: False is not mentioned)
    metavar: str | None = None  # the CLI's name for the value
    metric: Metric | None = None  # a figure's metric
    scope: Scope | None = None  # a figure's scope
    in_scenario: bool = True  # False for a shorthand that make_scenario turns into other facts
    in_policy: bool = True  # whether a policy file may state it

    @property
    def whole(self) -> bool:
        """A figure that is a whole number (a count of users)."""
        return self.metric is not None and self.metric.whole

    @property
    def label(self) -> str:
        """Its name in messages: 'org annual revenue'."""
        return self.name.replace("_", " ")

    def flags(self) -> dict[str, object]:
        """Its CLI spellings and what each gives: ``{"--mau": None}`` (a value follows),
        ``{"--commercial": True, "--non-commercial": False}``."""
        if self.kind is FactKind.FLAG:
            yes, _, no = self.option.partition("/")
            return {yes: True, no: False} if no else {yes: True}
        return {self.option: None}


def _figure(metric: Metric, scope: Scope) -> ScenarioFact:
    info = metric.info
    org = scope is Scope.ORGANISATION
    return ScenarioFact(
        name=metric.field(scope), kind=FactKind.FIGURE, description=f"{info.description} of {scope.whose}.",
        option="--" + metric.field(scope).replace("_", "-"), words=("organisation " if org else "") + info.words,
        metavar=None if info.whole else info.unit, metric=metric, scope=scope)


FIGURES: tuple[ScenarioFact, ...] = tuple(_figure(m, s) for s in Scope for m in Metric)
"""One fact per metric and scope: the product's figures first, then the organisation's."""

FACTS: tuple[ScenarioFact, ...] = (
    *FIGURES,
    ScenarioFact("domicile", FactKind.COUNTRY,
                 "Licensee's country of residence or principal place of business (ISO 3166-1 alpha-2, e.g. DE).",
                 "--domicile", "domiciled in {}", metavar="CC"),
    ScenarioFact("used_in", FactKind.COUNTRIES,
                 "Countries or groups (EU, EEA) where the model or its outputs are used or offered.",
                 "--used-in", "used in {}", metavar="CC"),
    ScenarioFact("region", FactKind.COUNTRY,
                 "Shorthand: based in this country or group (EU, EEA) and using the model only there.",
                 "--region", "", metavar="CC", in_scenario=False, in_policy=False),
    ScenarioFact("modality", FactKind.MODALITY, "The model's modality (taken from the registry for known models).",
                 "--modality", "{} models", metavar="text|multimodal"),
    ScenarioFact("commercial", FactKind.FLAG,
                 "Whether the use is for a commercial purpose (not stated unless given; always so for "
                 "commercial-use).", "--commercial/--non-commercial", "commercial purpose", "non-commercial purpose"),
    ScenarioFact("purpose", FactKind.PURPOSES,
                 "What the use is for: " + ", ".join(p.value for p in Purpose) + " (several when a use serves "
                 "several).", "--purpose", "purpose {}", metavar="P"),
    ScenarioFact("production", FactKind.FLAG,
                 "Whether the model runs live, with end users or on real-world inputs (not stated unless given).",
                 "--production/--non-production", "in production", "not in production"),
    ScenarioFact("end_user", FactKind.FLAG,
                 "You receive the model inside an integrated end-user product from a licensee (the licence's "
                 "carve-outs for end users apply).", "--end-user", "as an end user of a licensee's product"),
    ScenarioFact("release", FactKind.FLAG,
                 "Whether what you make (the model, a derivative, a model trained with its outputs) is "
                 "distributed or made available to others, a hosted service included (not stated unless given; "
                 "always so for distribute and serve).", "--release/--no-release", "released to others",
                 "not released"),
)
"""Every scenario fact, in the order of the CLI options and of make_scenario's keywords."""

SCENARIO_FACTS: tuple[ScenarioFact, ...] = tuple(f for f in FACTS if f.in_scenario)
"""The facts a :class:`~licencecmp.scenario.Scenario` holds (the shorthands resolved)."""

_BY_NAME = {f.name: f for f in FACTS}


def fact(name: str) -> ScenarioFact:
    """The fact named ``name`` (KeyError if none)."""
    return _BY_NAME[name]


class Facts(TypedDict, total=False):
    """The scenario facts as keyword arguments (``can(licence, action, **facts: Unpack[Facts])``);
    the same names and kinds as :data:`FACTS`, which a test checks."""

    mau: int | None
    monthly_revenue: float | None
    annual_revenue: float | None
    annual_revenue_cny: float | None
    visits: int | None
    org_mau: int | None
    org_monthly_revenue: float | None
    org_annual_revenue: float | None
    org_annual_revenue_cny: float | None
    org_visits: int | None
    domicile: str | None
    used_in: Iterable[str] | None
    region: str | None
    modality: Modality | str | None
    commercial: bool | None
    purpose: Iterable[Purpose | str] | Purpose | str | None
    production: bool | None
    end_user: bool | None
    release: bool | None
