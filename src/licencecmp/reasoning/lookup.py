"""One resolution for every command: a name -> what binds whoever uses it.

A name is a canonical licence id, an alias (SPDX id, ScanCode key, Hub name), a registry model id,
or an SPDX expression over any of these. :func:`lookup` turns it into a :class:`Binding`: the
choices the name leaves (``OR``: the licensee picks one), each a tuple of licences that all bind
(the licence itself, ``AND`` partners, and every upstream licence of a model, which travels with
it), plus the model and its modality. ``can``, ``show``, ``compat``, ``matrix``, ``combine``,
``openness``, ``compare`` and the Python API all resolve names here.

This layer knows the catalogue and its registry only. A model id the registry does not know is
resolved by the resolution chain (:mod:`licencecmp.scan.resolution`, reached from the API and the
CLI, never from here): it hands back a :class:`Binding` built by :func:`binding_for`, which every
function of this layer accepts in place of a name. A binding says where its licence came from
(:attr:`Binding.provenance`); every answer carries that as ``resolved``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Union

from licencecmp.data.catalogue import Catalogue, Resolved, default_catalogue
from licencecmp.engine import Cited, cited, decide, decide_stated
from licencecmp.errors import ExpressionError
from licencecmp.reasoning.expression import decide_name, is_expression, parse_expression
from licencecmp.vocab import Modality

if TYPE_CHECKING:
    from licencecmp.data.catalogue import Territories
    from licencecmp.data.records import Decision, Licence, Lineage, ModelEntry, Provenance
    from licencecmp.scenario import Scenario
    from licencecmp.vocab import Action

__all__ = [
    "RESOLUTION_WORDS",
    "Binding",
    "Name",
    "binding_for",
    "decide_binding",
    "decide_facts",
    "describe",
    "lookup",
    "lookup_kept",
    "provenances",
    "registry_lineage",
    "registry_provenance",
]


@dataclass(frozen=True)
class Binding:
    """What a name binds: ``choices`` (one unless the name is an ``OR`` expression), each the
    licences that all apply; the registry model, if the name is one; and the model's modality
    (from the registry, or from a licence whose models are all of one modality)."""

    name: str
    choices: tuple[tuple[Licence, ...], ...]
    model: ModelEntry | None = None
    modality: Modality | None = None
    expression: bool = False
    provenance: Provenance | None = None
    # How :func:`decide_facts` answers for the name: one licence, alone or as one model's (None: as
    # decide_binding does). Set by lookup for the names of the catalogue.
    direct: Direct | None = field(default=None, compare=False, repr=False)

    @property
    def licence(self) -> Licence:
        """The licence the name itself stands for (the model's own, the first of an expression)."""
        return self.choices[0][0]

    @property
    def licences(self) -> tuple[Licence, ...]:
        """Every licence named, each once, in order (own licence first, then upstream)."""
        seen: dict[str, Licence] = {}
        for choice in self.choices:
            for lic in choice:
                seen.setdefault(lic.id, lic)
        return tuple(seen.values())

    @property
    def upstream(self) -> tuple[Licence, ...]:
        """The licences that bind besides the name's own (for a model: its upstream licences)."""
        return self.licences[1:]

    @property
    def label(self) -> str:
        if self.model is not None:
            return self.model.id
        return self.provenance.model if self.provenance is not None else self.name

    @property
    def model_id(self) -> str | None:
        """The repo id of the model the name is, whichever source resolved it; None for a licence."""
        if self.model is not None:
            return self.model.id
        return self.provenance.model if self.provenance is not None else None

    def as_expression(self) -> str:
        """Every licence that binds, as an SPDX-style expression of canonical ids: ``a AND b`` for
        one choice, ``(a AND b) OR c`` for several (a model's upstream licences are ANDed)."""
        terms = [" AND ".join(lic.id for lic in choice) for choice in self.choices]
        if len(terms) == 1:
            return terms[0]
        return " OR ".join(f"({t})" if " AND " in t else t for t in terms)

    def resolved(self) -> Resolved:
        """The single-choice binding as the engine's :class:`Resolved`."""
        if len(self.choices) != 1:
            raise ExpressionError(f"{self.name!r} offers a choice of licences (OR); name one")
        own, *rest = self.choices[0]
        return Resolved(own, self.model, tuple(rest))


def _dnf(node: Any, cat: Catalogue) -> list[tuple[Licence, ...]]:
    from license_expression import AND, OR, LicenseWithExceptionSymbol

    if isinstance(node, LicenseWithExceptionSymbol):
        raise ExpressionError(f"licence exceptions (WITH) are not supported: {str(node)!r}")
    if isinstance(node, OR):
        return [c for a in node.args for c in _dnf(a, cat)]
    if isinstance(node, AND):
        out: list[tuple[Licence, ...]] = [()]
        for a in node.args:
            out = [(*left, *right) for left in out for right in _dnf(a, cat)]
            if len(out) > 64:
                raise ExpressionError("licence expression has too many combinations")
        return [tuple({lic.id: lic for lic in c}.values()) for c in out]
    r = cat.resolve(node.key)
    return [(r.licence, *r.upstream)]


Name = Union[str, Binding]  # noqa: UP007  # read at run time (pydantic, typer never see it)
"""What the functions of the reasoning layer accept: a name, or a binding the chain resolved."""


def registry_provenance(entry: ModelEntry, cat: Catalogue) -> Provenance:
    """Where a registry model's licence comes from: its entry, with its upstream models."""
    from licencecmp.data.records import Provenance

    def build() -> Provenance:
        return Provenance.model_construct(model=entry.id, resolution="registry", licences=(entry.licence,),
                          upstream=tuple(lic.id for lic in cat.upstream_licences(entry)), source=entry.source,
                          base_models=registry_lineage(entry, cat))

    return cat.memo(("provenance", entry.id), build)


MAX_LINEAGE = 32
"""At most this many base models are listed for one model (a merge of hundreds is cut, and says so)."""


def registry_lineage(entry: ModelEntry, cat: Catalogue) -> tuple[Lineage, ...]:
    """The base models of a registry model, transitively (each once, breadth first, at most
    :data:`MAX_LINEAGE`)."""
    from licencecmp.data.records import Lineage

    out: list[Lineage] = []
    seen = {entry.id.casefold()}
    queue = [(base, entry) for base in entry.upstream]
    while queue and len(out) < MAX_LINEAGE:
        base, of = queue.pop(0)
        if base.casefold() in seen:
            continue
        seen.add(base.casefold())
        up = cat.find_model(base)
        if up is None:
            out.append(Lineage.model_construct(id=base, licences=(), resolution="unknown", of=of.id,
                                               relation=of.relation, inferred_from=None,
                                               reason="not in the registry"))
            continue
        out.append(Lineage.model_construct(id=up.id, licences=(up.licence,), resolution="registry", of=of.id,
                                           relation=of.relation, inferred_from=None, reason=None))
        queue += [(b, up) for b in up.upstream]
    return tuple(out)


def provenances(*bindings: Binding) -> tuple[Provenance, ...]:
    """The provenance of each binding that is a model, each model once."""
    seen: dict[str, Provenance] = {}
    for b in bindings:
        if b.provenance is not None:
            seen.setdefault(b.provenance.model.casefold(), b.provenance)
    return tuple(seen.values())


def binding_for(provenance: Provenance, cat: Catalogue | None = None, modality: Modality | None = None) -> Binding:
    """The binding of a model that the resolution chain resolved: its own licences (canonical ids
    or expressions; several all bind) and then its upstream licences, which bind in every choice."""
    cat = cat or default_catalogue()
    own = " AND ".join(f"({x})" if " " in x else x for x in provenance.licences)
    choices = list(lookup(own, cat).choices)
    upstream = [cat.licence(x) for x in provenance.upstream if x in cat.ids()]
    for x in provenance.upstream:
        if x not in cat.ids():
            upstream += [lic for c in lookup(x, cat).choices for lic in c]
    merged: dict[tuple[str, ...], tuple[Licence, ...]] = {}
    for c in choices:
        full = tuple({lic.id: lic for lic in (*c, *upstream)}.values())
        merged.setdefault(tuple(lic.id for lic in full), full)
    entry = cat.find_model(provenance.inferred_from) if provenance.inferred_from else None
    if modality is None and entry is not None:
        modality = entry.modality
    if modality is None:
        mods = {lic.model_modality for c in merged.values() for lic in c}
        modality = mods.pop() if len(mods) == 1 else None
    return Binding(provenance.model, tuple(merged.values()), None, modality, expression=len(merged) > 1,
                   provenance=provenance)


def lookup_kept(name: str, cat: Catalogue) -> Binding | None:
    """The binding :func:`lookup` keeps for a name of the catalogue (licence id, alias, model id),
    or None where it keeps none (yet)."""
    if type(name) is not str:
        return None
    return _bindings(cat).get(name)


def _bindings(cat: Catalogue) -> dict[str, Binding]:
    """The bindings kept for the catalogue's names, by the name as given (:func:`lookup`)."""
    kept: dict[str, Binding] = cat.memo("bindings", dict)
    return kept


def lookup(name: Name, cat: Catalogue | None = None) -> Binding:
    """Resolve ``name`` (id, alias, model id or SPDX expression) to what binds it; a
    :class:`Binding` is returned as it is."""
    if isinstance(name, Binding):
        return name
    cat = cat if cat is not None else default_catalogue()
    known = lookup_kept(name, cat)
    if known is not None:  # kept below: a name of the catalogue (no expression but a title read as one)
        return known
    if is_expression(name):
        one = cat.one_licence(name)
        if one is not None:  # a licence's title that reads as an expression: its parse, compiled
            title = _bindings(cat)[name] = _one_licence(one, cat)
            return title
        # An expression binds alike every time too: kept, for at most MAX_KEPT_EXPRESSIONS of them.
        kept: dict[str, Binding] = cat.memo("expression bindings", dict)
        got = kept.get(name)
        if got is None:
            got = _expression(name, cat)
            if len(kept) < MAX_KEPT_EXPRESSIONS:
                kept[name] = got
        return got
    # One name binds alike every time (the catalogue's resolution of it is kept): built once. A name
    # that does not resolve raises every time and is not kept.
    bound = _bindings(cat)[name] = _named(name, cat)
    return bound


MAX_KEPT_EXPRESSIONS = 1024
"""The bindings of at most this many distinct expressions are kept on a catalogue."""


def _expression(name: str, cat: Catalogue) -> Binding:
    tree = parse_expression(name, cat)
    unique: dict[tuple[str, ...], tuple[Licence, ...]] = {}
    for c in _dnf(tree, cat):
        unique.setdefault(tuple(lic.id for lic in c), c)
    choices = tuple(unique.values())
    label = " ".join(str(tree).split())
    mods = {lic.model_modality for c in choices for lic in c}
    direct: Direct | None = None
    if not is_expression(label):
        # One licence written as an expression (a title with "or" or brackets: decide_name decides
        # its canonical id, the label); answered as that licence.
        r = cat.resolve(label)
        if r.model is None and not r.upstream:
            direct = Direct(r.licence, cited(r.licence, cat), cat.territories)
    return Binding(label, choices, None, mods.pop() if len(mods) == 1 else None, expression=True, direct=direct)


def _one_licence(licence_id: str, cat: Catalogue) -> Binding:
    """:func:`_expression` of a name that parses to one licence (``licence_id``), without the parse."""
    lic = cat.licence(licence_id)
    return Binding(licence_id, ((lic,),), None, lic.model_modality, expression=True,
                   direct=Direct(lic, cited(lic, cat), cat.territories))


def _named(name: str, cat: Catalogue) -> Binding:
    r = cat.resolve(name)
    modality = r.model.modality if r.model is not None else r.licence.model_modality
    provenance = registry_provenance(r.model, cat) if r.model is not None else None
    direct: Direct | None = None
    if r.model is None:
        # decide_binding answers for the licence itself (cat.resolve of its id: the licence alone).
        direct = Direct(r.licence, cited(r.licence, cat), cat.territories)
    elif not r.upstream and not r.model.licence_history and provenance is not None:
        # A model under one licence: decide's own path for it.
        direct = Direct(r.licence, cited(r.licence, cat), cat.territories, r.model.modality, r.model.id,
                        (provenance,))
    return Binding(r.model.id if r.model is not None else r.licence.id, ((r.licence, *r.upstream),), r.model,
                   modality, provenance=provenance, direct=direct)


class Direct(NamedTuple):
    """How a name under one licence is answered (:func:`decide_facts`): the licence, its cited
    parts, the catalogue's territories and, for a model, its modality, id and provenance."""

    licence: Licence
    cite: Cited
    territories: Territories
    modality: Modality | None = None
    model: str | None = None
    resolved: tuple[Provenance, ...] = ()


def decide_facts(binding: Binding, action: Action, values: dict[str, object]) -> Decision | None:
    """The decision for a binding of the catalogue's names under one licence (``binding.direct``),
    of the facts :func:`licencecmp.scenario.stated_values` checked (changed here); None for any other
    binding (ask :func:`decide_binding`). The same decision as decide_binding gives, with the
    scenario built once."""
    d = binding.direct
    if d is None:
        return None
    return decide_stated(d.licence, action, values, d.territories, d.cite, d.modality, d.model, d.resolved)


def decide_binding(name: Name, action: Action, scenario: Scenario, cat: Catalogue | None = None) -> Decision:
    """The decision for a name or a binding, saying where a model's licence came from
    (``resolved``). Of an ``OR`` choice, the most permissive counts (as for an expression)."""
    cat = cat if cat is not None else default_catalogue()
    b = lookup(name, cat)
    if b.provenance is None:
        if b.expression:
            return decide_name(b.name, action, scenario, cat)
        target = name if isinstance(name, str) else b.label
        if isinstance(name, str) or target == b.choices[0][0].id:
            # Not an expression (lookup took the name as none; a canonical id is never one): as
            # decide_name decides it, without asking again.
            return decide(cat.resolve(target), action, scenario, cat.territories, cat)
        return decide_name(target, action, scenario, cat)
    if b.model is not None:
        own = b.choices[0]
        return decide(Resolved(own[0], b.model, own[1:]), action, scenario, cat.territories, cat,
                      provenance=(b.provenance,))
    if b.modality is not None and scenario.modality is None:
        scenario = scenario.model_copy(update={"modality": b.modality})
    parts = [decide(Resolved(c[0], None, c[1:]), action, scenario, cat.territories, cat) for c in b.choices]
    best = min(parts, key=lambda d: (d.verdict.severity, len(d.obligations), d.licence))
    reasons = best.reasons
    if len(parts) > 1:
        reasons = (f"You may choose among {', '.join(d.licence for d in parts)} (OR); {best.licence} is the most "
                   f"permissive choice for {action.value}.", *reasons)
    how = _how(b.provenance)
    return best.model_copy(update={"model": b.provenance.model, "resolved": (b.provenance,),
                                   "reasons": (how, *reasons)})


def _how(p: Provenance) -> str:
    """One sentence: where a model's licence came from."""
    if p.resolution == "inferred":
        return (f"{p.model} is not in the registry; it looks like a re-upload of {p.inferred_from}, whose licence "
                f"({', '.join(p.licences)}) is applied.")
    where = f" ({p.source})" if p.source else ""
    return f"{p.model}'s licence ({', '.join(p.licences)}) comes from the {describe(p.resolution)}{where}."


RESOLUTION_WORDS: dict[str, str] = {
    "registry": "registry",
    "family": "maker's statement for its family of models",
    "override": "policy (models = [...])",
    "lock": "lock file",
    "card": "model card in the repository",
    "cache": "model's card in the local Hugging Face cache",
    "inferred": "known model it is a re-upload of (a registry entry or a family rule)",
    "hub": "Hugging Face Hub",
    "unknown": "no source",
}
"""Each source of the resolution chain in words (for text output)."""


def describe(resolution: str) -> str:
    """A source of the resolution chain in words."""
    return RESOLUTION_WORDS.get(resolution, resolution)
