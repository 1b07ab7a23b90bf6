"""The results of reasoning (comparison tables, openness reports, identifications) as plain classes.

Importing pydantic's ``BaseModel`` machinery and building a model class costs more than a whole
``can`` answer, and ``compare`` and ``identify`` run in CI jobs as ``can`` does. Their results
are therefore frozen dataclasses with the surface their pydantic models had and that callers use:
``model_dump`` (``mode="json"`` gives what pydantic gave: fields in order, then the computed fields,
enums as their values, tuples as lists), ``model_dump_json``, ``model_construct``, ``model_copy``,
``model_fields`` and iteration over ``(field, value)`` pairs (``dict(result)``).
``tests/reasoning/test_plain_results.py`` proves the JSON equal to what the pydantic models wrote.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from licencecmp.data.plain import Record, jsonable

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["PlainResult", "dump"]


class _Fields:
    """``PlainResult.model_fields``: the dataclass fields by name, in order."""

    def __get__(self, obj: object, cls: type[Any]) -> dict[str, dataclasses.Field[Any]]:
        return {f.name: f for f in dataclasses.fields(cls)}


class PlainResult:
    """Base of the plain result classes (each a ``@dataclass(frozen=True, slots=True, kw_only=True)``)."""

    __slots__ = ()
    computed: ClassVar[tuple[str, ...]] = ()
    """Properties dumped after the fields, as pydantic's ``@computed_field`` were."""
    model_fields: ClassVar[_Fields] = _Fields()

    @classmethod
    def model_construct(cls, **values: Any) -> Self:
        """A result from its field values (not validated, as pydantic's ``model_construct``)."""
        return cls(**values)

    def model_copy(self, *, update: dict[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with some fields replaced (not validated, as pydantic's)."""
        return dataclasses.replace(self, **(update or {}))  # type: ignore[type-var]

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        """``(field, value)`` pairs, as iterating over a pydantic model gives."""
        for f in dataclasses.fields(self):  # type: ignore[arg-type]
            yield f.name, getattr(self, f.name)

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The fields and computed fields as a dict: JSON data for ``mode="json"``, else Python
        values (nested results and records as dicts, enums and tuples kept)."""
        out: dict[str, Any] = dump(self, mode == "json")
        return out

    def model_dump_json(self, *, indent: int | None = None) -> str:
        """The JSON text of :meth:`model_dump` (``mode="json"``), compact unless ``indent``."""
        data = self.model_dump(mode="json")
        if indent is None:
            return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return json.dumps(data, ensure_ascii=False, indent=indent)


def dump(value: Any, as_json: bool = True) -> Any:
    """A result tree as plain data (see :meth:`PlainResult.model_dump`)."""
    if isinstance(value, PlainResult):
        out = {f.name: dump(getattr(value, f.name), as_json) for f in dataclasses.fields(value)}  # type: ignore[arg-type]
        for name in value.computed:
            out[name] = dump(getattr(value, name), as_json)
        return out
    if isinstance(value, Record):
        return jsonable(value) if as_json else value.model_dump()
    if isinstance(value, enum.Enum):
        return value.value if as_json else value
    if isinstance(value, (list, tuple)):
        items = [dump(v, as_json) for v in value]
        return items if as_json or isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        return {dump(k, as_json): dump(v, as_json) for k, v in value.items()}
    if as_json and isinstance(value, _dt.date):
        return value.isoformat()
    return value
