"""The report of ``licencecmp check``, its data model: :class:`CheckReport` with its findings, model
results, locations and summary, and the finding rules (:data:`RULES`). Stable, versioned JSON
(``schema_version``); :mod:`licencecmp.scan.check` (the judge) builds it, :mod:`licencecmp.render.report`
renders it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from typing import Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from licencecmp.data.plain import jsonable
from licencecmp.data.records import Lineage
from licencecmp.engine import Decision, DecisionObligation
from licencecmp.errors import ExitCode
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, Verdict

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

CHECK_SCHEMA_VERSION = "7"  # 3: lineage and family rules; 4: as_written, placeholders, catalogues; 5: baseline;
# 6: policies_ignored, resolution "sbom"; 7: each decision and obligation written once, in the top-level
# `decisions` and `obligations` tables, and referred to by id (see CheckReport)

Level = Literal["error", "warning", "note"]
Status = Literal["pass", "fail", "warn", "waived", "known"]  # known: fails only by findings in the baseline

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


class Location(_Out):
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
        if data.get("as_written") is None:
            data.pop("as_written", None)
        return data


class Finding(_Out):
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
        if isinstance(data, dict) and not data.get("kind") and data.get("rule"):
            data = {**data, "kind": data["rule"]}
        return data

    @property
    def failing(self) -> bool:
        return self.level == "error" and self.waived_by is None and not self.baseline


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


class CheckReport(_Out):
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

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.failing]

    @model_serializer(mode="wrap")
    def _each_decision_once(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The report as JSON data (schema 7): each model's per-action result gives its verdict and status
        and refers to its decision by id; each decision (with its evidence, reasons and obligations) and each
        obligation is written once, in the top-level ``decisions`` and ``obligations`` tables, however many
        models share it. Without the tables a report of many models repeated the same quotes for every
        model and action (issue 26: 55 MB at 100,000 files)."""
        data: dict[str, Any] = handler(self)
        if "models" not in data:  # model_dump(exclude=...) left the models out: nothing refers to the tables
            return data
        tables = _Tables()
        models = []
        for m, out in zip(self.models, data["models"], strict=True):
            models.append(tables.model_data(m, out))
        out_data: dict[str, Any] = {}
        for key, value in data.items():
            out_data[key] = models if key == "models" else value
            if key == "models":
                out_data["decisions"] = tables.decisions
                out_data["obligations"] = tables.obligations
        return out_data

    def json_text(self) -> str:
        """The report's JSON (what ``model_dump_json`` gives, schema 7) as compact text (see :meth:`json_parts`)."""
        return "".join(self.json_parts())

    def json_parts(self) -> Iterator[str]:
        """The compact JSON text of the report in pieces, a model, a finding, a file at a time through the C
        encoder: the data of the whole report is never held as one tree of dicts (for 100,000 files,
        several times the size of the text), and the pieces are joined once. Lone surrogates (bytes of a
        path that were not UTF-8) are left in: the renderer scrubs the text."""
        tables = _Tables(as_text=True)  # each entry held as its JSON text, not as a tree of dicts
        head = self.model_dump(mode="json", exclude=set(_LISTS) | {"models"})
        sep = "{"
        for key in type(self).model_fields:
            if key == "models":
                yield f'{sep}"models":['
                for i, m in enumerate(self.models):
                    yield ("," if i else "") + _dumps(tables.model_data(m, m.model_dump(mode="json")))
                yield '],"decisions":'
                yield from _object_parts(tables.decisions)
                yield ',"obligations":'
                yield from _object_parts(tables.obligations)
            elif key in _LISTS:
                yield f'{sep}"{key}":['
                for i, item in enumerate(getattr(self, key)):
                    yield ("," if i else "") + _dumps(item.model_dump(mode="json"))
                yield "]"
            elif key in head:
                yield f"{sep}{_dumps(key)}:{_dumps(head[key])}"
            else:
                continue
            sep = ","
        yield "}"

    @model_validator(mode="before")
    @classmethod
    def _inline_tables(cls, data: Any) -> Any:
        """Read the JSON of schema 7 back: each reference replaced by its entry of the tables (a report
        of schema 6, with every decision written in full, is read as it is)."""
        if not isinstance(data, dict) or ("decisions" not in data and "obligations" not in data):
            return data
        decisions, obligations = data.get("decisions") or {}, data.get("obligations") or {}
        if not isinstance(decisions, dict) or not isinstance(obligations, dict):
            raise ValueError("decisions and obligations must be objects keyed by id")
        out = {k: v for k, v in data.items() if k not in ("decisions", "obligations")}
        if isinstance(data.get("models"), list):
            out["models"] = [_inline_model(m, decisions, obligations) for m in data["models"]]
        return out


_LISTS = ("findings", "skipped", "errors", "mentions", "suppressed", "placeholders", "catalogues")
"""The report's lists that grow with the repository, encoded item by item by :meth:`CheckReport.json_text`."""


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _object_parts(table: dict[str, str]) -> Iterator[str]:
    """The JSON text of a table whose entries are held as JSON text, an entry at a time: what :func:`_dumps`
    gives for the same table of data."""
    yield "{"
    for i, (key, text) in enumerate(table.items()):
        yield f'{"," if i else ""}{_dumps(key)}:{text}'
    yield "}"


def _ref(head: str, entry: dict[str, Any], table: dict[str, Any]) -> str:
    """A stable id for a new entry of ``table``: a readable head and a digest of its content (the same
    decision gets the same id in every report, whatever else the report holds); the whole digest if the
    short one is taken."""
    digest = hashlib.sha256(json.dumps(entry, sort_keys=True, separators=(",", ":")).encode("ascii")).hexdigest()
    ref = f"{head}:{digest[:12]}"
    return ref if ref not in table else f"{head}:{digest}"


class _Tables:
    """The ``decisions`` and ``obligations`` tables of one report, filled as the models are written; with
    ``as_text``, each entry is held as its compact JSON text (a tenth of the memory of its data)."""

    def __init__(self, *, as_text: bool = False) -> None:
        self.as_text = as_text
        self.decisions: dict[str, Any] = {}
        self.obligations: dict[str, Any] = {}
        self._decision_ids: dict[Decision, str] = {}
        self._obligation_ids: dict[DecisionObligation, str] = {}

    def decision(self, d: Decision) -> str:
        d = d.model_copy(update={"model": None})
        ref = self._decision_ids.get(d)
        if ref is None:
            entry = jsonable(d)
            del entry["model"]
            ref = self._decision_ids[d] = _ref(f"{d.licence}:{d.action.value}", entry, self.decisions)
            self.decisions[ref] = _dumps(entry) if self.as_text else entry
        return ref

    def obligation(self, o: DecisionObligation) -> str:
        ref = self._obligation_ids.get(o)
        if ref is None:
            entry = jsonable(o)
            ref = self._obligation_ids[o] = _ref(f"{o.licence}:{o.key}", entry, self.obligations)
            self.obligations[ref] = _dumps(entry) if self.as_text else entry
        return ref

    def model_data(self, m: ModelResult, out: dict[str, Any]) -> dict[str, Any]:
        """A model's JSON with its decisions and obligations as references (in the fields' order)."""
        for r, r_out in zip(m.results, out["results"], strict=True):
            r_out["decision"] = self.decision(r.decision) if r.decision is not None else None
        new: dict[str, Any] = {}
        for key, value in out.items():
            new[key] = value
            if key == "results":
                new["obligations"] = [self.obligation(o) for o in m.obligations]
        return new


def _inline_model(m: Any, decisions: dict[str, Any], obligations: dict[str, Any]) -> Any:
    if not isinstance(m, dict):
        return m
    m = dict(m)
    if isinstance(m.get("results"), list):
        m["results"] = [_inline_result(r, decisions, m.get("model")) for r in m["results"]]
    if isinstance(m.get("obligations"), list):
        m["obligations"] = [_entry(obligations, o, "obligation") if isinstance(o, str) else o
                            for o in m["obligations"]]
    return m


def _inline_result(r: Any, decisions: dict[str, Any], model: Any) -> Any:
    if not isinstance(r, dict) or not isinstance(r.get("decision"), str):
        return r
    entry = _entry(decisions, r["decision"], "decision")
    return {**r, "decision": {**entry, "model": model} if isinstance(entry, dict) else entry}


def _entry(table: dict[str, Any], ref: str, kind: str) -> Any:
    try:
        return table[ref]
    except KeyError:
        raise ValueError(f"the {kind} {ref!r} is not in the report's {kind}s table") from None
