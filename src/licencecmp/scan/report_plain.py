"""A check report without pydantic: the behaviour the report's pydantic models
(:mod:`licencecmp.scan.report_model`, the one declaration: schema, validator of a report read back, JSON
Schema) share with their generated records (:mod:`licencecmp.scan.records`, what ``licencecmp check``
builds), and the report's JSON written from the records without pydantic's serializers, byte for byte
what the models' ``model_dump`` gives (a test compares them)."""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from licencecmp.data.plain import Record, jsonable

if TYPE_CHECKING:
    from licencecmp.engine import Decision, DecisionObligation

__all__ = ["CHECK_SCHEMA_VERSION", "CheckReportMethods", "FindingMethods", "Level", "LocationMethods", "Status",
           "dump", "inline_tables", "kind_is_rule", "report_tables"]

CHECK_SCHEMA_VERSION = "7"  # 3: lineage and family rules; 4: as_written, placeholders, catalogues; 5: baseline;
# 6: policies_ignored, resolution "sbom"; 7: each decision and obligation written once, in the top-level
# `decisions` and `obligations` tables, and referred to by id (see CheckReport)

Level = Literal["error", "warning", "note"]
Status = Literal["pass", "fail", "warn", "waived", "known"]  # known: fails only by findings in the baseline

_set = object.__setattr__


def dump(value: Any) -> Any:
    """What ``model_dump(mode="json")`` gives for a record of the report (or anything in it): the fields
    not excluded, as JSON data, as the record's mixin serializes them (``_serialized``); a pydantic
    model's own dump."""
    kind = type(value)
    if kind in _PLAIN:
        return value
    if isinstance(value, Record):
        excluded = getattr(kind, "_excluded", ())
        data = {name: v if type(v) in _PLAIN else dump(v)
                for name, v in zip(value._fields, value._get(value), strict=True) if name not in excluded}
        serialized = getattr(value, "_serialized", None)
        return data if serialized is None else serialized(data)
    if kind is tuple or kind is list:
        return [v if type(v) in _PLAIN else dump(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if hasattr(kind, "__pydantic_fields__"):
        return value.model_dump(mode="json")
    if isinstance(value, dict):
        return {dump(k): dump(v) for k, v in value.items()}
    return jsonable(value)


_PLAIN = frozenset({str, int, float, bool, type(None)})  # JSON data as they are (not their subclasses: enums)


class LocationMethods:
    __slots__ = ()

    @staticmethod
    def _serialized(data: dict[str, Any]) -> dict[str, Any]:
        """``as_written`` left out when it is None (the same name as the model's)."""
        if data.get("as_written") is None:
            data.pop("as_written", None)
        return data


def kind_is_rule(data: Any) -> Any:
    """A finding's ``kind`` is its rule unless given (the model's validator; the record's ``_complete``)."""
    if isinstance(data, dict) and not data.get("kind") and data.get("rule"):
        data = {**data, "kind": data["rule"]}
    return data


class FindingMethods:
    __slots__ = ()
    if TYPE_CHECKING:
        rule: str
        kind: str
        level: str
        waived_by: str | None
        baseline: bool

    def _complete(self) -> None:
        """What the model's validator completes: the kind is the rule unless given."""
        if not self.kind and self.rule:
            _set(self, "kind", self.rule)

    @property
    def failing(self) -> bool:
        return self.level == "error" and self.waived_by is None and not self.baseline


class CheckReportMethods:
    __slots__ = ()
    if TYPE_CHECKING:
        findings: tuple[Any, ...]
        models: tuple[Any, ...]

    @property
    def failing(self) -> list[Any]:
        return [f for f in self.findings if f.failing]

    def json_text(self) -> str:
        """The report's JSON (what ``model_dump_json`` gives, schema 7) as compact text (see :meth:`json_parts`)."""
        return "".join(self.json_parts())

    def json_parts(self) -> Iterator[str]:
        """The compact JSON text of the report in pieces, a model, a finding, a file at a time through the C
        encoder: the data of the whole report is never held as one tree of dicts (for 100,000 files,
        several times the size of the text), and the pieces are joined once. Lone surrogates (bytes of a
        path that were not UTF-8) are left in: the renderer scrubs the text. Written from the fields
        (:func:`dump`), without pydantic."""
        tables = _Tables(as_text=True)  # each entry held as its JSON text, not as a tree of dicts
        excluded = getattr(type(self), "_excluded", ())
        sep = "{"
        for key in _field_names(self):
            if key == "models":
                yield f'{sep}"models":['
                for i, m in enumerate(self.models):
                    yield ("," if i else "") + _dumps(tables.model_data(m, dump(m)))
                yield '],"decisions":'
                yield from _object_parts(tables.decisions)
                yield ',"obligations":'
                yield from _object_parts(tables.obligations)
            elif key in _LISTS:
                yield f'{sep}"{key}":['
                for i, item in enumerate(getattr(self, key)):
                    yield ("," if i else "") + _dumps(dump(item))
                yield "]"
            elif key not in excluded:
                yield f"{sep}{_dumps(key)}:{_dumps(dump(getattr(self, key)))}"
            else:
                continue
            sep = ","
        yield "}"


def _field_names(value: Any) -> tuple[str, ...]:
    fields = getattr(type(value), "_fields", None)
    return tuple(fields) if fields is not None else tuple(type(value).__pydantic_fields__)


def report_tables(report: Any, data: dict[str, Any]) -> dict[str, Any]:
    """The report's JSON data (``data``: its fields dumped) with each model's decisions and obligations as
    references to the top-level ``decisions`` and ``obligations`` tables (the model's serializer)."""
    if "models" not in data:  # model_dump(exclude=...) left the models out: nothing refers to the tables
        return data
    tables = _Tables()
    models = [tables.model_data(m, out) for m, out in zip(report.models, data["models"], strict=True)]
    out_data: dict[str, Any] = {}
    for key, value in data.items():
        out_data[key] = models if key == "models" else value
        if key == "models":
            out_data["decisions"] = tables.decisions
            out_data["obligations"] = tables.obligations
    return out_data


def inline_tables(data: Any) -> Any:
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

    def model_data(self, m: Any, out: dict[str, Any]) -> dict[str, Any]:
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
