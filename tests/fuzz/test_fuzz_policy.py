"""Fuzz: the policy file (licencecmp.toml) and the [tool.licencecmp] section of pyproject.toml.

Generated documents (policy keys with values of the right and the wrong types), byte-mutated
starter and full policies, and pyproject files around them: ``load_policy`` gives a policy or a
PolicyError (a LicencecmpError naming file, key and line), ``find_policy`` a path, None or a
PolicyError; the line lookup never fails.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.errors import LicencecmpError
from licencecmp.scan import policy

from ._support import bulk, fuzz_settings, json_values, mutated, outcome, scratch, toml_document

FULL = '''\
mau = 2_000_000
monthly_revenue = 10_000.5
annual_revenue = 120_000
domicile = "DE"
used_in = ["EU", "US"]
modality = "text"
commercial = true
actions = ["use", "commercial-use", "serve"]
allow = { licences = ["mit", "llama-3.1"], kinds = ["permissive"], open_source = true }
deny = { kinds = ["non-commercial"] }
allow_unknown = false
fail_on_unclear = true
exclude = ["tests/fixtures/", "*.bin"]
max_file_size = 1_000_000
models = [
  { id = "meta-llama/Llama-3.1-8B" },
  { id = "acme/private", licence = "mit" },
  { id = "acme/other", license = "mit OR llama-3.1" },
]

[[overrides]]
model = "meta-llama/Llama-3.1-8B"
actions = ["use"]

[[waivers]]
model = "acme/private"
actions = ["serve"]
reason = "ticket LEGAL-1"
expires = 2030-01-01

[[waivers]]
licence = "llama-3.1"
reason = "ticket LEGAL-2"
expires = 2020-01-01
'''
SEEDS = [FULL.encode(), policy.starter_policy().encode(), policy.starter_policy(pyproject=True).encode(), b""]

KEYS = ["mau", "monthly_revenue", "annual_revenue", "domicile", "used_in", "modality", "commercial", "actions",
        "allow", "deny", "allow_unknown", "fail_on_unclear", "models", "overrides", "waivers", "exclude",
        "max_file_size", "licenses", "unknown_key"]
plausible = st.one_of(
    st.integers(-5, 10**12), st.floats(allow_nan=True), st.booleans(),
    st.sampled_from(["DE", "EU", "XX", "", "use", "serve", "train-on-outputs", "mit", "llama-3.1", "nope",
                     "meta-llama/Llama-3.1-8B", "text", "multimodal"]),
    st.lists(st.sampled_from(["use", "serve", "fly", "DE", "EU", "mit", "*.py", "[", "!x"]), max_size=4),
    st.dates(min_value=_dt.date(1900, 1, 1), max_value=_dt.date(2200, 1, 1)),
    st.fixed_dictionaries({}, optional={"licences": st.lists(st.sampled_from(["mit", "llama-3.1", "zzz"])),
                                        "kinds": st.lists(st.sampled_from(["permissive", "community", "odd"])),
                                        "open_source": st.booleans(), "id": st.text(max_size=20),
                                        "model": st.text(max_size=20), "licence": st.text(max_size=20),
                                        "reason": st.text(max_size=10), "expires": st.dates(),
                                        "actions": st.lists(st.sampled_from(["use", "serve", "x"]))}),
    json_values(10),
)
policy_dicts = st.dictionaries(st.sampled_from(KEYS), plausible, max_size=8)
list_tables = st.dictionaries(st.sampled_from(["models", "overrides", "waivers"]),
                              st.lists(st.dictionaries(st.sampled_from(["id", "model", "licence", "license", "actions",
                                                                        "reason", "expires", "x"]), plausible,
                                                       max_size=5), min_size=1, max_size=3), max_size=2)

# Well-typed documents, so that examples also get past the schema to the id and country checks.
ids = st.sampled_from(["mit", "llama-3.1", "MIT", "llama3.1", "Apache-2.0 OR MIT", "zzz", "", "(", "mit AND"])
actions = st.lists(st.sampled_from(["use", "commercial-use", "serve", "train-on-outputs", "distribute"]),
                   min_size=1, max_size=3)
countries = st.sampled_from(["DE", "US", "EU", "EEA", "gb", "XX", "", "europe"])
models = st.sampled_from(["meta-llama/Llama-3.1-8B", "meta-llama/llama-3.1-8b", "acme/x", "x", " "])
selector = st.fixed_dictionaries({}, optional={
    "licences": st.lists(ids, max_size=3), "kinds": st.lists(st.sampled_from(["permissive", "community"]), max_size=2),
    "open_source": st.booleans()})
typed = st.fixed_dictionaries({}, optional={
    "mau": st.integers(0, 10**10), "monthly_revenue": st.floats(0, 1e12), "annual_revenue": st.integers(0, 10**12),
    "domicile": countries, "used_in": st.lists(countries, max_size=3), "modality": st.sampled_from(["text",
                                                                                                   "multimodal"]),
    "commercial": st.booleans(), "actions": actions, "allow": selector, "deny": selector,
    "allow_unknown": st.booleans(), "fail_on_unclear": st.booleans(),
    "exclude": st.lists(st.sampled_from(["*.py", "tests/", "!keep.py", "[", "**", "\\"]), max_size=3),
    "max_file_size": st.integers(1, 10**9),
    "models": st.lists(st.fixed_dictionaries({"id": models}, optional={"licence": ids}), max_size=3),
    "overrides": st.lists(st.fixed_dictionaries({"model": models, "actions": actions}), max_size=2),
    "waivers": st.lists(st.fixed_dictionaries(
        {"reason": st.sampled_from(["ok", ""]), "expires": st.dates(min_value=_dt.date(2000, 1, 1),
                                                                      max_value=_dt.date(2100, 1, 1))},
        optional={"model": models, "licence": ids, "actions": actions}), max_size=2),
})


def _load(path: Path) -> Any:
    return policy.load_policy(path)


def _check(result: Any) -> None:
    if isinstance(result, LicencecmpError):
        assert isinstance(result, policy.PolicyError) or str(result)
        return
    pol, source = result
    assert isinstance(pol, policy.Policy)
    for loc in (("actions",), ("waivers", 0, "expires"), ("models", 3, "id"), ("nope",), ()):
        line = source.line_of(loc)
        assert line is None or line >= 1


@fuzz_settings()
@given(st.one_of(typed, st.builds(lambda a, b: {**a, **b}, policy_dicts, list_tables)))
def test_generated_policy_files(doc: dict[str, Any]) -> None:
    with scratch() as d:
        path = d / "licencecmp.toml"
        path.write_text(toml_document(doc), encoding="utf-8")
        _check(outcome(lambda: _load(path)))


@fuzz_settings()
@given(st.one_of(st.sampled_from(SEEDS).flatmap(mutated), bulk()))
def test_mutated_policy_files(data: bytes) -> None:
    with scratch() as d:
        path = d / "licencecmp.toml"
        path.write_bytes(data)
        _check(outcome(lambda: _load(path)))
        found = outcome(lambda: policy.find_policy(d))
        assert isinstance(found, (Path, LicencecmpError)) or found is None


@fuzz_settings()
@given(st.one_of(typed, st.builds(lambda a, b: {**a, **b}, policy_dicts, list_tables)), json_values(10),
       st.sampled_from(["table", "inline", "not-a-table", "missing", "both-files"]))
def test_pyproject_sections(doc: dict[str, Any], other: Any, shape: str) -> None:
    with scratch() as d:
        py = d / "pyproject.toml"
        if shape == "table":
            text = toml_document({"project": {"name": "x", "junk": other}}) + "\n[tool.licencecmp]\n" + \
                toml_document(doc).split("\n[", 1)[0]
        elif shape == "inline":
            text = toml_document({"tool": {"licencecmp": doc, "other": other}})
        elif shape == "not-a-table":
            text = toml_document({"tool": {"licencecmp": other}})
        else:
            text = toml_document({"project": {"name": "x"}, "tool": {"black": {"line-length": 1}}})
        py.write_text(text, encoding="utf-8")
        if shape == "both-files":
            (d / "licencecmp.toml").write_text(toml_document(doc), encoding="utf-8")
        found = outcome(lambda: policy.find_policy(d))
        if isinstance(found, Path):
            _check(outcome(lambda: _load(found)))
        _check(outcome(lambda: _load(py)))


@fuzz_settings()
@given(st.sampled_from(SEEDS[:1]).flatmap(lambda s: mutated(s, max_ops=3)))
def test_mutated_pyproject(data: bytes) -> None:
    with scratch() as d:
        py = d / "pyproject.toml"
        py.write_bytes(b"[project]\nname = \"x\"\n\n[tool.licencecmp]\n" + data)
        found = outcome(lambda: policy.find_policy(d))
        assert isinstance(found, (Path, LicencecmpError)) or found is None
        _check(outcome(lambda: _load(py)))
