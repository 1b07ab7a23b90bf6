"""The MCP tools as data: their arguments, the strict check of a call, and the compact answers.

Nothing here imports the MCP SDK (``server.py`` wires this table to it), and nothing is built
before it is asked for: the input schemas on the first ``tools/list``, the API on the first call.

- Every tool's input schema forbids unknown properties (``additionalProperties: false``), and a
  call with an unknown or misspelled argument fails with the nearest names, as the Python API does
  for an unknown fact: a dropped ``monthly_active_users`` would change the verdict.
- The subject is ``licence`` in every tool (a licence id, alias, SPDX expression or model id);
  ``compare`` takes ``licences``; ``combine`` takes one name or a list in each role.
- Answers are compact by default (verdict, conditions, reasons and obligations one line each, the
  clause labels); ``detail: "full"`` gives the API's whole result with every clause quoted.
- Every argument is capped (:data:`MAX_STRING`, :data:`MAX_ITEMS`), and no message echoes more
  than :data:`ECHO` characters of what the caller sent.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from licencecmp.errors import InputError

__all__ = ["ECHO", "MAX_ITEMS", "MAX_STRING", "TOOLS", "ToolSpec", "answer", "check_arguments", "compact",
           "input_schema", "text_of"]

MAX_STRING = 4096
"""The longest string argument taken (a path, an SPDX expression); longer is refused unread."""

MAX_ITEMS = 64
"""The most items a list argument takes."""

ECHO = 60
"""At most this many characters of a caller's value appear in a message."""

MAX_LINES = 50
"""Compact answers list at most this many failures, models or rows of one kind (the count says how many)."""

LICENCE = ("Licence id (llama-3.1), alias (llama3.1, MIT), SPDX expression (\"Apache-2.0 OR MIT\") or Hugging "
           "Face model id (meta-llama/Llama-3.1-8B), whose upstream licences also apply.")
ONLINE = ("Also ask the Hugging Face Hub about a model no local source knows (network; default: offline). Every "
          "answer says where each model's licence came from (resolved).")
DETAIL = ("compact (default): the verdict, conditions, reasons and obligations one line each, with the clause "
          "labels; full: the whole result with every clause quoted.")
NAMES = {"anyOf": [{"type": "string", "maxLength": MAX_STRING},
                   {"type": "array", "items": {"type": "string", "maxLength": MAX_STRING}, "maxItems": MAX_ITEMS}]}

RENAMED = {"name": "licence", "model_id": "licence", "model": "licence", "license": "licence",
           "licenses": "licences", "facts": "columns", "monthly_active_users": "mau", "users": "mau",
           "country": "region"}
"""Names earlier versions of these tools (or American spelling) used, and the argument meant."""


@dataclass(frozen=True)
class ToolSpec:
    """One tool: its arguments (JSON schemas), which are required, and how it calls the API."""

    name: str
    title: str
    description: str
    params: Mapping[str, dict[str, Any]]
    call: Callable[[dict[str, Any]], Any]
    required: tuple[str, ...] = ()
    facts: bool = False
    compact: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = field(default=None)

    def names(self) -> list[str]:
        return [*self.params, *(_facts_schema()[0] if self.facts else {})]


def _short(value: object) -> str:
    """A caller's value for a message: its repr, cut to :data:`ECHO` characters."""
    if isinstance(value, str) and len(value) > ECHO:
        return repr(value[:ECHO]) + f"… ({len(value):,} characters)"
    text = repr(value) if not isinstance(value, (dict, list)) else type(value).__name__ + f" of {len(value)}"
    return text if len(text) <= ECHO else text[:ECHO] + "…"


@cache
def _facts_schema() -> tuple[dict[str, Any], dict[str, Any]]:
    """The scenario facts' properties and definitions: the JSON schema of :class:`licencecmp.api.FactsModel`."""
    from licencecmp.api import FactsModel

    schema = FactsModel.model_json_schema()
    props = {name: _not_null(prop) for name, prop in schema["properties"].items()}
    return props, schema.get("$defs", {})


def _not_null(prop: dict[str, Any]) -> dict[str, Any]:
    """A fact's schema without its ``null`` branch, title and default: a fact left out is not stated, so
    ``null`` is never needed (it is still taken, as left out), and a plain ``type`` is what clients read
    to convert a typed-in value (the inspector's ``--tool-arg mau=800000000``)."""
    out = {k: v for k, v in prop.items() if k not in ("title", "default", "anyOf")}
    branches = [b for b in prop.get("anyOf", []) if b.get("type") != "null"]
    if len(branches) == 1:
        out = {**branches[0], **out}
    elif branches:
        out["anyOf"] = branches
    return out


def input_schema(spec: ToolSpec) -> dict[str, Any]:
    """The tool's JSON schema: its arguments (and the scenario facts), no other property."""
    props = dict(spec.params)
    schema: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if spec.facts:
        facts, defs = _facts_schema()
        props.update(facts)
        if defs:
            schema["$defs"] = defs
    if spec.required:
        schema["required"] = list(spec.required)
    return schema


def _conforms(value: Any, schema: Mapping[str, Any], defs: Mapping[str, Any]) -> bool:
    """Whether ``value`` fits the parts of JSON Schema these tools use (type, anyOf, enum, items, $ref)."""
    if "$ref" in schema:
        return _conforms(value, defs.get(str(schema["$ref"]).rsplit("/", 1)[-1], {}), defs)
    if "anyOf" in schema:
        return any(_conforms(value, s, defs) for s in schema["anyOf"])
    if "enum" in schema and value not in schema["enum"]:
        return False
    kind = schema.get("type")
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "null":
        return value is None
    if kind == "array":
        return isinstance(value, list) and all(_conforms(v, schema.get("items", {}), defs) for v in value)
    return True


def _expects(schema: Mapping[str, Any]) -> str:
    if "anyOf" in schema:
        return " or ".join(_expects(s) for s in schema["anyOf"])
    if "enum" in schema:
        return "one of " + ", ".join(map(str, schema["enum"]))
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1].lower()
    kind = str(schema.get("type", "a value"))
    return f"a list of {_expects(schema['items'])}s" if kind == "array" and "items" in schema else kind


def _sized(name: str, value: Any, depth: int = 0) -> None:
    """Refuse an oversized argument before anything reads it."""
    if isinstance(value, str) and len(value) > MAX_STRING:
        raise InputError(f"argument {name!r} is too long ({len(value):,} characters; at most {MAX_STRING:,})")
    if isinstance(value, (list, dict)):
        if len(value) > MAX_ITEMS or depth > 2:
            raise InputError(f"argument {name!r} is too large (at most {MAX_ITEMS} items, nested at most twice)")
        for item in value.values() if isinstance(value, dict) else value:
            _sized(name, item, depth + 1)


def check_arguments(spec: ToolSpec, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """The call's arguments, checked: every name known (else the nearest names), every value of its
    schema's type and within the caps, the required ones present.

    Raises:
        InputError: one line, echoing at most :data:`ECHO` characters of any value.
    """
    from licencecmp.text import nearest

    known = spec.names()
    if len(arguments) > len(known):
        raise InputError(f"{spec.name} takes at most {len(known)} arguments ({len(arguments)} given): "
                         + ", ".join(known))
    for name in arguments:
        if name not in known:
            meant = [RENAMED[name]] if RENAMED.get(name) in known else (
                nearest(name, known) if len(name) <= 100 else [])
            hint = f"; did you mean {' or '.join(repr(m) for m in meant)}?" if meant else ""
            raise InputError(f"{spec.name} has no argument {_short(name)}{hint} (arguments: {', '.join(known)})")
    props = input_schema(spec)
    defs = props.get("$defs", {})
    for name, value in arguments.items():
        _sized(name, value)
        schema = props["properties"][name]
        if value is None and name not in spec.required:
            continue  # left out
        if not _conforms(value, schema, defs):
            raise InputError(f"argument {name!r} of {spec.name} must be {_expects(schema)} (got {_short(value)})")
    missing = [r for r in spec.required if arguments.get(r) is None]
    if missing:
        raise InputError(f"{spec.name} needs {', '.join(repr(m) for m in missing)}")
    return {k: v for k, v in arguments.items() if v is not None}


# -- compact answers -------------------------------------------------------------------------------------


def _label(ev: Mapping[str, Any]) -> str:
    """A clause's label, as :attr:`Citation.label` writes it: ``llama-3.1 §2``, ``gemma §4 (policy)``."""
    part = "" if ev.get("text") in (None, "licence") else f" ({ev['text']})"
    return f"{ev['licence']} §{ev['section']}{part}" if ev.get("licence") else f"§{ev['section']}{part}"


def _labels(evidence: Any) -> list[str]:
    out: list[str] = []
    for ev in evidence if isinstance(evidence, list) else []:
        if isinstance(ev, dict) and "section" in ev and _label(ev) not in out:
            out.append(_label(ev))
    return out


def _obligation(o: Any) -> Any:
    if not isinstance(o, dict) or not (o.get("text") or o.get("wording")):
        return compact(o)
    clauses = _labels(o.get("evidence"))
    what = o.get("text") or o.get("wording")
    head = f"{o.get('id') or o.get('key')}: " if (o.get("id") or o.get("key")) else ""
    return f"{head}{what}" + (f" [{'; '.join(clauses)}]" if clauses else "")


def compact(value: Any, depth: int = 0) -> Any:
    """A result in an agent's measure: each quoted clause as its label (``llama-3.1 §2``), each
    obligation one line, nothing that is null or empty. The full form is the API's JSON."""
    if isinstance(value, dict):
        if "section" in value and "quote" in value:
            return _label(value)
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "evidence" and isinstance(item, list):
                labels = _labels(item)
                if labels:
                    out["clauses"] = labels
                continue
            if key in ("obligations", "flows") and isinstance(item, list):
                lines = [_obligation(o) for o in item]
                if lines:
                    out[key] = lines
                continue
            if key == "schema_version" and depth:
                continue
            small = compact(item, depth + 1)
            if small not in (None, [], {}, ""):
                out[key] = small
        return out
    if isinstance(value, (list, tuple)):
        return [compact(v, depth + 1) for v in value]
    return value


def _union(lists: Any) -> list[Any]:
    out: list[Any] = []
    for items in lists:
        out += [i for i in items or [] if i not in out]
    return out


def _combine_compact(full: dict[str, Any], _args: dict[str, Any]) -> dict[str, Any]:
    """``combine``: one verdict per action, the conditions per action, the reasons of each refusal, and the
    obligations and clauses once (not once per action)."""
    small = compact(full)
    decisions: dict[str, Any] = small.pop("decisions", {})
    out: dict[str, Any] = {**small, "verdicts": {a: d.get("verdict") for a, d in decisions.items()}}
    conditions = {a: d["conditions"] for a, d in decisions.items() if d.get("conditions")}
    refusals = {a: d["reasons"] for a, d in decisions.items()
                if d.get("verdict") not in ("allowed", "conditional") and d.get("reasons")}
    for key, value in (("conditions", conditions), ("reasons", refusals),
                       ("obligations", _union(d.get("obligations") for d in decisions.values())),
                       ("clauses", _union(d.get("clauses") for d in decisions.values()))):
        if value:
            out[key] = value
    return out


def _capped(items: list[Any], what: str, out: dict[str, Any], key: str) -> None:
    if items:
        out[key] = items[:MAX_LINES]
        if len(items) > MAX_LINES:
            out[f"{key}_omitted"] = f"{len(items) - MAX_LINES} more {what}; detail: \"full\" lists them all"


def _check_compact(full: dict[str, Any], _args: dict[str, Any]) -> dict[str, Any]:
    """``check``'s summary and its failures (one line each), not the whole report."""
    def where(f: dict[str, Any]) -> str:
        locs = f.get("locations") or []
        if not locs:
            return full.get("policy") or "."
        first = locs[0]
        more = f" (+{len(locs) - 1} more)" if len(locs) > 1 else ""
        return f"{first['path']}:{first['line']}{more}"

    failures = [f"{where(f)}: {f.get('kind') or f.get('rule')} {f.get('model') or '-'} {f.get('licence') or '-'}: "
                + " ".join(str(f.get("message", "")).split())
                for f in full.get("findings", []) if f.get("level") == "error" and not f.get("waived_by")]
    warnings = [f"{where(f)}: {f.get('kind') or f.get('rule')} {f.get('model') or '-'}: "
                + " ".join(str(f.get("message", "")).split())
                for f in full.get("findings", []) if f.get("level") == "warning" and not f.get("waived_by")
                and f.get("rule") != "obligations"]
    errors = [f"{e['path']}{':' + str(e['line']) if e.get('line') else ''}: {' '.join(str(e['message']).split())}"
              for e in full.get("errors", [])]
    out: dict[str, Any] = {"root": full.get("root"), "policy": full.get("policy"), "exit_code": full.get("exit_code"),
                           "actions": full.get("actions"), "scenario": compact(full.get("scenario")),
                           "summary": {k: v for k, v in full.get("summary", {}).items() if v}}
    _capped(failures, "failures", out, "failures")
    _capped(errors, "files that could not be understood", out, "errors")
    _capped(warnings, "warnings", out, "warnings")
    models = [f"{m['model']}: {' AND '.join(m.get('licences') or []) or 'unknown'} ({m.get('resolution')}) "
              f"{m.get('verdict') or '-'} {m.get('status')}" for m in full.get("models", [])]
    _capped(models, "models", out, "models")
    return {k: v for k, v in out.items() if v not in (None, [], {}, "")}


def answer(spec: ToolSpec, result: Any, detail: str) -> dict[str, Any]:
    """The tool's structured answer: the API result as JSON, compact unless ``detail`` is full."""
    dump = getattr(result, "model_dump_json", None)
    full: dict[str, Any] = json.loads(dump()) if dump is not None else result
    if detail == "full":
        return full
    return spec.compact(full, {}) if spec.compact is not None else compact(full)


def text_of(value: Any, indent: str = "") -> str:
    """A compact answer as plain lines (``key: value``, ``- item``): the text content of a tool result."""
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{indent}{key}:")
                lines.append(text_of(item, indent + "  "))
            else:
                lines.append(f"{indent}{key}: {item}")
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                body = text_of(item, indent + "  ").lstrip()
                lines.append(f"{indent}- {body}")
            else:
                lines.append(f"{indent}- {item}")
    else:
        lines.append(f"{indent}{value}")
    return "\n".join(lines)


# -- the table ---------------------------------------------------------------------------------------------


def _api() -> Any:
    import licencecmp.api as api

    return api


def _facts(args: dict[str, Any], spec: ToolSpec) -> dict[str, Any]:
    return {k: v for k, v in args.items() if k not in spec.params and v is not None}


def _string(description: str, **extra: Any) -> dict[str, Any]:
    return {"type": "string", "maxLength": MAX_STRING, "description": description, **extra}


def _actions() -> list[str]:
    from licencecmp.vocab import Action

    return [a.value for a in Action]


_ONLINE = {"type": "boolean", "default": False, "description": ONLINE}
_DETAIL = {"type": "string", "enum": ["compact", "full"], "default": "compact", "description": DETAIL}


def _tools() -> dict[str, ToolSpec]:
    specs: list[ToolSpec] = []

    def can(a: dict[str, Any]) -> Any:
        return _api().can(a["licence"], a["action"], online=a.get("online", False), **_facts(a, CAN))

    CAN = ToolSpec(  # a constant of this table
        "can", "May I?", "May I do ACTION with LICENCE under these facts? A verdict (allowed, conditional, "
        "unclear, needs-permission, prohibited) with its conditions, obligations and the clauses it rests on. A "
        "fact left out is not stated: the answer names the condition that depends on it. A model's upstream "
        "licences also apply.",
        {"licence": _string(LICENCE), "action": _string("The action.", enum=_actions()), "online": _ONLINE,
         "detail": _DETAIL},
        can, required=("licence", "action"), facts=True)
    specs.append(CAN)
    specs.append(ToolSpec(
        "show", "Every term of a licence", "Every rule and obligation of one licence (a model's own licence), "
        "with the clause behind each.",
        {"licence": _string(LICENCE), "online": _ONLINE, "detail": _DETAIL},
        lambda a: _api().show(a["licence"], online=a.get("online", False)), required=("licence",)))

    def compare(a: dict[str, Any]) -> Any:
        names = a["licences"]
        return _api().compare([names] if isinstance(names, str) else names, a.get("actions"),
                              facts=a.get("columns"), online=a.get("online", False), **_facts(a, COMPARE))

    COMPARE = ToolSpec(
        "compare", "Compare licences", "A comparison table: one row per licence or model, one cell per action "
        "with the verdict and its short condition (the fields of `licencecmp compare --format json`).",
        {"licences": {**NAMES, "description": "Licences or models, one row each: " + LICENCE},
         "actions": {"type": "array", "items": {"type": "string", "enum": _actions()}, "maxItems": MAX_ITEMS,
                     "description": "The action columns (default: every action)."},
         "columns": {"type": "array", "items": {"type": "string"}, "maxItems": MAX_ITEMS,
                     "description": "The fact columns: kind, threshold, territory, attribution, name-prefix, "
                     "openness (default: all; [] for none)."},
         "online": _ONLINE, "detail": _DETAIL},
        compare, required=("licences",), facts=True)
    specs.append(COMPARE)
    specs.append(ToolSpec(
        "compat", "Release under another licence?", "May a derivative of a work under UPSTREAM be released "
        "under OUTBOUND alone?",
        {"upstream": _string("The licence (or model) of the work you build on. " + LICENCE),
         "outbound": _string("The licence you want to release under."), "online": _ONLINE, "detail": _DETAIL},
        lambda a: _api().compat(a["upstream"], a["outbound"], online=a.get("online", False)),
        required=("upstream", "outbound")))

    def combine(a: dict[str, Any]) -> Any:
        return _api().combine(base=a.get("base"), teacher=a.get("teacher"), merge=a.get("merge"),
                              data=a.get("data"), online=a.get("online", False), **_facts(a, COMBINE))

    role = "One licence or model, or a list: "
    COMBINE = ToolSpec(
        "combine", "Terms of a model built from others", "The terms that bind a model built from others "
        "(fine-tuned, distilled, merged, trained on data): a verdict per action, thresholds, exclusions and "
        "conflicts. Name at least one input.",
        {"base": {**NAMES, "description": role + "fine-tuned from."},
         "teacher": {**NAMES, "description": role + "whose outputs trained the model."},
         "merge": {**NAMES, "description": role + "weights merged in."},
         "data": {**NAMES, "description": role + "licensed training data."}, "online": _ONLINE, "detail": _DETAIL},
        combine, facts=True, compact=_combine_compact)
    specs.append(COMBINE)
    specs.append(ToolSpec(
        "openness", "Open source?", "Is LICENCE an open-source licence? Each failing Open Source Definition "
        "criterion, cited.", {"licence": _string(LICENCE), "online": _ONLINE, "detail": _DETAIL},
        lambda a: _api().openness(a["licence"], online=a.get("online", False)), required=("licence",)))
    specs.append(ToolSpec(
        "resolve", "Where a model's licence comes from", "The licence of a model and where it came from (the "
        "resolution chain: registry, lock, local cache, inferred re-upload, the Hub when online), the upstream "
        "licences that also apply, and its base models with their licences.",
        {"licence": _string("A Hugging Face model id, or a licence id or alias."), "online": _ONLINE,
         "detail": _DETAIL},
        lambda a: _api().resolve(a["licence"], online=a.get("online", False)), required=("licence",)))
    specs.append(ToolSpec(
        "check", "Check a repository", "licencecmp check: every model a repository uses, judged against its "
        "policy. Compact: the summary, the failures and one line per model; detail \"full\" gives the whole "
        "report.",
        {"path": _string("The folder to scan (on the server's machine)."),
         "policy": _string("A policy file (default: found in PATH as the CLI finds it)."),
         "online": {**_ONLINE, "description": "Allow network look-ups (default: offline)."}, "detail": _DETAIL},
        lambda a: _api().check(a.get("path", "."), a.get("policy"), online=a.get("online", False)),
        required=("path",), compact=_check_compact))
    return {s.name: s for s in specs}


class _Table(Mapping[str, ToolSpec]):
    """The tools by name, built on first use."""

    def _specs(self) -> dict[str, ToolSpec]:
        return _cached_tools()

    def __getitem__(self, name: str) -> ToolSpec:
        return self._specs()[name]

    def __iter__(self) -> Any:
        return iter(self._specs())

    def __len__(self) -> int:
        return len(self._specs())


@cache
def _cached_tools() -> dict[str, ToolSpec]:
    return _tools()


TOOLS: Mapping[str, ToolSpec] = _Table()
"""Every tool by name: can, show, compare, compat, combine, openness, resolve, check."""
