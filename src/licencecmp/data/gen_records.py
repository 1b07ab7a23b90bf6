"""Write :mod:`licencecmp.data.records`: one plain record class per pydantic model of the answer path.

``python -m licencecmp.data.compile`` (with the catalogue) rewrites ``src/licencecmp/data/records.py`` from the
models in :mod:`licencecmp.data.schema` and :mod:`licencecmp.data.results`; a test fails when the
file differs from what this writes. Each record has the model's fields, in its order, with its
types and defaults; as with the model, the keyword-only constructor validates (through the model)
and ``model_construct`` does not; ``from_json`` builds it from the model's JSON dump without
validation (for the compiled catalogue, which a test proves equal to the validated sources).
The generated module also owns the pairing of each model with its record (``record_of``); it imports
the models only inside the functions that need them, and the models never import it.
See :mod:`licencecmp.data.plain` for what records share.
"""

from __future__ import annotations

import datetime as _dt
import enum
import types
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from licencecmp.data import plain, results, schema

__all__ = ["MODELS", "RecordWriter", "module_head", "pairing", "render", "target"]

MODELS: tuple[type, ...] = (
    schema.Evidence, schema.Relicensing, schema.Obligation, schema.Rule, schema.CarveOut, schema.ThresholdLimit,
    schema.TerritoryLimit, schema.PurposeLimit, schema.Licence, schema.LicenceChange, schema.ModelEntry,
    schema.FamilyRule,
    results.Scenario, results.Citation, results.DecisionObligation, results.Lineage, results.Provenance,
    results.Decision,
    results.CompatReason, results.CompatResult,
)
_MIXINS: dict[str, type] = {"Licence": plain.LicenceMethods, "Scenario": plain.ScenarioMethods,
                            "Citation": plain.CitationMethods, "Decision": plain.DecisionMethods}
# Built for every question (``licencecmp.can``): their values live in the instance's dict, set in one
# step, not in slots (one call per field, 18 for a scenario); the others keep slots (less memory).
_DICT_BACKED = frozenset({"Scenario", "Decision"})


class RecordWriter:
    """Writes the source of the record classes of some pydantic models (``names``: the models written
    together, which may refer to each other). ``mixins``: a model's name -> the class of shared behaviour
    its record derives from too; ``dict_backed``: the models whose records keep their values in the
    instance dict; ``trusted``: the models whose records' constructor does not validate (records the code builds from
    checked values, such as a report: a mixin's ``_complete`` then does what a model's validator would
    complete). Field types may also be records of other modules (subclasses of plain.Record), named in
    ``self.external``; enums are collected by module in ``self.enums``."""

    def __init__(self, models: tuple[type, ...] = MODELS, *, mixins: dict[str, type] | None = None,
                 dict_backed: frozenset[str] = _DICT_BACKED, trusted: frozenset[str] = frozenset()) -> None:
        self.names = {m.__name__ for m in models}
        self.mixins = mixins if mixins is not None else _MIXINS
        self.dict_backed = dict_backed
        self.trusted = trusted
        self.enums: dict[str, str] = {}
        self.external: set[str] = set()
        self.literal = False
        self.classvar = False
        self.helpers: dict[str, str] = {}

    def enum_names(self, module: str) -> list[str]:
        return sorted(n for n, m in self.enums.items() if m == module)

    def type_(self, tp: Any) -> str:
        origin, args = get_origin(tp), get_args(tp)
        if tp is type(None):
            return "None"
        if origin is Annotated:
            return self.type_(args[0])
        if origin in (Union, types.UnionType):
            return " | ".join(self.type_(a) for a in args)
        if origin is Literal:
            self.literal = True
            return f"Literal[{', '.join(repr(a) for a in args)}]"
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return f"tuple[{self.type_(args[0])}, ...]"
            return f"tuple[{', '.join(self.type_(a) for a in args)}]"
        if origin is dict:
            return f"dict[{self.type_(args[0])}, {self.type_(args[1])}]"
        if origin is list:
            return f"list[{self.type_(args[0])}]"
        if isinstance(tp, type):
            if tp.__name__ in self.names:
                return tp.__name__
            if issubclass(tp, plain.Record):
                self.external.add(tp.__name__)
                return tp.__name__
            if issubclass(tp, enum.Enum):
                self.enums[tp.__name__] = tp.__module__
                return tp.__name__
            if tp is _dt.date:
                return "_dt.date"
            if tp in (str, int, float, bool):
                return tp.__name__
        raise TypeError(f"no record type for {tp!r}")

    def literal_value(self, value: Any) -> str:
        if isinstance(value, enum.Enum):
            self.enums[type(value).__name__] = type(value).__module__
            return f"{type(value).__name__}.{value.name}"
        if isinstance(value, list):
            return "[" + ", ".join(self.literal_value(v) for v in value) + "]"
        if isinstance(value, tuple):
            return "(" + "".join(self.literal_value(v) + ", " for v in value).rstrip() + ")"
        if value is None or isinstance(value, (bool, int, float, str)):
            return repr(value)
        raise TypeError(f"no literal for default {value!r}")

    def converter(self, tp: Any) -> str | None:
        """Source of a callable that builds a value of ``tp`` from its JSON (None: as it is)."""
        origin, args = get_origin(tp), get_args(tp)
        if origin is Annotated:
            return self.converter(args[0])
        if origin in (Union, types.UnionType):
            options = [a for a in args if a is not type(None)]
            if len(options) > 1:
                if all(isinstance(o, type) and o.__name__ in self.names for o in options):
                    name = "_" + "_or_".join(o.__name__ for o in options)
                    lines = [f"def {name}(v: dict[str, Any]) -> {self.type_(tp)}:",
                             '    """One of the kinds, by its `type`."""', "    kind = v['type']"]
                    for o in options:
                        lines.append(f"    if kind == {get_args(o.model_fields['type'].annotation)[0]!r}:")
                        lines.append(f"        return {o.__name__}.from_json(v)")
                    lines.append("    raise ValueError(f'unknown kind {kind!r}')")
                    self.helpers[name] = "\n".join(lines)
                    return name
                raise TypeError(f"no converter for {tp!r}")
            inner = self.converter(options[0])
            if inner is None or len(options) == len(args):
                return inner
            return f"(lambda v: None if v is None else {inner}(v))"
        if origin is tuple:
            inner = self.converter(args[0])
            return "tuple" if inner is None else f"(lambda v: tuple(map({inner}, v)))"
        if origin is list:
            inner = self.converter(args[0])
            return "list" if inner is None else f"(lambda v: list(map({inner}, v)))"
        if origin is dict:
            key, value = self.converter(args[0]), self.converter(args[1])
            return f"(lambda v: {{{key or ''}(k): {value or ''}(x) for k, x in v.items()}})"
        if origin is Literal or tp in (str, int, float, bool):
            return None
        if isinstance(tp, type):
            if tp.__name__ in self.names or issubclass(tp, plain.Record):
                return f"{tp.__name__}.from_json"
            if issubclass(tp, enum.Enum):
                self.enums[tp.__name__] = tp.__module__
                return tp.__name__
            if tp is _dt.date:
                return "_dt.date.fromisoformat"
        raise TypeError(f"no converter for {tp!r}")

    def _init(self, model: Any, names: tuple[str, ...], body: list[str]) -> list[str]:
        """The body of a record's constructor: validated by the model, or (a trusted record) set as
        model_construct sets it, then completed by its mixin's ``_complete`` if it has one."""
        if model.__name__ not in self.trusted:
            given = ", ".join(f"{name}={name}" for name in names)
            return ['        """Validated by the pydantic model, as the model\'s constructor (see model_construct)."""',
                    f"        self._validate({given})"]
        init = ['        """Not validated (built from checked values; ``model_validate`` validates)."""', *body]
        mixin = self.mixins.get(model.__name__)
        if mixin is not None and hasattr(mixin, "_complete"):
            init.append("        self._complete()")
        return init

    def record(self, model: Any) -> str:
        fields = model.model_fields
        names = tuple(fields)
        mixin = self.mixins.get(model.__name__)
        base = f"{mixin.__name__}, _Paired" if mixin is not None else "_Paired"
        doc = ((model.__doc__ or "").strip().splitlines() or [f"The record of the model {model.__name__}."])[0]
        backed = model.__name__ in self.dict_backed
        out = [f"class {model.__name__}({base}):", f'    """{doc}"""', "",
               *([] if backed else [f"    __slots__ = {names!r}"]), f"    _fields = {names!r}",
               f"    _get = attrgetter{names!r}", ""]
        excluded = tuple(name for name, info in fields.items() if info.exclude)
        if excluded:  # left out of the model's dump
            out.insert(-1, f"    _excluded: ClassVar[frozenset[str]] = frozenset({excluded!r})")
            self.classvar = True
        params: list[str] = []
        body: list[str] = []
        load: list[str] = []
        values: list[str] = []  # the values of a dict-backed record, field by field
        plain: dict[str, str] | None = {}  # each field's default (None: a field has none, or a factory)
        for name, info in fields.items():
            ann = self.type_(info.annotation)
            out.append(f"    {name}: {ann}")
            conv = self.converter(info.annotation)
            got = f"d[{name!r}]" if conv is None else f"{conv}(d[{name!r}])"
            if info.is_required():
                params.append(f"{name}: {ann}")
                body.append(f"        _set(self, {name!r}, {name})")
                values.append(f"{name!r}: {name}")
                load.append(f"            {name}={got},")
                plain = None
                continue
            if info.default_factory is not None:
                factory = info.default_factory
                if not (isinstance(factory, type) and factory.__name__ in self.names):
                    raise TypeError(f"{model.__name__}.{name}: no record for its default factory")
                make = f"{factory.__name__}.model_construct()"
            elif isinstance(info.default, dict):
                if info.default:
                    raise TypeError(f"{model.__name__}.{name}: a non-empty dict default")
                make = "{}"
            elif isinstance(info.default, list):  # a new list for each record, as pydantic copies it
                make = self.literal_value(info.default)
            elif type(info.default).__name__ in self.names:  # a model's instance: its defaults only
                if info.default != type(info.default)():
                    raise TypeError(f"{model.__name__}.{name}: a default instance with values")
                make = f"{type(info.default).__name__}.model_construct()"
            else:
                make = ""
            if make:
                params.append(f"{name}: {ann} | None = None")
                body.append(f"        _set(self, {name!r}, {make} if {name} is None else {name})")
                values.append(f"{name!r}: {make} if {name} is None else {name}")
                load.append(f"            {name}={got} if {name!r} in d else {make},")
                plain = None
            else:
                default = self.literal_value(info.default)
                params.append(f"{name}: {ann} = {default}")
                body.append(f"        _set(self, {name!r}, {name})")
                values.append(f"{name!r}: {name}")
                if plain is not None:
                    plain[name] = default
                load.append(f"            {name}={got} if {name!r} in d else {default},")
        copy = [f"        _set(new, {name!r}, self.{name})" for name in names]
        copy_doc = '        """A new record with this one\'s values, slot by slot (where model_copy starts)."""'
        extra: list[str] = []
        if backed:
            body = [f"        _set(self, '__dict__', {{{', '.join(values)}}})"]
            copy = ["        _set(new, '__dict__', self.__dict__.copy())"]
            copy_doc = '        """A new record with this one\'s values (where model_copy starts)."""'
            if plain is not None:  # every field has a plain default: built from the values given
                defaults = ", ".join(f"{k!r}: {v}" for k, v in plain.items())
                out.insert(out.index(f"    _fields = {names!r}"),
                           f"    _defaults: ClassVar[dict[str, Any]] = {{{defaults}}}")
                self.classvar = True
                extra = ["", "    @classmethod",
                         f"    def model_construct_from(cls, values: dict[str, Any]) -> {model.__name__}:",
                         '        """``model_construct(**values)``, in one step (the keys are fields, the values'
                         ' checked)."""',
                         "        self = object.__new__(cls)", "        fields = cls._defaults.copy()",
                         "        fields.update(values)", "        _set(self, '__dict__', fields)",
                         "        return self"]
        init = self._init(model, names, body)
        out += ["", "    def __init__(", "        self,", "        *,", *[f"        {p}," for p in params],
                "    ) -> None:", *init, "",
                "    @classmethod", "    def model_construct(", "        cls,", "        *,",
                *[f"        {p}," for p in params], f"    ) -> {model.__name__}:",
                '        """Not validated: for values already checked (the engine\'s, the compiled catalogue\'s)."""',
                "        self = object.__new__(cls)", *body, "        return self", *extra, "",
                "    def _copy(self) -> Self:",
                copy_doc,
                "        new = object.__new__(type(self))",
                *copy,
                "        return new", "",
                "    @classmethod", f"    def from_json(cls, d: dict[str, Any]) -> {model.__name__}:",
                '        """From the model\'s JSON dump (trusted: not validated)."""',
                "        return cls.model_construct(",
                *load, "        )"]
        return "\n".join(out)


def _module(model: type) -> tuple[str, str]:
    """The package and the module of ``model`` (``licencecmp.data``, ``schema``)."""
    package, _, name = model.__module__.rpartition(".")
    return package, name


def pairing(models: tuple[type, ...], which: str, *, lists: bool = False) -> str:
    """The source of ``record_of``: the generated module owns the pairs of model and record, built on
    first use (importing the models then, never at start-up). ``which``: the models' modules, in words."""
    packages = {_module(m)[0] for m in models}
    if len(packages) != 1:
        raise TypeError(f"the models of one records module come from one package, not {sorted(packages)}")
    package = packages.pop()
    modules = ", ".join(sorted({_module(m)[1] for m in models}))
    pairs = "".join(f"\n        {_module(m)[1]}.{m.__name__}: {m.__name__}," for m in models)
    lists_ = "\n    if type(value) is list:\n        return [record_of(v) for v in value]" if lists else ""
    return f'''class _Paired(Record):
    """Base of the records below: each knows the others through ``record_of``."""

    __slots__ = ()

    @staticmethod
    def _record_of(value: Any) -> Any:
        return record_of(value)

    @classmethod
    def model_class(cls) -> Any:
        """The pydantic model of this record (imported on first use)."""
        return _models()[cls]


def record_of(value: Any) -> Any:
    """``value`` with every pydantic model in it (of {which}) replaced by its record;
    a record, or any other value, as it is."""
    if type(value) is tuple:
        return tuple(record_of(v) for v in value)
    if type(value) is dict:
        return {{k: record_of(v) for k, v in value.items()}}{lists_}
    if isinstance(value, Record) or not hasattr(type(value), "__pydantic_fields__"):
        return value
    rec = _pairs().get(type(value))
    return value if rec is None else rec.from_model(value)


@cache
def _pairs() -> dict[type, type[Record]]:
    """Each pydantic model with its record."""
    from {package} import {modules}

    return {{{pairs}
    }}


@cache
def _models() -> dict[type[Record], type]:
    """Each record with its pydantic model."""
    return {{record: model for model, record in _pairs().items()}}


'''


def typing_names(w: RecordWriter) -> str:
    """What the generated module imports of :mod:`typing` besides TYPE_CHECKING."""
    return ", ".join(["Any", *(["ClassVar"] if w.classvar else []), *(["Literal"] if w.literal else [])])


def module_head(w: RecordWriter, doc: list[str], noqa: str, imports: list[str], names: list[str]) -> list[str]:
    """The lines a generated records module opens with, down to its first class: its docstring (``doc``, the
    module's own first lines, then what every records module says of its models), the linter's exceptions,
    the imports (the standard ones, then ``imports``), ``__all__`` (``names``) and ``_set``."""
    return [
        *doc,
        "",
        "This module imports the pydantic models only inside the function that pairs them with the records",
        '(``record_of``, ``model_class``); the models never import it."""',
        "",
        f"# ruff: noqa: {noqa}",
        "from __future__ import annotations",
        "",
        "import datetime as _dt",
        "from functools import cache",
        "from operator import attrgetter",
        f"from typing import TYPE_CHECKING, {typing_names(w)}",
        "",
        *imports,
        "",
        "if TYPE_CHECKING:",
        "    from typing_extensions import Self",
        "",
        f"__all__ = {sorted(names)!r}",
        "",
        "_set = object.__setattr__",
        "",
        "",
        "",
    ]


def render() -> str:
    """The source of ``records.py``."""
    w = RecordWriter()
    classes = pairing(MODELS, "data.schema or data.results") + "\n\n\n".join(w.record(m) for m in MODELS)
    mixins = sorted({m.__name__ for m in _MIXINS.values()})
    head = module_head(
        w, ['"""Plain records of the pydantic models of the answer path. GENERATED by',
            "``python -m licencecmp.data.compile`` (data/gen_records.py) from :mod:`licencecmp.data.schema` and",
            ':mod:`licencecmp.data.results`: do not edit (see :mod:`licencecmp.data.plain`).'],
        "E501, I001, RUF023, SIM401",
        [f"from licencecmp.data.plain import {', '.join([*mixins, 'Record'])}",
         f"from licencecmp.vocab import {', '.join(w.enum_names('licencecmp.vocab'))}"],
        [*(m.__name__ for m in MODELS), "record_of"])
    if set(w.enums.values()) != {"licencecmp.vocab"} or w.external:
        raise TypeError("the answer path's records use the enums of licencecmp.vocab and no other records")
    helpers = "".join("\n\n\n" + h for h in w.helpers.values())
    return "\n".join(head) + classes + helpers + "\n"


def target() -> Path:
    return Path(__file__).with_name("records.py")

