"""The Python API: every command of the CLI as a function that returns a typed result.

Every function accepts what the CLI accepts: licence ids (``llama-3.1``), aliases (``llama3.1``,
``MIT``), Hugging Face model ids from the registry (``meta-llama/Llama-3.1-8B``) and, where one
answer can cover several licences, SPDX expressions (``MIT AND llama-3.1``). Results are frozen
pydantic models whose fields are those of the CLI's JSON (``model_dump_json()`` prints it).

A model id the registry does not know is resolved through the same chain as ``licencecmp check``
(the lock of the repository around the current folder, the local Hugging Face cache, a re-upload
of one registry model, and, only with ``online=True`` or ``LICENCECMP_ONLINE=1``, the Hub): every
answer says where each model's licence came from (``resolved``; :func:`resolve` for one model).

Scenario facts (``mau=``, ``domicile=``, ``used_in=``, ``region=``, ``commercial=`` ...) are the
facts of the table :data:`licencecmp.facts.FACTS`; :data:`FACTS` lists their names, :class:`Facts`
types them (a ``TypedDict``) and :class:`FactsModel` is their JSON-schema'd model (the MCP server's
tools take the same).

Examples:
    >>> import licencecmp
    >>> decision = licencecmp.can("llama-3.1", "commercial-use", mau=800_000_000)
    >>> decision.verdict.value, bool(decision)
    ('needs-permission', False)
"""

from __future__ import annotations

import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, create_model

from licencecmp.data.catalogue import default_catalogue
from licencecmp.data.records import Licence, Lineage
from licencecmp.data.schema import SCHEMA_VERSION
from licencecmp.engine import Decision
from licencecmp.errors import InputError, ScenarioError, UnknownModelError
from licencecmp.facts import FACTS as FACT_TABLE
from licencecmp.facts import Facts
from licencecmp.reasoning.comparison import Comparison
from licencecmp.reasoning.lookup import decide_binding, decide_facts, lookup, lookup_kept
from licencecmp.scenario import Scenario, make_scenario, stated_values
from licencecmp.vocab import Action, parse_action

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from licencecmp.reasoning.combination import Combination
    from licencecmp.reasoning.compatibility import CompatResult
    from licencecmp.reasoning.identify import Identification
    from licencecmp.reasoning.lookup import Binding
    from licencecmp.reasoning.openness import OpennessReport
    from licencecmp.scan.check import CheckReport, ModelUse

__all__ = [
    "FACTS",
    "CanInput",
    "Facts",
    "FactsModel",
    "Matrix",
    "Resolution",
    "Sbom",
    "SbomModel",
    "Table",
    "can",
    "check",
    "combine",
    "compare",
    "compat",
    "get",
    "identify",
    "matrix",
    "openness",
    "resolve",
    "sbom",
    "scenario",
    "show",
]


# -- scenario facts, derived from make_scenario ---------------------------------------------------


def _fact_fields() -> dict[str, tuple[Any, Any]]:
    """One pydantic field per scenario fact (:data:`licencecmp.facts.FACTS`), typed as the
    :class:`~licencecmp.facts.Facts` keyword says and described as the table does. A new fact
    appears here, in the API and in the MCP tools, without an edit."""
    hints = typing.get_type_hints(Facts)
    return {f.name: (_listy(hints[f.name]), Field(default=None, description=f.description)) for f in FACT_TABLE}


def _listy(ann: Any) -> Any:
    """``Iterable[str]`` (which pydantic reads lazily) as ``list[str]``, inside unions too."""
    import collections.abc
    import types

    origin = typing.get_origin(ann)
    if origin in (typing.Union, types.UnionType):
        args = tuple(_listy(a) for a in typing.get_args(ann))
        return typing.Union[args]  # noqa: UP007  # built at run time from a tuple
    if origin in (collections.abc.Iterable, collections.abc.Sequence):
        (item,) = typing.get_args(ann) or (Any,)
        return list[item]  # type: ignore[valid-type]
    return ann


_CONFIG = ConfigDict(extra="forbid", frozen=True, defer_build=True)
_FACT_FIELDS = _fact_fields()

_FACT_KEYS = _FACT_FIELDS.keys()
FACTS: tuple[str, ...] = tuple(_FACT_FIELDS)
"""The scenario facts every question takes, as keyword arguments (the names of :data:`licencecmp.facts.FACTS`)."""

FactsModel: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "Facts", __config__=_CONFIG, __doc__="The facts of a question; a fact left out is not stated.",
    **_FACT_FIELDS)
"""The scenario facts as a pydantic model (its JSON schema is the MCP tools' fact parameters);
:class:`Facts` is the same as a ``TypedDict``, for ``**facts: Unpack[Facts]``."""

CanInput: type[BaseModel] = create_model(  # type: ignore[call-overload]
    "CanInput", __config__=_CONFIG, __doc__="A question: may I do ACTION with LICENCE under these facts?",
    licence=(str, Field(description="Licence id, alias, SPDX expression, or a Hugging Face model id.")),
    action=(str, Field(description="One of: " + ", ".join(a.value for a in Action) + ".")),
    **_FACT_FIELDS)
"""The input of :func:`can` (and of the MCP ``can`` tool)."""


def scenario(**facts: Unpack[Facts]) -> Scenario:
    """A checked :class:`Scenario` from facts given as keywords (see :data:`FACTS`).

    Raises:
        ScenarioError: an unknown fact (with the nearest known ones) or a value that is not valid.

    Examples:
        >>> from licencecmp.api import scenario
        >>> scenario(mau=1_000, region="de").stated()
        {'mau': 1000, 'domicile': 'DE', 'used_in': ['DE']}
    """
    if not facts:
        return make_scenario()
    if not facts.keys() <= _FACT_FIELDS.keys():
        unknown = [k for k in facts if k not in _FACT_FIELDS]
        from licencecmp.text import nearest

        hint = nearest(unknown[0], list(FACTS))
        raise ScenarioError(f"unknown fact {unknown[0]!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                            + f" (known: {', '.join(FACTS)})")
    return make_scenario(cat=default_catalogue(), **facts)  # a fact given as None is not stated


# -- questions ------------------------------------------------------------------------------------


def _bind(name: str, online: bool = False) -> Binding:
    """What binds a name: the catalogue's answer, or the resolution chain's for another model id."""
    cat = default_catalogue()
    try:
        return lookup(name, cat)
    except UnknownModelError:
        from licencecmp.scan.resolution import bind

        return bind(name, cat, online=online)


def can(licence: str, action: Action | str, *, online: bool = False, **facts: Unpack[Facts]) -> Decision:
    """May I do ``action`` with ``licence`` under the stated facts?

    Args:
        licence: a licence id, alias, SPDX expression, or a model id from the registry (whose
            upstream licences also apply).
        action: ``use``, ``commercial-use``, ``modify``, ``distribute``, ``distribute-derivative``,
            ``serve`` or ``train-on-outputs``.
        online: ask the Hugging Face Hub about a model no local source knows.
        **facts: scenario facts (:data:`FACTS`): ``mau``, ``domicile``, ``used_in``, ``region`` ...

    Returns:
        A cited decision; ``bool(decision)`` is ``decision.permits``; ``resolved`` says where a
        model's licence came from.

    Examples:
        >>> import licencecmp
        >>> d = licencecmp.can("llama-3.1", "commercial-use", mau=800_000_000)
        >>> d.verdict.value, d.permits, bool(d)
        ('needs-permission', False, False)
        >>> bool(licencecmp.can("mit", "use"))
        True
    """
    act = parse_action(action)
    cat = default_catalogue()
    binding = lookup_kept(licence, cat) or _bind(licence, online)
    if binding.direct is not None and facts.keys() <= _FACT_KEYS:
        # A name under one licence: the facts checked as make_scenario checks them, and the scenario
        # built once with what the action says (decide_binding's answer).
        decision = decide_facts(binding, act, stated_values(facts, cat))
        if decision is not None:
            return decision
    return decide_binding(binding, act, scenario(**facts))


def get(name: str, online: bool = False) -> Licence:
    """A licence, with every rule and the clauses behind them (what ``licencecmp show`` prints).

    Args:
        name: a licence id or alias (case-insensitive), or a model id from the registry (its own licence).

    Examples:
        >>> import licencecmp
        >>> licencecmp.get("llama3.1").id
        'llama-3.1'
        >>> licencecmp.show("meta-llama/Llama-3.1-8B").id
        'llama-3.1'
    """
    return _bind(name, online).licence


show = get


class Table(Comparison):
    """A comparison table (the fields of ``licencecmp compare --format json``) that renders itself."""

    def render(self, format: str = "github", *, transpose: bool = False) -> str:
        """The table in ``format``: a tabulate format (github, grid, html ...), csv, json, markdown
        or html-page, as ``licencecmp compare --format``.

        Examples:
            >>> import licencecmp
            >>> table = licencecmp.compare(["mit"], ["use"], facts=[])
            >>> print(table.render("github").splitlines()[4])
            | mit       | ✓ allowed |
        """
        from licencecmp.render.table import render

        return render(self, format, transpose=transpose)

    def __str__(self) -> str:
        return self.render()


def compare(licences: Sequence[str], actions: Sequence[Action | str] | None = None, *,
            facts: Sequence[str] | None = None, online: bool = False, **scenario_facts: Unpack[Facts]) -> Table:
    """A comparison table: one row per licence or model, one cell per action (and per key fact).

    Args:
        licences: licence ids, aliases or model ids (a model's upstream licences apply to its cells).
        actions: the action columns (default: every action).
        facts: the fact columns (kind, threshold, territory, attribution, name-prefix, openness;
            default: all; ``[]`` for none).
        **scenario_facts: scenario facts (:data:`FACTS`) the cells reflect.

    Examples:
        >>> import licencecmp
        >>> table = licencecmp.compare(["llama-3.1", "mit"], ["commercial-use"], mau=800_000_000)
        >>> [row.cells["commercial-use"].verdict.value for row in table.rows]
        ['needs-permission', 'allowed']
    """
    from licencecmp.reasoning.comparison import compare as build
    from licencecmp.reasoning.comparison import parse_facts
    from licencecmp.vocab import parse_action

    if isinstance(licences, str):
        licences = [licences]
    acts = [parse_action(a) for a in actions] if actions else None
    fact_keys = parse_facts(facts) if facts else (() if facts is not None else None)
    bound = [_bind(n, online) for n in licences]  # a row keeps the name as given unless the chain resolved it
    names = [b if b.model is None and b.provenance is not None else n for n, b in zip(licences, bound, strict=True)]
    comp = build(names, acts, scenario(**scenario_facts), facts=fact_keys)
    return Table.model_construct(**dict(comp))


def compat(upstream: str, outbound: str, online: bool = False) -> CompatResult:
    """May a derivative of a work under ``upstream`` be released under ``outbound`` alone?

    Examples:
        >>> import licencecmp
        >>> licencecmp.compat("mit", "apache-2.0").verdict.value
        'conditional'
    """
    from licencecmp.reasoning.compatibility import compat_bindings

    return compat_bindings(_bind(upstream, online), _bind(outbound, online), default_catalogue())


class Matrix(BaseModel):
    """The upstream x outbound table (the fields of ``licencecmp matrix --format json``)."""

    model_config = ConfigDict(frozen=True)

    schema_version: str = SCHEMA_VERSION
    licences: tuple[str, ...]
    cells: tuple[Any, ...] = Field(description="One CompatResult per (upstream, outbound) pair.")

    def cell(self, upstream: str, outbound: str) -> CompatResult:
        """The result for one pair of canonical ids."""
        for c in self.cells:
            if (c.upstream, c.outbound) == (upstream, outbound):
                return c  # type: ignore[no-any-return]
        raise KeyError((upstream, outbound))


def matrix(licences: Sequence[str] | None = None, online: bool = False) -> Matrix:
    """Compatibility of every pair of licences (default: the catalogue's current licences).

    Examples:
        >>> import licencecmp
        >>> m = licencecmp.matrix(["mit", "gpl-3.0"])
        >>> m.cell("gpl-3.0", "mit").verdict.value
        'incompatible'
    """
    from licencecmp.reasoning.compatibility import matrix as run
    from licencecmp.reasoning.compatibility import matrix_bindings

    cat = default_catalogue()
    if licences:
        bindings = [_bind(n, online) for n in licences]
        return Matrix(licences=tuple(b.label for b in bindings), cells=tuple(matrix_bindings(bindings, cat)))
    lics = [lic for lic in cat if not lic.deprecated]
    return Matrix(licences=tuple(lic.id for lic in lics), cells=tuple(run(lics, cat)))


def _names(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def combine(*, base: str | Iterable[str] | None = None, teacher: str | Iterable[str] | None = None,
            merge: str | Iterable[str] | None = None, data: str | Iterable[str] | None = None,
            online: bool = False, **facts: Unpack[Facts]) -> Combination:
    """The terms that bind a model built from others: fine-tuned from ``base``, distilled from
    ``teacher`` outputs, ``merge``-d with other weights, trained on licensed ``data``. A model's
    upstream licences bind it in the same role.

    Examples:
        >>> import licencecmp
        >>> c = licencecmp.combine(base="llama-3.1", data="cc-by-nc-4.0")
        >>> sorted(i.licence for i in c.inputs)
        ['cc-by-nc-4.0', 'llama-3.1']
        >>> c.verdicts["use"].value, c.verdicts["commercial-use"].value
        ('conditional', 'needs-permission')
    """
    from licencecmp.errors import CombinationError
    from licencecmp.reasoning.combination import combine as run
    from licencecmp.reasoning.combination import resolve_inputs

    cat = default_catalogue()
    named = [(role, name) for role, names in (("base", base), ("teacher", teacher), ("merge", merge),
                                              ("data", data)) for name in _names(names)]
    if not named:
        raise CombinationError("name at least one input: base=, teacher=, merge= or data=")
    from licencecmp.reasoning.lookup import provenances

    bound = [(role, _bind(name, online)) for role, name in named]
    inputs, facts_scenario = resolve_inputs(bound, scenario(**facts), cat)
    return run(inputs, facts_scenario, cat).model_copy(update={"resolved": provenances(*(b for _, b in bound))})


def openness(licence: str, online: bool = False) -> OpennessReport:
    """Is ``licence`` an open-source licence? Each failing Open Source Definition criterion, cited.

    Examples:
        >>> import licencecmp
        >>> licencecmp.openness("apache-2.0").open_source, licencecmp.openness("llama-3.1").open_source
        (True, False)
    """
    from licencecmp.reasoning.openness import openness_of

    return openness_of(_bind(licence, online), default_catalogue())


def identify(source: str | Path) -> Identification:
    """Which licence, and which version, a LICENSE text is.

    Args:
        source: a :class:`~pathlib.Path`, a string naming an existing file, or the text itself.

    Examples:
        >>> import licencecmp
        >>> licencecmp.identify("just some words").licence is None
        True
    """
    from licencecmp.reasoning.identify import identify_file, identify_text

    if isinstance(source, Path):
        return identify_file(source)
    if "\n" not in source and len(source) < 4096:
        try:
            if Path(source).is_file():
                return identify_file(Path(source))
        except OSError:
            pass
    return identify_text(source)


def check(path: str | Path = ".", policy: str | Path | None = None, online: bool = False) -> CheckReport:
    """``licencecmp check``: the models a repository uses, judged against its policy.

    Args:
        path: the folder to scan.
        policy: a policy file; by default the one the CLI finds in ``path`` (``licencecmp.toml``, or
            ``[tool.licencecmp]`` in ``pyproject.toml``), else the default policy.
        online: allow network look-ups for models not in the registry (off: nothing leaves the machine).

    Returns:
        The report (fields of ``licencecmp check --format json``); ``report.exit_code`` is the CLI's.

    Examples:
        >>> import licencecmp, pathlib, tempfile
        >>> repo = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (repo / "app.py").write_text('MODEL = "meta-llama/Llama-3.1-8B"\\n')
        >>> _ = (repo / "licencecmp.toml").write_text('actions = ["serve"]\\nmau = 1000\\n')
        >>> report = licencecmp.check(repo)
        >>> [m.model for m in report.models], int(report.exit_code)
        (['meta-llama/Llama-3.1-8B'], 0)
    """
    from licencecmp.scan.inventory import check_path

    return check_path(Path(path), Path(policy) if policy is not None else None, online=online)


class SbomModel(BaseModel):
    """One model in an SBOM."""

    model_config = ConfigDict(frozen=True)

    model: str
    registry: bool = Field(description="The model is in licencecmp's registry.")
    licences: tuple[str, ...] = Field(description="Its own licences (canonical ids or SPDX expressions).")
    upstream: tuple[str, ...] = Field(description="Licences of base models that also apply.")
    upstream_models: tuple[str, ...] = Field(default=(), description="Registry ids of its base models.")


class Sbom(BaseModel):
    """The models a tree uses; :meth:`render` writes them as SPDX 2.3 or CycloneDX."""

    model_config = ConfigDict(frozen=True)

    name: str
    models: tuple[SbomModel, ...]
    _uses: list[ModelUse] = PrivateAttr(default_factory=list)

    def render(self, format: str = "cyclonedx-json") -> str:
        """The SBOM as ``spdx-json``, ``spdx-yaml``, ``spdx-tv``, ``spdx3-json`` (SPDX 3.0.1 with the AI
        profile), ``cyclonedx-json`` or ``cyclonedx-xml``.

        Examples:
            >>> import json, licencecmp, pathlib, tempfile
            >>> repo = pathlib.Path(tempfile.mkdtemp())
            >>> _ = (repo / "app.py").write_text('MODEL = "meta-llama/Llama-3.1-8B"\\n')
            >>> bom = json.loads(licencecmp.sbom(repo).render("cyclonedx-json"))
            >>> bom["components"][0]["purl"], bom["components"][0]["type"]
            ('pkg:huggingface/meta-llama/Llama-3.1-8B', 'machine-learning-model')
        """
        cat = default_catalogue()
        if format.startswith("cyclonedx"):
            from licencecmp.render.cyclonedx import cyclonedx_bom, write_cyclonedx

            return write_cyclonedx(cyclonedx_bom(self._uses, cat, name=self.name), format)
        if format == "spdx3-json":
            from licencecmp.render.spdx3 import spdx3_document, write_spdx3

            return write_spdx3(spdx3_document(self._uses, cat, name=self.name))
        if format.startswith("spdx"):
            from licencecmp.render.spdx import spdx_document, write_spdx

            return write_spdx(spdx_document(self._uses, cat, name=self.name), format)
        raise InputError(f"unknown SBOM format {format!r}; use spdx-json, spdx-yaml, spdx-tv, spdx3-json, "
                         "cyclonedx-json or cyclonedx-xml")


def sbom(path: str | Path = ".", policy: str | Path | None = None) -> Sbom:
    """The models ``path`` uses, ready to write as an SBOM (``licencecmp sbom``).

    Examples:
        >>> import licencecmp, pathlib, tempfile
        >>> repo = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (repo / "app.py").write_text('MODEL = "meta-llama/Llama-3.1-8B"\\n')
        >>> [(m.model, m.licences) for m in licencecmp.sbom(repo).models]
        [('meta-llama/Llama-3.1-8B', ('llama-3.1',))]
    """
    from licencecmp.scan.check import licensing_of
    from licencecmp.scan.inventory import check_root, load_policy_for, models_in

    root = check_root(Path(path))
    cat = default_catalogue()
    pol, source = load_policy_for(root, Path(policy) if policy is not None else None, cat)
    uses = models_in(root, pol, source, cat)
    models = []
    for use in uses:
        lic = licensing_of(use, cat)
        models.append(SbomModel(model=use.name, registry=use.entry is not None, licences=tuple(lic.own),
                                upstream=tuple(lic.upstream),
                                upstream_models=tuple(use.entry.upstream) if use.entry else ()))
    result = Sbom(name=f"{root.resolve().name or 'repository'} models", models=tuple(models))
    result._uses = uses
    return result


class Resolution(BaseModel):
    """What a name resolves to: a licence, or a model with its licences, the upstream licences that
    also bind it, and which source of the resolution chain answered (``licencecmp check``'s
    ``resolution`` field: registry, override, lock, card, cache, hub, inferred or unknown)."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(description="The name as given.")
    model: str | None = Field(default=None, description="The model's repo id, when the name is a model.")
    licence: str | None = Field(default=None, description="Its (first) licence's canonical id; None when unknown.")
    licences: tuple[str, ...] = Field(default=(), description="Its own licences (canonical ids or expressions).")
    upstream: tuple[str, ...] = Field(default=(), description="Licences of upstream models that also apply.")
    upstream_models: tuple[str, ...] = ()
    modality: str | None = None
    task: str | None = None
    source: str = Field(description="Where the answer comes from: catalogue (a licence name), or the resolution "
                        "chain's source for a model (registry, family, override, lock, card, cache, inferred, hub, "
                        "unknown).")
    rule: str | None = Field(default=None, description="The family rule that answered (source family).")
    inferred_from: str | None = Field(default=None, description="The registry model this looks like a re-upload of.")
    where: str | None = Field(default=None, description="What the answer rests on: the registry entry's source, "
                              "the card or cache file, the Hub's card data, the rule.")
    relation: str | None = Field(default=None, description="How the model derives from its base models "
                                 "(base_model_relation: finetune, adapter, quantized, merge, ...).")
    base_models: tuple[Lineage, ...] = Field(default=(), description="Its base models (a card's base_model, the "
                                             "registry's upstream models, the model a re-upload copies), each "
                                             "with its licences and how it was resolved, transitively.")
    notes: tuple[str, ...] = Field(default=(), description="Base models whose licence is unknown, lists cut short.")
    reason: str | None = Field(default=None, description="Why the licence is unknown, when it is.")
    sha: str | None = Field(default=None, description="The Hub revision, when the Hub answered.")

    @property
    def known(self) -> bool:
        return bool(self.licences)


def resolve(model_id: str, online: bool = False) -> Resolution:
    """The licence of a model id (through the resolution chain: the registry, the local Hugging
    Face cache, the Hub when ``online``, an inferred re-upload) or of a licence id or alias.

    Args:
        model_id: a Hugging Face repo id, or a licence id or alias.
        online: also ask the Hugging Face Hub about models no local source knows (off: nothing
            leaves the machine; ``HF_HUB_OFFLINE=1`` wins).

    Examples:
        >>> import licencecmp
        >>> r = licencecmp.resolve("deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
        >>> r.licence, r.upstream, r.source
        ('mit', ('llama-3.1',), 'registry')
        >>> licencecmp.resolve("some-user/private-model").source
        'unknown'
    """
    import re

    from licencecmp.errors import LicenceNotInCatalogueError

    cat = default_catalogue()
    legacy = cat.find_model(model_id) if "/" not in model_id else None  # a legacy id (gpt2) is a model
    typed = cat.model_target(model_id) if legacy is None else None  # a Hub URL, hf.co/..., ORG/NAME@REV, sdxl
    if "/" not in model_id and legacy is None and typed is None:
        try:  # a licence id or alias, or a short name of a family under one licence (gemma3)
            found = cat.resolve(model_id)
        except LicenceNotInCatalogueError as exc:  # known to exist, not encoded: said, never passed
            return Resolution(name=model_id, source="unknown", reason=str(exc))
        ups = tuple(u.id for u in found.upstream)
        return Resolution(name=model_id, licence=found.licence.id, licences=(found.licence.id,), upstream=ups,
                          source="catalogue")
    target = legacy.id if legacy is not None else typed or model_id
    if not re.fullmatch(r"[A-Za-z0-9][\w.\-]{0,95}/[\w.\-]{1,96}", target) or ".." in target:
        raise InputError(f"{model_id!r} is not a Hugging Face model id (ORG/NAME)")
    from licencecmp.scan.resolution import resolver_here

    r = resolver_here(cat, online).resolve(target)
    entry = cat.find_model(r.inferred_from or r.model)
    rule = cat.find_family(r.model) if r.rule else None
    if entry is None and rule is not None:
        entry = cat.family_entry(r.model, rule)
    return Resolution(name=model_id, model=r.model, licence=r.licences[0] if r.licences else None,
                      licences=r.licences, upstream=r.upstream, upstream_models=r.base_models,
                      modality=entry.modality.value if entry else None, task=entry.task if entry else None,
                      source=r.resolution, inferred_from=r.inferred_from, where=r.where, relation=r.relation,
                      base_models=tuple(b.to_model() for b in r.lineage),
                      notes=r.notes, reason=r.reason, sha=r.sha, rule=r.rule)
