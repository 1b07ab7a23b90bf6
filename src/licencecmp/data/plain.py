"""Building frozen result models fast: what ``model_construct`` does, without its per-call work.

``Decision``, ``Citation``, ``DecisionObligation`` and ``Scenario`` are built from values that are
already checked, tens of thousands of times a second (``licencecmp.can``, ``check``, ``compare``).
pydantic's ``model_construct`` spends most of that time looking up each field's default and
recording which fields were set; :func:`construct` looks the defaults up once per class. The
result is the same object ``model_construct`` gives (``tests/data/test_plain.py`` proves it field
by field, with the fields set), so pydantic stays the one definition of each model.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar

__all__ = ["construct"]

_M = TypeVar("_M")
_MISSING = object()


@cache
def _defaults(cls: type) -> tuple[tuple[str, Any, Callable[[], Any] | None], ...]:
    """(name, default, default factory) of every field of a model class, in field order."""
    out = []
    for name, info in cls.model_fields.items():  # type: ignore[attr-defined]
        factory = info.default_factory
        default = _MISSING if info.is_required() else (None if factory is not None else info.default)
        out.append((name, default, factory))
    return tuple(out)


def construct(cls: type[_M], values: dict[str, Any]) -> _M:
    """``cls.model_construct(**values)`` for a frozen pydantic model whose defaults are immutable."""
    data: dict[str, Any] = {}
    for name, default, factory in _defaults(cls):  # type: ignore[arg-type]  # classes are hashable
        value = values.get(name, _MISSING)
        if value is _MISSING:
            if factory is not None:
                value = factory()
            elif default is _MISSING:
                continue  # as model_construct: a required field not given is left out
            else:
                value = default
        data[name] = value
    obj = cls.__new__(cls)
    setattr_ = object.__setattr__
    setattr_(obj, "__dict__", data)
    setattr_(obj, "__pydantic_fields_set__", set(values).intersection(data))
    setattr_(obj, "__pydantic_extra__", None)
    setattr_(obj, "__pydantic_private__", None)
    return obj
