"""The report of ``licencecmp check``, its data model: :class:`CheckReport` with its findings, model
results, locations and summary, and the finding rules (:data:`RULES`). Stable, versioned JSON
(``schema_version``); :mod:`licencecmp.scan.check` (the judge) builds it, :mod:`licencecmp.render.report`
renders it.

The classes are the plain records (:mod:`licencecmp.scan.records`) of the pydantic models of
:mod:`licencecmp.scan.report_model`, the one declaration of the report (its JSON Schema, the validator of
a report read back: ``CheckReport.model_validate``); the JSON is written from the records without pydantic
(:mod:`licencecmp.scan.report_plain`)."""

from __future__ import annotations

from licencecmp.scan.records import (
    ActionResult,
    BaselineUse,
    CatalogueEntry,
    CheckReport,
    FileError,
    Finding,
    Location,
    Mention,
    ModelResult,
    SkippedFile,
    Summary,
)
from licencecmp.scan.report_plain import CHECK_SCHEMA_VERSION, Level, Status

__all__ = [
    "CHECK_SCHEMA_VERSION",
    "RULES",
    "ActionResult",
    "BaselineUse",
    "CatalogueEntry",
    "CheckReport",
    "FileError",
    "Finding",
    "Level",
    "Location",
    "Mention",
    "ModelResult",
    "SkippedFile",
    "Status",
    "Summary",
]

RULES: dict[str, tuple[str, Level]] = {
    "prohibited": ("The licence prohibits an action the project takes.", "error"),
    "needs-permission": ("The action needs a separate grant from the licensor.", "error"),
    "unclear": ("The licence text is ambiguous for this action; a person must decide.", "warning"),
    "denied-by-policy": ("The policy's allow or deny list excludes the licence.", "error"),
    "unknown-licence": ("The licence of a model could not be determined.", "error"),
    "licence-conflict": ("A model card declares a licence that cannot carry its base model's terms.", "error"),
    "lock-stale": ("licencecmp.lock does not list the models the repository uses (check --locked).", "error"),
    "inferred-licence": ("The licence is inferred: the model looks like a re-upload of a registry model.",
                         "note"),
    "expired-waiver": ("A waiver in the policy has expired.", "error"),
    "unresolved-base-model": ("A base model is not in the registry; its licence was not checked.", "warning"),
    "licence-mismatch": ("Two sources declare different licences for a model; all of them are applied.",
                         "warning"),
    "unscanned-file": ("A file that could name a model (by its name, a script, a submodule not checked out) "
                       "was not scanned (binary, too large, unreadable, special); an error under `strict = true`.",
                       "warning"),
    "incomplete-scan": ("The files could not be listed as git lists them; an error under `strict = true`.",
                        "warning"),
    "obligations": ("What the project must do to use the model as it does.", "note"),
    "unused-waiver": ("A waiver matches no finding.", "note"),
    "suppressed-reference": ("A reference a `licencecmp: ignore` comment suppresses: not judged (a policy with "
                             "inline_ignores = false judges it).", "note"),
    "ignored-policy": ("A policy file found for the folder checked was not applied (a nested one, or one that "
                       "--policy, --policy-root or `root = true` set aside).", "note"),
    "placeholder": ("A placeholder (your-org/your-model, username/my_model): not a model, never judged; the "
                    "report counts them in a section of their own (`placeholders` in JSON, never a finding).",
                    "note"),
    "catalogue-file": ("A file that lists many models (a framework's table of supported models): one entry, not "
                       "a use, judged only with `catalogues = \"judge\"` (`catalogues` in JSON, never a finding).",
                       "note"),
}
"""Finding rules: id -> (description, default level). The ids are a contract (SARIF ruleId, JSON). The last
two name the report's sections that are never judged (SARIF results and annotations, `kind` in --format brief),
never a JSON finding."""
