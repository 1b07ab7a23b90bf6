"""The pydantic models of what an answer is made of: :class:`Scenario` (the facts of a question),
:class:`Decision` with its :class:`Citation` and :class:`DecisionObligation`.

These are the schema, the validator of input (``Scenario.model_validate``, the API's facts) and
the source of the JSON Schema (``licencecmp schema decision``). The answer path builds the plain
records generated from them (:mod:`licencecmp.data.records`, the names ``engine.Decision``,
``scenario.Scenario`` ...), which never import pydantic; see :mod:`licencecmp.data.plain`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

from licencecmp.data.plain import SCHEMA_VERSION, CitationMethods, DecisionMethods, ScenarioMethods
from licencecmp.facts import SCENARIO_FACTS, FactKind
from licencecmp.vocab import Action, CompatVerdict, Modality, Purpose, Verdict

__all__ = ["Citation", "CompatReason", "CompatResult", "Decision", "DecisionObligation", "Lineage", "Provenance",
           "Scenario"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class _ScenarioBase(ScenarioMethods, _Out):
    """The facts a question is asked under. ``None`` means "not stated"."""


_FIELD_TYPES: dict[FactKind, Any] = {
    FactKind.COUNTRY: str, FactKind.COUNTRIES: tuple[str, ...], FactKind.MODALITY: Modality,
    FactKind.FLAG: bool, FactKind.PURPOSES: tuple[Purpose, ...]}


def _scenario_fields() -> dict[str, Any]:
    """One field per fact of the table (licencecmp.facts), typed by its kind."""
    fields: dict[str, Any] = {}
    for f in SCENARIO_FACTS:
        if f.kind is FactKind.FIGURE:
            fields[f.name] = (int | None if f.whole else float | None, Field(default=None, ge=0,
                                                                              description=f.description))
        else:
            fields[f.name] = (_FIELD_TYPES[f.kind] | None, Field(default=None, description=f.description))
    return fields


def _upper(v: str | None) -> str | None:
    return v.strip().upper() if v is not None else None


def _upper_all(v: tuple[str, ...] | None) -> tuple[str, ...] | None:
    return tuple(sorted({c.strip().upper() for c in v})) if v is not None else None


def _scenario_validators() -> dict[str, Any]:
    """Country codes in upper case (a list of them sorted, once each), whatever fact holds them."""
    out: dict[str, Any] = {}
    for f in SCENARIO_FACTS:
        if f.kind is FactKind.COUNTRY:
            out[f"_upper_{f.name}"] = field_validator(f.name)(_upper)
        elif f.kind is FactKind.COUNTRIES:
            out[f"_upper_{f.name}"] = field_validator(f.name)(_upper_all)
    return out


if TYPE_CHECKING:
    class Scenario(_ScenarioBase):
        """The facts a question is asked under (its fields: licencecmp.facts.SCENARIO_FACTS)."""
else:
    Scenario = create_model("Scenario", __base__=_ScenarioBase, __module__=__name__,
                            __doc__=_ScenarioBase.__doc__, __validators__=_scenario_validators(),
                            **_scenario_fields())


class Citation(CitationMethods, _Out):
    """A quote from a licence text, with the licence it comes from."""

    licence: str
    text: str
    section: str
    quote: str


class DecisionObligation(_Out):
    """An obligation that comes with a decision."""

    id: str = Field(description="The obligation kind, from the closed vocabulary.")
    key: str = Field(description="The obligation's key within its licence.")
    text: str
    wording: str | None = None
    licence: str
    trigger: str = Field(default="always", description="When it binds: always, distribution, made-available "
                         "or trained-model-release (see the licence schema).")
    when: str | None = Field(default=None, description="Set when it applies only under a condition, such as "
                             "its trigger (\"if you distribute it\") while the scenario does not settle it.")
    evidence: tuple[Citation, ...]


class Lineage(_Out):
    """One base model of a model (a card's ``base_model``, a registry entry's upstream model, the
    model a re-upload was inferred from): its id, its licences and how they were resolved."""

    id: str = Field(description="The base model's repo id.")
    licences: tuple[str, ...] = Field(default=(), description="Its own licences; empty when unknown.")
    resolution: str = Field(description="Where its licence came from (a source of the resolution chain).")
    relation: str | None = Field(default=None, description="How the model derives from it (base_model_relation: "
                                 "finetune, adapter, quantized, merge, ...), where stated.")
    of: str = Field(description="The model that names it as a base (the model itself, or a base of it).")
    inferred_from: str | None = None
    reason: str | None = Field(default=None, description="Why its licence is unknown, when it is.")


class Provenance(_Out):
    """Where the licence of a model named in a question came from: which source of the resolution
    chain answered (registry, override, lock, card, cache, inferred, hub; ``family`` for a maker's
    rule over names), what it rests on, and the model's base models."""

    model: str = Field(description="The model's repo id.")
    resolution: str = Field(description="The source that answered: registry, family, override, lock, card, cache, "
                            "inferred or hub.")
    licences: tuple[str, ...] = Field(description="Its own licences (canonical ids or SPDX expressions).")
    upstream: tuple[str, ...] = Field(default=(), description="Licences of its base models that also apply.")
    inferred_from: str | None = Field(default=None, description="The registry model it looks like a re-upload of.")
    source: str | None = Field(default=None, description="What the answer rests on: the registry entry's source, "
                               "the card or cache file, the Hub revision, the rule.")
    base_models: tuple[Lineage, ...] = Field(default=(), description="Its base models, each with its licences.")


class Decision(DecisionMethods, _Out):
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
    scenario: Scenario = Field(default_factory=Scenario)
    resolved: tuple[Provenance, ...] = Field(default=(), description="Where the licence of each model named came "
                                             "from (none for a licence named directly).")


class CompatReason(_Out):
    """One reason of a compatibility verdict, with the clause it rests on."""

    effect: CompatVerdict
    text: str
    licence: str
    section: str
    quote: str


class CompatResult(_Out):
    """Whether a derivative of a work under ``upstream`` may be released under ``outbound`` alone."""

    schema_version: str = SCHEMA_VERSION
    upstream: str
    outbound: str
    verdict: CompatVerdict
    reasons: tuple[CompatReason, ...]
    resolved: tuple[Provenance, ...] = Field(default=(), description="Where the licence of each model named came "
                                             "from (none for licences named directly).")
