"""The pydantic models of a policy: the one declaration of its keys, types, constraints, aliases and
defaults, the validator of every policy a plain record cannot prove valid, and the source of its JSON
Schema (``licencecmp schema policy``). A check does not import this module when its policy is well
formed: it reads the generated records (:mod:`licencecmp.scan.records`) through the fast validator
(:mod:`licencecmp.scan.policy_plain`); :mod:`licencecmp.scan.policy` loads policies.

>>> Policy.model_validate({"actions": ["serve"], "mau": 1000}).actions
[<Action.SERVE: 'serve'>]
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, StrictStr, create_model, model_validator

from licencecmp.facts import FactKind, ScenarioFact
from licencecmp.scan.policy_plain import (
    DEFAULT_MAX_FILE_SIZE,
    POLICY_FACTS,
    LicenceSelectorMethods,
    PolicyMethods,
    WaiverMethods,
)
from licencecmp.vocab import Action, Kind, Modality, Purpose

__all__ = ["MODELS", "LicenceSelector", "ModelDecl", "Override", "Policy", "Waiver"]


StrictInt = Annotated[int, Field(strict=True)]
StrictBool = Annotated[bool, Field(strict=True)]
Number = Annotated[float, Field(ge=0)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LicenceSelector(LicenceSelectorMethods, _Strict):
    """A set of licences, named by id, by kind, or by openness."""

    licences: list[str] = Field(
        default=[], validation_alias=AliasChoices("licences", "licenses"),
        description="Licence ids or aliases (mit, llama-3.1, LicenseRef-...).")
    kinds: list[Kind] = Field(default=[], description="Licence kinds: permissive, use-restricted, community, "
                                                       "non-commercial.")
    open_source: StrictBool | None = Field(
        default=None, description="true: every open-source licence; false: every licence that is not.")


class ModelDecl(_Strict):
    """A model the project uses, named explicitly (a private model needs its licence)."""

    id: str = Field(min_length=1, description="Hugging Face repo id or your own name for a private model.")
    licence: str | None = Field(
        default=None, validation_alias=AliasChoices("licence", "license"),
        description="Licence id, alias or SPDX expression; required for models the registry does not know.")


class Override(_Strict):
    """Per-model actions: for this model the project does exactly these (replacing `actions`)."""

    model: str = Field(min_length=1)
    actions: list[Action]


class Waiver(WaiverMethods, _Strict):
    """An accepted exception, by model or by licence, until a date."""

    model: str | None = Field(default=None, min_length=1)
    licence: str | None = Field(default=None, min_length=1, validation_alias=AliasChoices("licence", "license"))
    actions: list[Action] | None = Field(default=None, description="Only these actions (default: all).")
    reason: str = Field(min_length=1)
    expires: _dt.date = Field(description="Last day the waiver holds (YYYY-MM-DD); after it the check fails.")

    @model_validator(mode="after")
    def _one_subject(self) -> Waiver:
        if not self.names_one_subject():
            raise ValueError("a waiver names exactly one of model or licence")
        return self


_FACT_TYPES: dict[FactKind, Any] = {FactKind.COUNTRY: str, FactKind.COUNTRIES: list[str], FactKind.MODALITY: Modality,
                                    FactKind.FLAG: StrictBool, FactKind.PURPOSES: list[Purpose]}


def _fact_field(f: ScenarioFact) -> tuple[Any, Any]:
    if f.kind is FactKind.FIGURE:
        return (StrictInt if f.whole else Number) | None, Field(default=None, ge=0, description=f.description)
    return _FACT_TYPES[f.kind] | None, Field(default=None, description=f.description)


if TYPE_CHECKING:
    class _PolicyFacts(_Strict):
        """The fact keys (built at run time from the table)."""

        def __getattr__(self, name: str) -> Any: ...
else:  # one key per fact of the table (licencecmp.facts), typed by its kind
    _PolicyFacts = create_model("_PolicyFacts", __base__=_Strict, __module__=__name__,
                                **{f.name: _fact_field(f) for f in POLICY_FACTS})


class Policy(PolicyMethods, _PolicyFacts):
    """What ``licencecmp check`` enforces. Facts left out are *not stated*: never assumed."""

    actions: list[Action] = Field(default=[Action.USE], min_length=1,
                                  description="What the project does with its models.")
    allow: LicenceSelector = Field(default=LicenceSelector(),
                                   description="If not empty, only these licences may be used.")
    deny: LicenceSelector = Field(default=LicenceSelector(), description="These licences may not be used.")
    allow_unknown: StrictBool = Field(default=False,
                                      description="Let models whose licence is unknown pass (with a warning).")
    unknown: Literal["fail", "warn"] = Field(
        default="fail", description="What a model whose licence is unknown does: fail the check (default) or warn "
                                    "(the same as allow_unknown = true).")
    online: StrictBool = Field(default=False, description="Ask the Hugging Face Hub about models no local source "
                                                          "resolves (as --online).")
    fail_on_unclear: StrictBool = Field(default=False,
                                        description="Fail on `unclear` verdicts (default: warn).")
    strict: StrictBool = Field(default=False,
                               description="Fail when the scan is incomplete: a file that could name a model "
                                           "was skipped (binary, too large, unreadable) or git could not list "
                                           "the files (default: warn).")
    inline_ignores: StrictBool = Field(
        default=True, description="Honour `licencecmp: ignore` comments in the scanned files (each suppression is "
                                  "still reported); false judges the references they mark, so that only waivers "
                                  "with a reason and an expiry count.")
    catalogues: Literal["list", "judge"] = Field(
        default="list", description="Files that list many models (a framework's table of supported models): "
                                    "list each as one entry (default), or judge every model they name. With "
                                    "`list`, a model named only in a catalogue's data is never judged, even when "
                                    "the code loads it through the table (`from_pretrained(MODELS[\"main\"])`): "
                                    "a file padded with 40 ids can hide one; the report still lists the file, "
                                    "how many of its models are known and under which licences. A gate that "
                                    "must see every model sets `judge`.")
    trust_repository: StrictBool = Field(
        default=True, description="Apply licences the scanned repository declares for models (model cards, "
                                  "SBOMs, licencecmp.lock) together with licencecmp's own answer; false ignores "
                                  "them altogether (a CI policy for repositories it does not trust).")
    root: StrictBool = Field(
        default=False, description="Pin this policy: when a folder below it is checked, a policy nested there "
                                   "(a package's pyproject.toml) is ignored and this one applies (as "
                                   "--policy-root does).")
    models: list[ModelDecl] = Field(default=[], description="Models the project uses, named explicitly.")
    overrides: list[Override] = Field(default=[])
    waivers: list[Waiver] = Field(default=[])
    exclude: list[str] = Field(default=[], description="Extra paths to skip (.gitignore syntax).")
    baseline: StrictStr | None = Field(default=None, min_length=1, max_length=4096,
                                       description="The baseline file (relative to the policy file's folder): "
                                                   "findings it lists are known and do not fail (as --baseline).")
    max_file_size: StrictInt = Field(default=DEFAULT_MAX_FILE_SIZE, gt=0, le=2**40,
                                     description="Files larger than this (bytes) are skipped and reported.")


MODELS: tuple[type[BaseModel], ...] = (LicenceSelector, ModelDecl, Override, Waiver, Policy)
"""The models of a policy, in the order of their records (scan/records.py)."""
