"""The pydantic models of the report of ``licencecmp check``: the one declaration of its fields (the
schema, the validator of a report read back, ``CheckReport.model_validate``, and the source of its JSON
Schema). A check builds the generated records of these models (:mod:`licencecmp.scan.records`, re-exported
by :mod:`licencecmp.scan.report`) and writes their JSON without pydantic (:mod:`licencecmp.scan.report_plain`);
this module is imported only by what needs pydantic (validation, the JSON Schema, ``model_dump``)."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from licencecmp.data.records import Lineage
from licencecmp.engine import Decision, DecisionObligation
from licencecmp.errors import ExitCode
from licencecmp.scan.report_plain import (
    CHECK_SCHEMA_VERSION,
    CheckReportMethods,
    FindingMethods,
    Level,
    LocationMethods,
    Status,
    inline_tables,
    kind_is_rule,
    report_tables,
)
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, Verdict

__all__ = ["MODELS", "ActionResult", "BaselineUse", "CatalogueEntry", "CheckReport", "FileError", "Finding",
           "Location", "Mention", "ModelResult", "SkippedFile", "Summary"]


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    _fields_sets: ClassVar[dict[frozenset[str], set[str]]] = {}

    def model_post_init(self, context: Any, /) -> None:
        """Every instance with the same fields set shares one set of their names (``model_fields_set``): a
        report holds a location per place a model is found and an entry per file skipped, and pydantic's
        own set per instance is most of the memory of each (issue 26). The models are frozen, so nothing
        changes the set; ``model_copy`` copies it before it updates it."""
        fields = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__", _Out._fields_sets.setdefault(frozenset(fields), fields))


class Location(LocationMethods, _Out):
    path: str = Field(description="Relative to the scanned root, POSIX separators.")
    line: int | None = None
    column: int | None = None
    source: str = Field(description="policy, model-card, sbom, code, config or space.")
    as_written: str | None = Field(default=None, description="The name as the file writes it, when the model is "
                                                             "reported by its canonical id (gpt2 -> "
                                                             "openai-community/gpt2); left out when the "
                                                             "same.")

    @model_serializer(mode="wrap")
    def _drop_same(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        return self._serialized(data)


class Finding(FindingMethods, _Out):
    rule: str = Field(description="One of the rule ids (prohibited, needs-permission, ...).")
    kind: str = Field(default="", description="The kind of finding: the rule id (unknown-licence, "
                                              "licence-conflict, lock-stale, prohibited, ...).")
    level: Level
    model: str | None = None
    action: Action | None = None
    licence: str | None = None
    message: str
    locations: tuple[Location, ...] = ()
    waived_by: str | None = Field(default=None, description="The reason of the waiver that covers it.")
    baseline: bool = Field(default=False, description="Known: the baseline lists it, so it is reported and "
                                                      "counted but does not fail (check --baseline).")

    @model_validator(mode="before")
    @classmethod
    def _kind_is_rule(cls, data: Any) -> Any:
        return kind_is_rule(data)


class ActionResult(_Out):
    action: Action
    verdict: Verdict | None = Field(description="None when no licence of the model is known.")
    status: Status
    decision: Decision | None = Field(default=None, exclude=True, description=(
        "The decision with its evidence. In the report's JSON: the id of its entry in the top-level "
        "`decisions` table (written once however many models share it; the entry's `model` is left out: it is "
        "the model that refers to it)."))


class ModelResult(_Out):
    model: str
    registry: bool = Field(description="The model is in licencecmp's registry.")
    licences: tuple[str, ...] = Field(description="Its own licences (canonical ids or SPDX expressions).")
    upstream: tuple[str, ...] = Field(description="Licences of base models that also apply.")
    declared: tuple[str, ...] = Field(default=(), description="Licences as the files declare them.")
    verdict: Verdict | None = Field(description="The strictest verdict over the project's actions.")
    status: Status
    locations: tuple[Location, ...]
    results: tuple[ActionResult, ...]
    obligations: tuple[DecisionObligation, ...] = Field(default=(), exclude=True, description=(
        "What the project must do to use it. In the report's JSON: the ids of their entries in the top-level "
        "`obligations` table."))
    resolution: str = Field(default="unknown", description="Where its licence came from: registry, family, "
                            "override, lock, card, sbom, cache, hub, inferred or unknown.")
    rule: str | None = Field(default=None, description="The registry's family rule that answered (resolution "
                             "family).")
    inferred_from: str | None = Field(default=None, description="The registry model this looks like a "
                                                                "re-upload of (resolution inferred).")
    reason: str | None = Field(default=None, description="Why the licence is unknown.")
    sha: str | None = Field(default=None, description="The Hub revision the licence was read from, if known.")
    base_models: tuple[Lineage, ...] = Field(default=(), description="Its base models (the registry's upstream "
                                             "models, a card's base_model, the model a re-upload copies), each "
                                             "with its licences and how it was resolved, transitively.")


class Mention(_Out):
    """A reference that is not judged: in a comment, or on a `licencecmp: ignore` line."""

    model: str
    path: str
    line: int
    column: int | None = None
    source: str


class CatalogueEntry(_Out):
    """A file that lists many models (a framework's table of supported models), reported as one entry."""

    path: str
    ids: int = Field(description="How many different models it names.")
    known: int = Field(description="How many of them the registry knows.")
    licences: dict[str, int] = Field(default={}, description="The licences of the known ones, and how many each.")
    judged: bool = Field(default=False, description="Every model it names is judged (catalogues = \"judge\").")


class SkippedFile(_Out):
    path: str
    reason: str


class FileError(_Out):
    path: str
    line: int | None = None
    message: str


class Summary(_Out):
    models: int
    passed: int
    failed: int
    warned: int
    waived: int
    violations: int
    warnings: int
    obligations: int
    files_scanned: int
    bytes_scanned: int
    files_skipped: int
    errors: int
    seconds: float
    placeholders: int = 0
    catalogues: int = 0
    known: int = Field(default=0, description="Models that fail only by findings the baseline lists.")


class BaselineUse(_Out):
    """What the baseline did: the findings it lists are known (reported, not failing)."""

    path: str
    known: int = Field(description="Findings the baseline lists: reported, counted, not failing.")
    new: int = Field(description="Failing findings the baseline does not list.")
    fixed: tuple[str, ...] = Field(default=(), description="Baseline entries no longer found: the baseline "
                                                           "can shrink (`licencecmp baseline`).")


class CheckReport(CheckReportMethods, _Out):
    """Everything ``licencecmp check`` found and decided. Stable, versioned JSON."""

    schema_version: str = CHECK_SCHEMA_VERSION
    tool: str = "licencecmp"
    tool_version: str
    root: str
    policy: str | None = Field(description="The policy file, or None for the default policy.")
    policies_ignored: tuple[str, ...] = Field(
        default=(), description="Other policy files found for the folder checked and not applied (a nested "
                                "one, or those --policy, --policy-root or root = true set aside).")
    git: bool = Field(description="Files were listed with git ls-files.")
    scenario: Scenario
    actions: tuple[Action, ...]
    models: tuple[ModelResult, ...]
    findings: tuple[Finding, ...]
    skipped: tuple[SkippedFile, ...] = ()
    errors: tuple[FileError, ...] = ()
    mentions: tuple[Mention, ...] = Field(default=(), description="References in comments (--include-comments).")
    suppressed: tuple[Mention, ...] = Field(default=(), description="References on `licencecmp: ignore` lines.")
    placeholders: tuple[Mention, ...] = Field(default=(), description="Placeholders (your-org/your-model, "
                                              "username/my_model): never judged.")
    catalogues: tuple[CatalogueEntry, ...] = Field(default=(), description="Files that list many models, each "
                                                   "as one entry (judged only with catalogues = \"judge\").")
    lock: str | None = Field(default=None, description="The lock file read, if any.")
    online: bool = Field(default=False, description="The Hub was asked about models no local source resolved.")
    baseline: BaselineUse | None = Field(default=None, description="The baseline applied, if any.")
    since: str | None = Field(default=None, description="Only references added or changed since this git "
                                                        "revision were judged (check --since).")
    summary: Summary
    exit_code: ExitCode = Field(description="0 fine, 1 at least one violation, 2 a file could not be understood.")

    @model_serializer(mode="wrap")
    def _each_decision_once(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The report as JSON data (schema 7): each model's per-action result gives its verdict and status
        and refers to its decision by id; each decision (with its evidence, reasons and obligations) and each
        obligation is written once, in the top-level ``decisions`` and ``obligations`` tables, however many
        models share it. Without the tables a report of many models repeated the same quotes for every
        model and action (issue 26: 55 MB at 100,000 files)."""
        return report_tables(self, handler(self))

    @model_validator(mode="before")
    @classmethod
    def _inline_tables(cls, data: Any) -> Any:
        """Read the JSON of schema 7 back (see :func:`~licencecmp.scan.report_plain.inline_tables`)."""
        return inline_tables(data)


MODELS: tuple[type[BaseModel], ...] = (Location, Finding, ActionResult, ModelResult, Mention, CatalogueEntry,
                                       SkippedFile, FileError, Summary, BaselineUse, CheckReport)
"""The models of a report, in the order of their records (scan/records.py)."""
