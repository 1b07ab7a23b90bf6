"""Plain records: what the answer path builds and reads, without pydantic.

Importing ``pydantic.main`` costs about as much as the whole floor of a CLI start-up, so the
objects an answer is made of (the loaded licences and registry entries, scenarios, decisions,
citations) are plain frozen classes with ``__slots__`` (those built for every question, scenarios
and decisions, keep their values in the instance dict instead, set in one step). They are
generated from the pydantic models (``python -m licencecmp.data.compile`` writes
:mod:`licencecmp.data.records`; a test fails when that file is stale), so the pydantic models
stay the one definition: the schema, the validator of every input and the source of the JSON Schema.

Imports point one way: the generated records import this module and, inside the functions that
validate or dump, their pydantic models (:mod:`licencecmp.data.schema`, :mod:`licencecmp.data.results`);
the models import this module and never the records; this module imports neither. So the pairing
of a model with its record (``records.record_of``) lives in the generated module, and the
mixins below are typed by what they read (protocols seen by type checkers only), not by the record classes.

A record behaves as its model does where the rest of the code needs it: equality and hashing by
value, ``model_copy(update=...)``, ``model_dump`` / ``model_dump_json`` (delegated to the pydantic
model, so the bytes are pydantic's), ``model_validate`` (validates with the model, returns a
record), ``model_fields`` and ``model_json_schema`` (the model's), and it may be a field of a
pydantic model (``__get_pydantic_core_schema__``). A record is not an instance of its model
(pydantic supports no virtual subclasses): tell the kinds of limit apart by their ``type``.

This module is also where the behaviour shared by a model and its record lives (the mixins).
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from licencecmp.vocab import Action, Metric, Purpose, Scope, Verdict

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Protocol

    from typing_extensions import Self

__all__ = ["SCHEMA_VERSION", "CitationMethods", "DecisionMethods", "LicenceMethods", "Record", "ScenarioMethods",
           "jsonable"]

SCHEMA_VERSION = "3"

_R = TypeVar("_R", bound="Record")
_set = object.__setattr__


def _to_model(value: Any) -> Any:
    if isinstance(value, Record):
        return value.to_model()
    if type(value) is tuple:
        return tuple(_to_model(v) for v in value)
    if type(value) is dict:
        return {k: _to_model(v) for k, v in value.items()}
    return value


class _ModelFields:
    """``Record.model_fields``: the fields of the pydantic model."""

    def __get__(self, obj: object, cls: type[Record]) -> dict[str, Any]:
        fields: dict[str, Any] = cls.model_class().model_fields
        return fields


class Record:
    """Base of the generated records: frozen, compared and hashed by value."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _get: ClassVar[Any]  # operator.attrgetter of the fields: their values as a tuple
    model_fields: ClassVar[_ModelFields] = _ModelFields()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: cannot delete {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self is other or self._get(self) == self._get(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._get(self)))

    def __repr__(self) -> str:
        inner = ", ".join(f"{f}={getattr(self, f)!r}" for f in self._fields)
        return f"{type(self).__name__}({inner})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (_restore, (type(self), self._get(self)))

    def __copy__(self) -> Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Self:
        return self

    def _validate(self, **values: Any) -> None:
        """Set the fields from the pydantic model's validation of ``values`` (the constructor's)."""
        factories = {name for name, info in self.model_fields.items()  # a None argument stands for their default
                     if info.default_factory is not None or isinstance(info.default, (dict, list))
                     or hasattr(type(info.default), "__pydantic_fields__")}
        data = {k: _to_model(v) for k, v in values.items() if not (v is None and k in factories)}
        valid = self.model_class().model_validate(data)
        for name in self._fields:
            _set(self, name, self._record_of(getattr(valid, name)))

    def _copy(self) -> Self:
        """A new record with this one's values (each generated record spells its slots out)."""
        new = object.__new__(type(self))
        for name, value in zip(self._fields, self._get(self), strict=True):
            _set(new, name, value)
        return new

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with some fields replaced (as pydantic's: the new values are not validated)."""
        new = self._copy()
        if update:
            for name, value in update.items():
                if name not in self._fields:
                    raise AttributeError(f"{type(self).__name__} has no field {name!r}")
                _set(new, name, value)
        return new

    # -- the pydantic model, on demand --------------------------------------------------------

    @classmethod
    def model_class(cls) -> Any:
        """The pydantic model this record is generated from (each generated record imports its own
        model here, on first use)."""
        raise NotImplementedError(f"{cls.__name__} names no pydantic model")

    @staticmethod
    def _record_of(value: Any) -> Any:
        """``value`` with every pydantic model in it replaced by its record (the generated module's
        ``record_of``, which knows the pairs)."""
        raise NotImplementedError("a record generated by data/gen_records.py pairs models with records")

    def to_model(self) -> Any:
        """The pydantic model instance with the same values (not validated again)."""
        values = {name: _to_model(v) for name, v in zip(self._fields, self._get(self), strict=True)}
        return self.model_class().model_construct(**values)

    @classmethod
    def from_model(cls, model: Any) -> Self:
        """The record of a pydantic model instance."""
        new = object.__new__(cls)
        for name in cls._fields:
            _set(new, name, cls._record_of(getattr(model, name)))
        return new

    def model_dump(self, **kwargs: Any) -> dict[str, Any]:
        dumped: dict[str, Any] = self.to_model().model_dump(**kwargs)
        return dumped

    def model_dump_json(self, **kwargs: Any) -> str:
        dumped: str = self.to_model().model_dump_json(**kwargs)
        return dumped

    @classmethod
    def model_validate(cls, obj: Any, **kwargs: Any) -> Self:
        return cls.from_model(cls.model_class().model_validate(obj, **kwargs))

    @classmethod
    def model_validate_json(cls, data: str | bytes, **kwargs: Any) -> Self:
        return cls.from_model(cls.model_class().model_validate_json(data, **kwargs))

    @classmethod
    def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
        schema: dict[str, Any] = cls.model_class().model_json_schema(*args, **kwargs)
        return schema

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """As a field of a pydantic model: validated by the model (a record passes as it is),
        serialized by the model, and described in JSON Schema as the model."""
        from pydantic_core import core_schema as cs

        inner = handler.generate_schema(cls.model_class())
        to_record = cs.no_info_after_validator_function(cls.from_model, inner)
        return cs.json_or_python_schema(
            json_schema=to_record,
            python_schema=cs.union_schema([cs.is_instance_schema(cls), to_record]),
            # a model already: a record's to_model converts the records in it, those of other modules too
            serialization=cs.plain_serializer_function_ser_schema(
                lambda v: v.to_model() if isinstance(v, Record) else v),
        )


def _restore(cls: type[_R], values: tuple[Any, ...]) -> _R:
    new = object.__new__(cls)
    for name, value in zip(cls._fields, values, strict=True):
        _set(new, name, value)
    return new


def jsonable(value: Any) -> Any:
    """Plain JSON data for a model or record tree (what ``model_dump(mode="json")`` gives), computed
    without pydantic's serializers: the CLI's JSON output costs no schema build at start-up."""
    if isinstance(value, Record):
        return {name: jsonable(v) for name, v in zip(value._fields, value._get(value), strict=True)}
    fields = getattr(type(value), "__pydantic_fields__", None)
    if fields is not None:
        return {name: jsonable(getattr(value, name)) for name in fields}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {jsonable(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, _dt.date):
        return value.isoformat()
    return value


# -- behaviour shared by a model and its record -------------------------------------------------


class CitationMethods:
    __slots__ = ()
    if TYPE_CHECKING:  # for the type checker only (pydantic must not see them as fields)
        licence: str
        text: str
        section: str

    @property
    def label(self) -> str:
        """'llama-3.1 §2', or 'llama-3.1 §Prohibited Uses (aup)' for a text other than the licence."""
        part = "" if self.text == "licence" else f" ({self.text})"
        return f"{self.licence} §{self.section}{part}"

    @classmethod
    def of(cls, licence: Any, evidence: Any) -> Self:
        """The citation of one piece of a licence's evidence."""
        return cls.model_construct(licence=licence.id, text=evidence.text,  # type: ignore[attr-defined,no-any-return]
                                   section=evidence.section, quote=evidence.quote)


class DecisionMethods:
    __slots__ = ()
    if TYPE_CHECKING:  # for the type checker only (pydantic must not see them as fields)
        verdict: Verdict

    @property
    def permits(self) -> bool:
        return self.verdict.permits

    def __bool__(self) -> bool:
        """``if licencecmp.can(...):`` asks whether the verdict permits the action."""
        return self.verdict.permits


if TYPE_CHECKING:  # what the mixins read, for type checkers only (a record's or a pydantic model's)

    class _Quoted(Protocol):
        """Evidence as the mixins read it (a record's or a pydantic model's)."""

        @property
        def text(self) -> str: ...
        @property
        def section(self) -> str: ...
        @property
        def quote(self) -> str: ...

    class _Limited(Protocol):
        """A limit as the mixins read it (a record's or a pydantic model's)."""

        @property
        def actions(self) -> tuple[Action, ...]: ...
        @property
        def obligations(self) -> tuple[str, ...]: ...
        @property
        def evidence(self) -> tuple[Any, ...]: ...
        @property
        def carve_outs(self) -> tuple[Any, ...]: ...

    _Q = TypeVar("_Q", bound=_Quoted)
    _L = TypeVar("_L", bound=_Limited)
    _Q_co = TypeVar("_Q_co", bound=_Quoted, covariant=True)
    _L_co = TypeVar("_L_co", bound=_Limited, covariant=True)

    class _Terms(Protocol[_Q_co, _L_co]):
        """What :class:`LicenceMethods` reads of a licence: a type checker infers from it the evidence and
        limit types of the licence it is called on (the record's or the model's)."""

        @property
        def actions(self) -> Mapping[Action, Any]: ...
        @property
        def obligations(self) -> Mapping[str, Any]: ...
        @property
        def limits(self) -> tuple[_L_co, ...]: ...
        @property
        def model_modality_evidence(self) -> tuple[_Q_co, ...]: ...


class LicenceMethods:
    __slots__ = ()

    def obligation_refs(self: _Terms[Any, Any]) -> list[tuple[str, tuple[str, ...]]]:
        """Where the licence names obligations: (where, keys)."""
        refs = [(f"actions.{a.value}", r.obligations) for a, r in self.actions.items()]
        refs += [(f"limits[{i}]", lim.obligations) for i, lim in enumerate(self.limits)]
        return refs

    def located_evidence(self: _Terms[_Q, Any]) -> list[tuple[str, _Q]]:
        """Every piece of evidence in the licence, with where it is."""
        out: list[tuple[str, _Q]] = []
        for a, r in self.actions.items():
            out += [(f"actions.{a.value}", e) for e in r.evidence]
        for key, o in self.obligations.items():
            out += [(f"obligations.{key}", e) for e in o.evidence]
            for j, rl in enumerate(o.relicensing):
                out += [(f"obligations.{key}.relicensing[{j}]", e) for e in rl.evidence]
        for i, lim in enumerate(self.limits):
            out += [(f"limits[{i}]", e) for e in lim.evidence]
            for j, co in enumerate(lim.carve_outs):
                out += [(f"limits[{i}].carve_outs[{j}]", e) for e in co.evidence]
        out += [("model_modality_evidence", e) for e in self.model_modality_evidence]
        return out

    def all_evidence(self: _Terms[_Q, Any]) -> list[_Q]:
        """Every piece of evidence in the licence, for the quote checks."""
        return [e for _, e in LicenceMethods.located_evidence(self)]

    def limits_for(self: _Terms[Any, _L], action: Action) -> list[_L]:
        return [lim for lim in self.limits if action in lim.actions]


class ScenarioMethods:
    __slots__ = ()
    if TYPE_CHECKING:  # for the type checker only (pydantic must not see them as fields)
        purpose: tuple[Purpose, ...] | None
        commercial: bool | None

    def metric(self, metric: Metric, scope: Scope = Scope.PRODUCT) -> float | None:
        """The stated figure for a metric, of the product (default) or of the organisation."""
        value: float | None = getattr(self, metric.field(scope))
        return value

    def bounds(self, metric: Metric, scope: Scope) -> tuple[tuple[float, str] | None, tuple[float, str] | None]:
        """What the stated figures prove about a metric of a scope: the largest figure it is at least
        and the smallest it is at most, each with the fact it comes from (None: nothing proven).

        An organisation's figure is at least its product's; a year's revenue is at least any one
        month's; so a product's figure is at most its organisation's and a month's at most its year's.
        """
        fields_below, fields_above = _BOUND_FIELDS[(metric, scope)]
        at_least: tuple[float, str] | None = None  # the largest of these (the first of equals)
        for f in fields_below:
            v = getattr(self, f)
            if v is not None and (at_least is None or v > at_least[0]):
                at_least = (v, f)
        at_most: tuple[float, str] | None = None  # the smallest of these (the first of equals)
        for f in fields_above:
            v = getattr(self, f)
            if v is not None and (at_most is None or v < at_most[0]):
                at_most = (v, f)
        return at_least, at_most

    def purposes(self) -> frozenset[Purpose] | None:
        """The stated purposes, with ``commercial`` when the use is stated to be commercial; None
        when nothing says what the use is for."""
        out = set(self.purpose or ())
        if self.commercial:
            out.add(Purpose.COMMERCIAL)
        return frozenset(out) if out or self.purpose is not None else None

    def is_commercial(self) -> bool | None:
        """Whether the use is commercial: True, False, or None when not stated."""
        if self.commercial is not None:
            return self.commercial
        if self.purpose:
            return Purpose.COMMERCIAL in self.purpose
        return None

    def stated(self) -> dict[str, object]:
        """The facts that were stated, as plain data."""
        data: dict[str, object] = jsonable(self)
        return {k: v for k, v in data.items() if v is not None}


def _bound_fields(metric: Metric, scope: Scope) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The facts whose stated figures bound ``metric`` of ``scope`` from below and from above: an
    organisation's figure is at least its product's, and a metric at least those it covers (vocab.Metric)."""
    scopes_below = [Scope.PRODUCT, Scope.ORGANISATION] if scope is Scope.ORGANISATION else [Scope.PRODUCT]
    scopes_above = [Scope.PRODUCT, Scope.ORGANISATION] if scope is Scope.PRODUCT else [Scope.ORGANISATION]
    return (tuple(m.field(s) for s in scopes_below for m in metric.at_least()),
            tuple(m.field(s) for s in scopes_above for m in metric.at_most()))


_BOUND_FIELDS = {(m, s): _bound_fields(m, s) for m in Metric for s in Scope}
