"""The licence schema: one frozen pydantic model per licence version.

Every rule, limit and obligation carries :class:`Evidence`: the section of the official text
and a verbatim quote from it. The tests prove that each quote occurs in the official text.
"""

from __future__ import annotations

import datetime as _dt
import enum
import re
import types
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, model_validator

from licencecmp.data.plain import SCHEMA_VERSION, LicenceMethods, jsonable
from licencecmp.vocab import (
    Action,
    Fact,
    Kind,
    Metric,
    Modality,
    ObligationKind,
    Purpose,
    Scope,
    Trigger,
    UserRole,
    Verdict,
)

__all__ = [
    "SCHEMA_VERSION",  # defined in data.plain: the answer path reads it without pydantic
    "CarveOut",
    "Evidence",
    "FamilyRule",
    "Licence",
    "LicenceChange",
    "Limit",
    "ModelEntry",
    "Obligation",
    "PurposeLimit",
    "Relicensing",
    "Rule",
    "TerritoryLimit",
    "ThresholdLimit",
    "jsonable",
]


_ID_RE = r"^[a-z0-9][a-z0-9.\-]*$"


class _Frozen(BaseModel):
    # defer_build: the validators are built on first validation, not at import, so that the CLI
    # can load trusted compiled data with `construct_trusted` and never pay for them.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Evidence(_Frozen):
    """Where a claim comes from: a section of one text of the licence and a verbatim quote."""

    text: str = Field(
        default="licence",
        description="Which text of the licence the quote is from (a key of `Licence.texts`).",
    )
    section: str = Field(min_length=1, description="Section number or heading, as the text gives it.")
    quote: str = Field(min_length=8, description="Verbatim quote; whitespace may differ.")


Cited = Annotated[tuple[Evidence, ...], Field(min_length=1)]


class Relicensing(_Frozen):
    """Other licences under which the text lets a derivative go out in place of its own terms (a
    compatibility clause: EUPL Art. 5, GPL-3.0 section 13, the BY-SA Compatible Licenses of CC BY-SA 4.0)."""

    licences: tuple[str, ...] = Field(min_length=1, description="Canonical ids of those licences.")
    how: Literal["any", "combined", "listed"] = Field(
        description="any: any copy may go out under that licence (e.g. LGPL-2.1 section 3); combined: only a "
        "derivative or combination that also includes a work under that licence; listed: the text defers to a "
        "list kept outside it, which names these licences (the list decides).",
    )
    text: str = Field(min_length=1, description="What the clause allows, in plain words.")
    list_source: str | None = Field(
        default=None, description="For 'listed': where the list was read and on which date."
    )
    unsettled: str | None = Field(
        default=None,
        description="A condition of the clause that the text leaves open for model weights (e.g. a licence listed "
        "'for works other than software'), in words: the pair is then unclear, not conditional, and the clause "
        "settles no combination.",
    )
    evidence: Cited


class Obligation(_Frozen):
    """Something the licence asks of whoever exercises a right."""

    kind: ObligationKind
    text: str = Field(min_length=1, description="What to do, in plain words.")
    wording: str | None = Field(
        default=None, description="The exact words the licence requires, where it fixes them."
    )
    trigger: Trigger = Field(
        description="When it binds: always, on distribution, when made available (a hosted service "
        "included), or when a model trained with it or its outputs is released.",
    )
    modality: Modality | None = Field(
        default=None, description="The obligation binds only models of this modality."
    )
    relicensing: tuple[Relicensing, ...] = Field(
        default=(),
        description="For a duty to keep derivatives under this licence: the other licences the text lets them "
        "go out under, and how.",
    )
    contains: tuple[str, ...] = Field(
        default=(),
        description="Obligations of other licences ('licence-id:key') whose whole duty this one contains "
        "(e.g. a list of use restrictions that has every item of the other's), so that carrying this "
        "one carries those. Checked against the texts by a reader; the TOML comment says why.",
    )
    evidence: Cited


class Rule(_Frozen):
    """The licence's answer for one action, before limits are applied."""

    verdict: Verdict
    summary: str = Field(min_length=1, description="Why, in one or two sentences.")
    obligations: tuple[str, ...] = Field(
        default=(), description="Keys into `Licence.obligations`."
    )
    own_derivatives_exempt: bool = Field(
        default=False,
        description=(
            "For train-on-outputs: the refusal spares this licence's own materials and their derivative "
            "works (e.g. 'excluding Meta Llama 3 or derivative works thereof'), so improving a model "
            "derived from them is modification, not a use the rule refuses."
        ),
    )
    derivative: bool = Field(
        default=False,
        description=(
            "For train-on-outputs: the model trained on outputs counts as a derivative, so every "
            "term of this licence follows it."
        ),
    )
    evidence: Cited


class CarveOut(_Frozen):
    """Users to whom a limit does not apply, as the text says (e.g. end users of a product)."""

    role: UserRole
    text: str = Field(min_length=1, description="Who is exempt, in plain words.")
    evidence: Cited


class _LimitBase(_Frozen):
    actions: tuple[Action, ...] = Field(
        default=tuple(Action),
        description="The actions this limit applies to (default: all). A limit that lists `use` binds every "
        "action that runs the model as well (the engine's RUNS_THE_MODEL).",
    )
    modality: Modality | None = Field(
        default=None, description="The limit applies only to models of this modality."
    )
    commercial_only: bool = Field(
        default=False,
        description="The limit binds only commercial use (e.g. a user ceiling 'if you are commercially using').",
    )
    verdict: Verdict | None = Field(
        default=None, description="The verdict once the limit is crossed (None: unchanged)."
    )
    obligations: tuple[str, ...] = Field(
        default=(), description="Obligations that apply once the limit is crossed."
    )
    condition: str = Field(
        min_length=1,
        description="The condition in words, read after 'only while' / 'only if', "
        "e.g. 'you have at most 700 million monthly active users'.",
    )
    carve_outs: tuple[CarveOut, ...] = Field(
        default=(), description="Users to whom the limit does not apply."
    )
    evidence: Cited


class ThresholdLimit(_LimitBase):
    """A ceiling in the licence's own unit; crossing it changes the verdict or adds obligations."""

    type: Literal["threshold"]
    metric: Metric
    max: int = Field(ge=0, description="The figure the limit is drawn at, as the text states it.")
    inclusive: bool = Field(
        default=True,
        description="Whether a figure equal to `max` is still within the limit: true for 'at most', 'not "
        "exceeding', 'greater than ... needs a licence'; false for 'below', 'less than', '... or more'. The "
        "stated figure is compared exactly, fractions included.",
    )
    counts: Scope = Field(
        description="Whose figure is counted: the product or service that uses the model, or the "
        "whole organisation with its affiliates.",
    )
    timing: str | None = Field(
        default=None,
        description="When the figure is counted, where the text fixes a moment (e.g. 'in the calendar "
        "month before the version release date'). The condition then stays in every answer, since a "
        "bare figure does not say when it was measured.",
    )


class TerritoryLimit(_LimitBase):
    """Countries or country groups where the licence does not grant its rights."""

    type: Literal["territory"]
    fact: Fact
    excluded: tuple[str, ...] = Field(
        min_length=1, description="ISO 3166-1 alpha-2 codes or group names (EU, EEA, ...)."
    )


class PurposeLimit(_LimitBase):
    """Rights granted only for non-commercial (research, evaluation, personal) purposes: crossed
    when the scenario says the use is commercial. Evaluating ``commercial-use`` itself counts as a
    commercial purpose."""

    type: Literal["purpose"]
    excluded_purpose: Literal["commercial"] = "commercial"
    allowed: tuple[Purpose, ...] | None = Field(
        default=None,
        description="The purposes the licence grants. None: every purpose but commercial.",
    )
    non_production: bool = Field(
        default=False,
        description="The rights hold only outside production (no live use with end users or "
        "real-world inputs).",
    )


Limit = Annotated[ThresholdLimit | TerritoryLimit | PurposeLimit, Field(discriminator="type")]


class Licence(LicenceMethods, _Frozen):
    """One version of one licence, with every term and the evidence for it."""

    id: str = Field(pattern=_ID_RE, description="Canonical id (see shared licence-ids.md).")
    title: str
    version: str | None = None
    release_date: _dt.date | None = None
    publisher: str
    url: str = Field(pattern=r"^https?://")
    spdx: str = Field(description="SPDX id, or the LicenseRef-... used for it.")
    scancode_key: str | None = None
    aliases: tuple[str, ...] = ()
    kind: Kind
    osi_approved: bool = False
    superseded_by: str | None = None
    deprecated: bool = False
    source_fidelity: str | None = Field(
        default=None, description="Set when the reference copy of the text is less than faithful."
    )
    summary: str
    texts: dict[str, str] = Field(
        min_length=1,
        description="Text part (licence, aup, ...) to file name of the official text.",
    )
    model_modality: Modality | None = Field(
        default=None,
        description="Every model under this licence is of this modality (e.g. 'natively multimodal'); "
        "applied when a question names the licence without a model.",
    )
    model_modality_evidence: tuple[Evidence, ...] = Field(
        default=(), description="The clause that says so (required with model_modality)."
    )
    fingerprints: tuple[str, ...] = Field(
        default=(),
        description="Short verbatim lines that tell this text apart from its siblings (identify).",
    )
    obligations: dict[str, Obligation] = {}
    actions: dict[Action, Rule]
    limits: tuple[Limit, ...] = ()

    @model_validator(mode="after")
    def _check_references(self) -> Licence:
        missing = [a.value for a in Action if a not in self.actions]
        if missing:
            raise ValueError(f"no rule for action(s): {', '.join(missing)}")
        for where, keys in self.obligation_refs():
            for key in keys:
                if key not in self.obligations:
                    raise ValueError(f"{where} names unknown obligation {key!r}")
        if self.model_modality is not None and not self.model_modality_evidence:
            raise ValueError("model_modality needs model_modality_evidence")
        for where, evidence in self.located_evidence():
            if evidence.text not in self.texts:
                raise ValueError(f"{where} cites unknown text {evidence.text!r}")
        for name in self.texts.values():
            if not re.fullmatch(r"[A-Za-z0-9.\-_]+", name):
                raise ValueError(f"text file name {name!r} is not a plain file name")
        return self


class LicenceChange(_Frozen):
    """An earlier licence of a model, before its maker relicensed it."""

    licence: str = Field(description="Canonical id of the earlier licence (or its name if not in the catalogue).")
    until: _dt.date = Field(description="The date the maker changed it.")
    source: str = Field(description="Where the change is documented.")


class ModelEntry(_Frozen):
    """A model in the registry: its own licence and the upstream models whose licences apply."""

    id: str = Field(pattern=r"^[A-Za-z0-9][\w.\-]*/[\w.\-]+$", description="Hugging Face repo id.")
    licence: str
    modality: Modality
    upstream: tuple[str, ...] = Field(
        default=(), description="Repo ids of models whose licences also apply (base, distilled from)."
    )
    relation: Literal["finetune", "adapter", "quantized", "merge", "distilled", "derivative",
                      "component"] | None = Field(
        default=None, description="How the model derives from its upstream models, where it does; 'component' "
        "when it does not derive from them but ships or loads them as parts (a pipeline's text encoder), whose "
        "licences bind it all the same."
    )
    task: str | None = Field(default=None, description="Hugging Face pipeline tag, where known.")
    source: str = Field(description="Where the licence fact comes from.")
    licence_history: tuple[LicenceChange, ...] = Field(
        default=(), description="Earlier licences, oldest first, where the maker changed it."
    )
    training_data: Literal["disclosed", "partly-disclosed", "not-disclosed"] | None = Field(
        default=None, description="Whether the training data is disclosed, where known.")
    note: str | None = None
    aliases: tuple[str, ...] = Field(
        default=(), description="Other repo ids the Hub redirects to this repo (a former organisation's name); "
        "org-less legacy names such as gpt2 are declared in data/hub_names.toml.")
    read: _dt.date | None = Field(default=None, description="The date the source was read.")

    @model_validator(mode="after")
    def _check_aliases(self) -> ModelEntry:
        for alias in self.aliases:
            if not re.fullmatch(_MODEL_ALIAS_RE, alias):
                raise ValueError(f"alias {alias!r} is not a Hugging Face repo id (ORG/NAME); an org-less legacy "
                                 "name belongs in data/hub_names.toml")
        return self


_MODEL_ALIAS_RE = r"[A-Za-z0-9][\w.\-]*/[\w.\-]+"
"""A model's alias is a repo id (a former organisation's name): an org-less legacy name the Hub redirects
(gpt2) is declared once, in ``data/hub_names.toml``, and resolves to the registry entry from there."""
_GLOB_RE = r"^[A-Za-z0-9.\-_*]{1,96}$"


class FamilyRule(_Frozen):
    """A maker's statement of the licence of a family of its models, as a rule over repo names.

    A rule names one organisation and glob patterns over the repo name (``*`` stands for any
    characters; nothing else is special; compared case-insensitively). An exact registry entry
    always wins over a rule, so a family's known exceptions are exact entries."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*/[a-z0-9][a-z0-9.\-]*$",
                    description="The rule's name: organisation/family, lower case.")
    org: str = Field(pattern=r"^[A-Za-z0-9][\w.\-]*$", description="The Hugging Face organisation.")
    patterns: tuple[Annotated[str, Field(pattern=_GLOB_RE)], ...] = Field(
        min_length=1, description="Glob patterns over the repo name (after the organisation); '*' only.")
    licence: str
    modality: Modality
    source: str = Field(min_length=1, description="Where the maker states the family's licence (URL or repo path).")
    statement: str = Field(min_length=8, description="The maker's statement, quoted.")
    read: _dt.date = Field(description="The date the statement was read.")
    licence_history: tuple[LicenceChange, ...] = Field(
        default=(), description="Earlier licences of the family, oldest first, where the maker relicensed it.")
    note: str | None = None

    @model_validator(mode="after")
    def _check_patterns(self) -> FamilyRule:
        for pat in self.patterns:
            if not pat.replace("*", ""):
                raise ValueError(f"pattern {pat!r} matches every name: name the family")
            if "**" in pat:
                raise ValueError(f"pattern {pat!r}: use one '*'")
        return self


def construct_trusted(cls: type[BaseModel], data: Any) -> Any:
    """Build a model from already-validated data (the compiled catalogue) without validation.

    Walks the field annotations to build nested models, enums, tuples and dates. Only for data
    that a test has proven equal to the validated sources; user input always goes through
    ``model_validate``.
    """
    return _build(cls, data)


def _build(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(tp)
    if origin is Annotated:
        return _build(get_args(tp)[0], value)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        if isinstance(value, dict) and "type" in value:
            for opt in options:
                field = getattr(opt, "model_fields", {}).get("type")
                if field is not None and value["type"] in get_args(field.annotation):
                    return _build(opt, value)
        return _build(options[0], value) if len(options) == 1 else value
    if origin is tuple:
        args = get_args(tp)
        return tuple(_build(args[0], v) for v in value)
    if origin is dict:
        kt, vt = get_args(tp)
        return {_build(kt, k): _build(vt, v) for k, v in value.items()}
    if isinstance(tp, type):
        if issubclass(tp, BaseModel):
            fields = {}
            for name, info in tp.model_fields.items():
                if name in value:
                    fields[name] = _build(info.annotation, value[name])
                else:
                    fields[name] = info.get_default(call_default_factory=True)
            return tp.model_construct(**fields)
        if issubclass(tp, enum.Enum):
            return tp(value)
        if tp is _dt.date and isinstance(value, str):
            return _dt.date.fromisoformat(value)
    return value
