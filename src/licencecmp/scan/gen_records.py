"""Write :mod:`licencecmp.scan.records`: the plain records of the policy's and the report's pydantic models,
and ``POLICY_SPEC``, what the fast validator of a policy (:func:`licencecmp.scan.policy_plain.fast_validate`)
proves of a policy, derived from the pydantic core schema of :class:`licencecmp.scan.policy_model.Policy`.

    python -m licencecmp.scan.gen_records            # rewrite src/licencecmp/scan/records.py
    python -m licencecmp.scan.gen_records --check    # exit 1 if it is stale

A test fails when the file differs from what this writes (as for data/records.py, written by
``python -m licencecmp.data.compile`` with the same :class:`~licencecmp.data.gen_records.RecordWriter`).
The spec knows only the nodes of pydantic's core schema listed below, each with the keys it understands: a
model that gains a key, a constraint or a validator this does not know stops the generation here, rather
than letting the fast validator accept what pydantic would refuse.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from licencecmp.data.gen_records import RecordWriter, module_head, pairing
from licencecmp.scan import policy_model, report_model
from licencecmp.scan.policy_plain import LicenceSelectorMethods, PolicyMethods, WaiverMethods
from licencecmp.scan.report_plain import CheckReportMethods, FindingMethods, LocationMethods

__all__ = ["MODELS", "main", "policy_spec", "render", "target"]

MODELS: tuple[type, ...] = (*policy_model.MODELS, *report_model.MODELS)
_MIXINS: dict[str, type] = {"LicenceSelector": LicenceSelectorMethods, "Waiver": WaiverMethods,
                            "Policy": PolicyMethods, "Location": LocationMethods, "Finding": FindingMethods,
                            "CheckReport": CheckReportMethods}
# A model's validator the fast validator checks with the method of its mixin (False: not proven).
_CHECKS = {"Waiver._one_subject": "WaiverMethods.names_one_subject"}

# The keys of each node of the core schema the spec understands (others: refuse to generate).
_COMMON = {"type", "ref", "metadata", "serialization"}
_KEYS = {
    "str": {"strict", "min_length", "max_length"},
    "int": {"strict", "ge", "gt", "le", "lt"},
    "float": {"strict", "ge", "gt", "le", "lt"},
    "bool": {"strict"},
    "enum": {"cls", "members", "sub_type"},
    "literal": {"expected"},
    "date": {"strict"},
    "nullable": {"schema", "strict"},
    "list": {"items_schema", "min_length", "max_length", "strict"},
    "default": {"schema", "default"},
    "model": {"cls", "schema", "custom_init", "root_model", "config", "post_init"},
    "model-fields": {"fields", "model_name", "computed_fields"},
    "model-field": {"schema", "validation_alias", "serialization_alias", "serialization_exclude", "frozen"},
    "function-after": {"function", "schema"},
    "definition-ref": {"schema_ref"},
}


class _Spec:
    def __init__(self, writer: RecordWriter, definitions: Mapping[str, Any]) -> None:
        self.w = writer
        self.definitions = definitions

    def node(self, s: Mapping[str, Any]) -> str:
        kind = s["type"]
        unknown = set(s) - _COMMON - _KEYS.get(kind, set())
        if kind not in _KEYS or unknown:
            raise TypeError(f"the fast validator does not know the core schema node {kind!r} {sorted(unknown)}")
        if kind == "definition-ref":
            return self.node(self.definitions[s["schema_ref"]])
        if kind == "str":
            return f"('str', {s.get('min_length')!r}, {s.get('max_length')!r})"
        if kind in ("int", "float"):
            bounds = tuple(s.get(k) for k in ("ge", "gt", "le", "lt"))
            return f"({kind!r}, {bounds!r})"
        if kind == "bool":
            return "('bool',)"
        if kind == "date":
            return "('date',)"
        if kind == "enum":
            if s.get("sub_type") != "str":
                raise TypeError(f"an enum of {s.get('sub_type')}: not a str enum")
            name = self.w.type_(s["cls"])
            return f"('enum', {name}, {{m.value: m for m in {name}}})"
        if kind == "literal":
            if not all(type(v) is str for v in s["expected"]):
                raise TypeError("a literal of values that are not all str")
            return f"('literal', {tuple(s['expected'])!r})"
        if kind == "nullable":
            return f"('nullable', {self.node(s['schema'])})"
        if kind == "list":
            return f"('list', {self.node(s['items_schema'])}, {s.get('min_length')!r}, {s.get('max_length')!r})"
        if kind == "function-after":
            inner = s["schema"]
            qualname = getattr(s["function"].get("function"), "__qualname__", "")
            if inner.get("type") != "model" or qualname not in _CHECKS:
                raise TypeError(f"a validator the fast validator does not know: {qualname or s['function']!r}")
            return self.model(inner, _CHECKS[qualname])
        if kind == "model":
            return self.model(s, None)
        raise TypeError(f"the core schema node {kind!r} is not a value")

    def model(self, s: Mapping[str, Any], check: str | None) -> str:
        if s.get("config", {}).get("extra_fields_behavior") != "forbid" or s.get("custom_init") or s.get("root_model"):
            raise TypeError(f"{s['cls'].__name__}: only models that forbid extra keys, without custom init")
        fields_schema = s["schema"]
        if fields_schema["type"] != "model-fields" or fields_schema.get("computed_fields"):
            raise TypeError(f"{s['cls'].__name__}: not plain model fields")
        if set(fields_schema) - _COMMON - _KEYS["model-fields"]:
            raise TypeError(f"{s['cls'].__name__}: model-fields keys the fast validator does not know")
        fields: list[str] = []
        keys: list[str] = []
        for name, field in fields_schema["fields"].items():
            if set(field) - _COMMON - _KEYS["model-field"]:
                raise TypeError(f"{name}: field keys {sorted(set(field) - _COMMON - _KEYS['model-field'])}")
            alias = field.get("validation_alias")
            names = (name,) if alias is None else tuple(_one_key(a) for a in (
                alias if isinstance(alias, list) and alias and isinstance(alias[0], list) else [alias]))
            keys += names
            inner = field["schema"]
            default = "None"
            if inner["type"] == "default":
                if set(inner) - _COMMON - _KEYS["default"]:
                    raise TypeError(f"{name}: a default factory or option the fast validator does not know")
                default = f"lambda: {self.default(inner['default'])}"
                inner = inner["schema"]
            fields.append(f"({name!r}, {names!r}, {self.node(inner)}, {default})")
        cls = s["cls"].__name__
        body = "".join(f"\n    {f}," for f in fields)
        return (f"('model', {cls}, ({body}\n), frozenset({sorted(set(keys))!r}), "
                f"{check})").replace("\n", "\n    ")

    def default(self, value: Any) -> str:
        if hasattr(type(value), "__pydantic_fields__"):
            if value != type(value)():
                raise TypeError(f"a default instance with values: {value!r}")
            return f"{type(value).__name__}.model_construct()"
        return self.w.literal_value(value)


def _one_key(path: Any) -> str:
    if isinstance(path, str):
        return path
    if len(path) != 1 or not isinstance(path[0], str):
        raise TypeError(f"an alias path the fast validator does not know: {path!r}")
    return str(path[0])


def policy_spec(writer: RecordWriter) -> str:
    """The source of ``POLICY_SPEC``, from the core schema of the Policy model."""
    schema = policy_model.Policy.__pydantic_core_schema__
    definitions: dict[str, Any] = {}
    if schema["type"] == "definitions":
        definitions = {d["ref"]: d for d in schema["definitions"]}
        schema = schema["schema"]
    return _Spec(writer, definitions).node(schema)


def render() -> str:
    """The source of ``scan/records.py``."""
    w = RecordWriter(MODELS, mixins=_MIXINS, dict_backed=frozenset(),
                     trusted=frozenset(m.__name__ for m in report_model.MODELS))
    classes = pairing(MODELS, "scan.policy_model or scan.report_model", lists=True) + "\n\n\n".join(
        w.record(m) for m in MODELS)
    spec = policy_spec(w)
    modules: dict[str, list[str]] = {}
    for name, module in w.enums.items():
        modules.setdefault(module, []).append(name)
    policy_mixins = sorted(m.__name__ for m in _MIXINS.values() if m.__module__.endswith("policy_plain"))
    report_mixins = sorted(m.__name__ for m in _MIXINS.values() if m.__module__.endswith("report_plain"))
    head = module_head(
        w, ['"""Plain records of the pydantic models of a policy and of a check report, and the spec of the fast',
            "validator of a policy. GENERATED by ``python -m licencecmp.scan.gen_records`` from",
            ":mod:`licencecmp.scan.policy_model` and :mod:`licencecmp.scan.report_model`: do not edit (see",
            ':mod:`licencecmp.scan.policy_plain`, :mod:`licencecmp.scan.report_plain` and '
            ':mod:`licencecmp.data.plain`).'],
        "E501, I001, RUF022, RUF023, SIM401",
        ["from licencecmp.data.plain import Record",
         f"from licencecmp.data.records import {', '.join(sorted(w.external))}",
         *(f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(modules.items())),
         f"from licencecmp.scan.policy_plain import {', '.join(policy_mixins)}",
         f"from licencecmp.scan.report_plain import {', '.join(report_mixins)}"],
        [*(m.__name__ for m in MODELS), "POLICY_SPEC", "record_of"])
    helpers = "".join("\n\n\n" + h for h in w.helpers.values())
    tail = ("\n\n\n# What the fast validator proves of a policy (scan/policy_plain.py), from Policy's core schema.\n"
            f"POLICY_SPEC: tuple[Any, ...] = {spec}\n")
    return "\n".join(head) + classes + helpers + tail


def target() -> Path:
    return Path(__file__).with_name("records.py")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m licencecmp.scan.gen_records", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check that the file is current")
    args = parser.parse_args(argv)
    text, path = render(), target()
    if args.check:
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"{path} is stale: run python -m licencecmp.scan.gen_records", file=sys.stderr)
            return 1
        return 0
    tmp = path.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
