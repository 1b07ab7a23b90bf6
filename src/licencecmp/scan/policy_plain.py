"""A policy without pydantic: what ``licencecmp check`` reads of a well-formed policy at start-up.

The pydantic models of :mod:`licencecmp.scan.policy_model` are the one declaration of a policy (its keys,
types, constraints, aliases and defaults, the validator of every input and the source of its JSON Schema).
Importing ``pydantic.main`` costs about as much as the whole start-up of a command, so the policy a
check applies is a plain record (:mod:`licencecmp.scan.records`, generated from the models by
``python -m licencecmp.scan.gen_records``), and a policy is read by :func:`fast_validate`: it walks
a description of the models' validation (``POLICY_SPEC`` in the records module, generated from the
models' pydantic core schema) and ACCEPTS only values it can prove conform: the exact types TOML gives
(a ``str``, an ``int`` that is not a ``bool``, a ``list``, a table, a date), the enums' values, the
literals, the bounds, the aliases (one per field), the defaults, and the checks of the models'
validators. Anything else (a wrong type, a ``bool`` for an int, an unknown key, a key given under two
aliases, a value pydantic would have to coerce) gives ``None``: the caller then validates with the
pydantic model, so every error message is pydantic's. A property test proves that whatever this
accepts, pydantic accepts, into an equal policy.

Here too lives the behaviour the models and their records share (the mixins).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from licencecmp.facts import FACTS
from licencecmp.vocab import Action

__all__ = ["DEFAULT_MAX_FILE_SIZE", "POLICY_FACTS", "LicenceSelectorMethods", "PolicyMethods", "WaiverMethods",
           "fast_validate"]

DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024

POLICY_FACTS = tuple(f for f in FACTS if f.in_policy)
"""The scenario facts a policy may state: each is a key of the policy and goes to make_scenario."""


class LicenceSelectorMethods:
    __slots__ = ()
    if TYPE_CHECKING:
        licences: list[str]
        kinds: list[Any]
        open_source: bool | None

    def empty(self) -> bool:
        return not self.licences and not self.kinds and self.open_source is None


class WaiverMethods:
    __slots__ = ()
    if TYPE_CHECKING:
        model: str | None
        licence: str | None
        expires: _dt.date

    def names_one_subject(self) -> bool:
        """A waiver names exactly one of model or licence (the model's validator and the fast one check it)."""
        return (self.model is None) != (self.licence is None)

    @property
    def subject(self) -> str:
        return f"model {self.model}" if self.model else f"licence {self.licence}"

    def expired(self, today: _dt.date) -> bool:
        return today > self.expires


class PolicyMethods:
    __slots__ = ()
    if TYPE_CHECKING:
        allow_unknown: bool
        unknown: str
        actions: list[Action]
        overrides: list[Any]  # the records of Override (scan/records.py, which imports this module)

    @property
    def unknown_warns(self) -> bool:
        """A model whose licence is unknown warns instead of failing (``unknown = "warn"`` or allow_unknown)."""
        return self.allow_unknown or self.unknown == "warn"

    def actions_for(self, model: str) -> list[Action]:
        folded = model.casefold()
        for ov in self.overrides:
            if ov.model.casefold() == folded:
                return list(ov.actions)
        return list(self.actions)


# -- the fast validator -------------------------------------------------------------------------

_NO: Any = object()  # not proven: pydantic decides
_EXACT = 2**53  # the ints a float holds exactly (a larger one: pydantic decides, and may refuse it)


def _bounded(v: float, bounds: tuple[Any, Any, Any, Any]) -> bool:
    ge, gt, le, lt = bounds
    return ((ge is None or v >= ge) and (gt is None or v > gt) and (le is None or v <= le)
            and (lt is None or v < lt))


def _str(spec: tuple[Any, ...], v: Any) -> Any:
    """("str", min_length, max_length): an exact str, in bounds."""
    if type(v) is str and (spec[1] is None or len(v) >= spec[1]) and (spec[2] is None or len(v) <= spec[2]):
        return v
    return _NO


def _int(spec: tuple[Any, ...], v: Any) -> Any:
    """("int", (ge, gt, le, lt)): an int, not a bool."""
    return v if type(v) is int and _bounded(v, spec[1]) else _NO


def _float(spec: tuple[Any, ...], v: Any) -> Any:
    """("float", (ge, gt, le, lt)): a finite float, or an int a float holds exactly, as a float."""
    if type(v) is int and -_EXACT <= v <= _EXACT:
        v = float(v)
    return v if type(v) is float and math.isfinite(v) and _bounded(v, spec[1]) else _NO


def _bool(spec: tuple[Any, ...], v: Any) -> Any:
    return v if type(v) is bool else _NO


def _enum(spec: tuple[Any, ...], v: Any) -> Any:
    """("enum", cls, {value: member}): a member, or an exact str value."""
    if type(v) is spec[1]:
        return v
    return spec[2].get(v, _NO) if type(v) is str else _NO


def _literal(spec: tuple[Any, ...], v: Any) -> Any:
    """("literal", (str, ...))."""
    return v if type(v) is str and v in spec[1] else _NO


def _date(spec: tuple[Any, ...], v: Any) -> Any:
    return v if type(v) is _dt.date else _NO


def _nullable(spec: tuple[Any, ...], v: Any) -> Any:
    return None if v is None else _value(spec[1], v)


def _list(spec: tuple[Any, ...], v: Any) -> Any:
    """("list", item, min_length, max_length): a list whose every item is valid."""
    if type(v) is not list or (spec[2] is not None and len(v) < spec[2]) or (
            spec[3] is not None and len(v) > spec[3]):
        return _NO
    out = []
    for item in v:
        got = _value(spec[1], item)
        if got is _NO:
            return _NO
        out.append(got)
    return out


def _value(spec: tuple[Any, ...], v: Any) -> Any:
    """``v`` validated by ``spec`` (a node of POLICY_SPEC), or _NO."""
    return _NODES[spec[0]](spec, v)


def _model(spec: tuple[Any, ...], v: Any) -> Any:
    """("model", record class, fields, keys, check): a table with known keys only, each field under one
    of its names, or left out when it has a default."""
    _, cls, fields, keys, check = spec
    if type(v) is not dict or not keys.issuperset(v):
        return _NO
    values: dict[str, Any] = {}
    for name, names, inner, default in fields:
        given = [k for k in names if k in v]
        if len(given) > 1:
            return _NO
        if given:
            got = _value(inner, v[given[0]])
            if got is _NO:
                return _NO
            values[name] = got
        elif default is None:  # required
            return _NO
        else:
            values[name] = default()
    record = cls.model_construct(**values)
    return _NO if check is not None and not check(record) else record


_NODES: dict[str, Callable[[tuple[Any, ...], Any], Any]] = {
    "str": _str, "int": _int, "float": _float, "bool": _bool, "enum": _enum, "literal": _literal, "date": _date,
    "nullable": _nullable, "list": _list, "model": _model,
}
"""The kinds of node the generator writes (scan/gen_records.py), each with its check."""


def fast_validate(spec: tuple[Any, ...], data: Any) -> Any:
    """The record of ``data`` if :data:`spec <licencecmp.scan.records.POLICY_SPEC>` proves it valid,
    else None (validate it with the pydantic model)."""
    got = _model(spec, data)
    return None if got is _NO else got


