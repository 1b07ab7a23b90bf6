"""The fast validator of a policy (scan/policy_plain.py) accepts only what pydantic accepts, into an equal
policy: a property over random policy tables, valid and invalid (wrong types, bools for ints, floats that
are not finite, extra keys, both spellings of an aliased key, missing required keys, bad dates). The same
property finds a counterexample in a spec with a planted break, so it can fail."""

from __future__ import annotations

import datetime as _dt
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, find, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from licencecmp.scan import gen_records, records
from licencecmp.scan.policy import Policy, load_policy, starter_policy
from licencecmp.scan.policy_plain import fast_validate
from licencecmp.scan.records import POLICY_SPEC
from licencecmp.vocab import Action, Kind, Modality, Purpose

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_WORDS = [*(a.value for a in Action), *(k.value for k in Kind), *(m.value for m in Modality),
          *(p.value for p in Purpose), "fail", "warn", "list", "judge", "", "x", "DE", "EU", "mit", "USE"]
_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.integers(0, 2**41), st.integers(),
    st.sampled_from([0, 1, 2**40, 2**40 + 1, 2**53, 2**53 + 1, 2**64, 10**400, -(10**400)]),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(_WORDS), st.text(max_size=3),
    st.dates(), st.datetimes(), st.sampled_from([_dt.date(2026, 12, 31), "2026-12-31"]),
    st.sampled_from(list(Action)),
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3), max_leaves=6)
_SELECTOR_KEYS = ["licences", "licenses", "kinds", "open_source", "junk"]
_DECL_KEYS = ["id", "licence", "license", "junk"]
_OVERRIDE_KEYS = ["model", "actions", "junk"]
_WAIVER_KEYS = ["model", "licence", "license", "actions", "reason", "expires", "junk"]


def _table(keys: list[str], values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.sampled_from(keys), values, max_size=len(keys))


def _good(key: str) -> st.SearchStrategy[Any]:
    """Values of the right shape for a key (often valid), so that the acceptance side is explored."""
    words = {"licences": st.lists(st.sampled_from(["mit", "apache-2.0", ""]), max_size=2),
             "kinds": st.lists(st.sampled_from([k.value for k in Kind] + ["nope"]), max_size=2),
             "actions": st.lists(st.sampled_from([a.value for a in Action] + ["nope"]), max_size=2),
             "model": st.sampled_from(["a/b", "", None]), "licence": st.sampled_from(["mit", "", None]),
             "license": st.sampled_from(["mit", ""]), "id": st.sampled_from(["a/b", ""]),
             "reason": st.sampled_from(["ok", ""]), "expires": st.sampled_from([_dt.date(2027, 1, 1), "2027-01-01"]),
             "open_source": st.sampled_from([True, False, None, 1])}
    return words.get(key, _values)


def _nested(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.fixed_dictionaries({}, optional={k: st.one_of(_good(k), _values) for k in keys})


_fields = {
    "mau": st.one_of(st.integers(-2, 10**12), _values), "monthly_revenue": _values,
    "annual_revenue": st.one_of(st.sampled_from([10**400, 2**53 + 1, 2**53, 1.5, 10, 0, -1, -0.5]), _values),
    "domicile": st.one_of(st.sampled_from(["DE", "us"]), _values), "used_in": st.one_of(st.just(["EU"]), _values),
    "modality": st.one_of(st.sampled_from(["text", "multimodal"]), _values),
    "commercial": st.one_of(st.booleans(), _values), "purpose": st.one_of(st.just(["research"]), _values),
    "actions": st.one_of(_good("actions"), _values), "allow": st.one_of(_nested(_SELECTOR_KEYS), _values),
    "deny": _nested(_SELECTOR_KEYS), "allow_unknown": st.one_of(st.booleans(), _values),
    "unknown": st.one_of(st.sampled_from(["fail", "warn"]), _values),
    "catalogues": st.sampled_from(["list", "judge", "other"]), "strict": st.booleans(),
    "models": st.one_of(st.lists(_nested(_DECL_KEYS), max_size=2), _values),
    "overrides": st.lists(_nested(_OVERRIDE_KEYS), max_size=2),
    "waivers": st.one_of(st.lists(_nested(_WAIVER_KEYS), max_size=2), _values),
    "exclude": st.one_of(st.just(["a/"]), _values), "baseline": st.one_of(st.sampled_from(["b.toml", ""]), _values),
    "max_file_size": st.one_of(st.integers(-1, 2**41), _values), "junk": _values,
}
# Values of the right shape for each key, at and around its bounds, so that the fast validator's acceptance
# is explored as much as its refusals.
_shaped = {
    "mau": st.sampled_from([0, 5, -1, 2**53 + 1, 10**400]), "annual_revenue": st.sampled_from([0, 10, 1.5, -1, -0.5]),
    "monthly_revenue": st.floats(-2, 2**60), "domicile": st.sampled_from(["DE", "us"]), "used_in": st.just(["EU"]),
    "modality": st.sampled_from(["text", "multimodal", "TEXT"]), "commercial": st.sampled_from([True, False, 0]),
    "purpose": st.lists(st.sampled_from([p.value for p in Purpose] + ["x"]), max_size=2),
    "actions": _good("actions"), "allow": _nested(_SELECTOR_KEYS[:4]), "deny": _nested(_SELECTOR_KEYS[:4]),
    "unknown": st.sampled_from(["fail", "warn", "Warn"]), "catalogues": st.sampled_from(["list", "judge"]),
    "models": st.lists(_nested(_DECL_KEYS[:3]), max_size=2),
    "overrides": st.lists(_nested(_OVERRIDE_KEYS[:2]), max_size=2),
    "waivers": st.lists(_nested(_WAIVER_KEYS[:6]), max_size=2), "exclude": st.lists(st.text(max_size=2), max_size=2),
    "baseline": st.sampled_from(["b.toml", "", "x" * 4097]), "max_file_size": st.sampled_from([1, 0, 2**40, 2**40 + 1]),
}
policies = st.one_of(st.fixed_dictionaries({}, optional=_fields), st.fixed_dictionaries({}, optional=_shaped),
                     _values)


def _disagreement(spec: tuple[Any, ...], data: Any) -> str | None:
    """Why the fast validator's answer for ``data`` is wrong, or None: it refused (pydantic decides), or it
    accepted and pydantic accepts into the same policy (the same values, of the same types)."""
    fast = fast_validate(spec, data)
    if fast is None:
        return None
    try:
        slow = Policy.model_validate(data)
    except ValidationError as exc:
        return f"accepted what pydantic refuses: {exc.errors()[0]['msg']}"
    if fast != slow or repr(fast) != repr(slow):  # repr: 1 and 1.0, 'use' and Action.USE differ
        return f"{fast!r} != {slow!r}"
    return None


@settings(max_examples=400, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(policies)
def test_what_the_fast_validator_accepts_pydantic_accepts_equal(data: Any) -> None:
    assert _disagreement(POLICY_SPEC, data) is None


def _planted(spec: tuple[Any, ...], field: str, node: tuple[Any, ...]) -> tuple[Any, ...]:
    """``spec`` with one field's node replaced (a planted break)."""
    fields = tuple((name, names, node if name == field else inner, default)
                   for name, names, inner, default in spec[2])
    return (*spec[:2], fields, *spec[3:])


@pytest.mark.parametrize(("field", "node"), [
    ("annual_revenue", ("nullable", ("float", (None, None, None, None)))),  # ge=0 forgotten
    ("actions", ("list", ("enum", Action, {a.value: a for a in Action}), None, None)),  # min_length forgotten
    ("max_file_size", ("int", (None, None, None, None))),  # bounds forgotten
    ("mau", ("nullable", ("float", (0, None, None, None)))),  # an int field read as a float
])
def test_the_property_finds_a_planted_break(field: str, node: tuple[Any, ...]) -> None:
    broken = _planted(POLICY_SPEC, field, node)
    found = find(policies, lambda data: _disagreement(broken, data) is not None,
                 settings=settings(max_examples=2000, deadline=None, database=None, derandomize=True,
                                   suppress_health_check=list(HealthCheck)))
    assert _disagreement(broken, found) is not None


_WRITTEN = """
actions = ["use", "commercial-use", "serve"]
allow_unknown = true
mau = 1_000_000
annual_revenue = 600_000
domicile = "DE"
used_in = ["EU", "US"]
modality = "text"
commercial = true
purpose = ["research"]
unknown = "warn"
catalogues = "judge"
exclude = ["tests/fixtures/"]
max_file_size = 1_000_000
baseline = "licencecmp-baseline.toml"
allow = { licenses = ["mit", "apache-2.0"], kinds = ["permissive"], open_source = true }
deny = { kinds = ["non-commercial"] }
models = [{ id = "meta-llama/Llama-3.1-8B-Instruct" }, { id = "acme/private", license = "apache-2.0" }]

[[overrides]]
model = "meta-llama/Llama-3.1-8B-Instruct"
actions = ["use", "serve"]

[[waivers]]
licence = "llama-3.1"
actions = ["train-on-outputs"]
reason = "Written permission, ticket LEGAL-123"
expires = 2026-12-31
"""


@pytest.mark.parametrize("text", [starter_policy(), _WRITTEN, ""], ids=["starter", "written", "empty"])
def test_well_formed_policies_take_the_fast_path(text: str) -> None:
    """The policies a project writes (the starter, one with every kind of key) are proven valid without
    pydantic, into the policy pydantic gives."""
    data = tomllib.loads(text)
    fast = fast_validate(POLICY_SPEC, data)
    assert fast is not None
    assert fast == Policy.model_validate(data)
    assert repr(fast) == repr(Policy.model_validate(data))


def test_scan_records_file_is_current() -> None:
    assert gen_records.target().read_text(encoding="utf-8") == gen_records.render(), (
        "stale scan/records.py: run python -m licencecmp.scan.gen_records")


def test_the_policy_names_are_the_records() -> None:
    assert Policy is records.Policy
    assert load_policy(None)[0] == Policy.model_validate({})
