"""Loading the catalogue: licences, aliases, the model registry and the territory data.

The source of truth is the TOML files in ``licences/``. They are compiled into one JSON file
shipped in the package (``licencecmp/data/catalogue.json``) so that start-up reads one small
file and validates only the licences a command touches. A test checks that the compiled file
equals the validated sources; ``python -m licencecmp.data.compile`` rebuilds it.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from licencecmp.errors import (
    AmbiguousAliasError,
    AmbiguousLicenceNameError,
    LicenceDataError,
    LicenceNotInCatalogueError,
    ScenarioError,
    UnknownLicenceError,
    UnknownModelError,
)
from licencecmp.text import casefold_name as _norm
from licencecmp.text import glob_match, nearest

if TYPE_CHECKING:  # the schema (and pydantic) is imported on first use, not at import time
    from licencecmp.data.records import FamilyRule, Licence, ModelEntry

__all__ = ["Catalogue", "Resolved", "Territories", "compiled_path", "default_catalogue", "identify_data_path",
           "identify_pieces_path", "load_sources", "read_identify_data", "read_identify_pieces", "read_toml",
           "shipped_catalogue_wanted"]

_T = TypeVar("_T")

DATA_ENV = "LICENCECMP_DATA"
"""Point this at a ``licences/`` folder to load the TOML sources instead of the compiled file."""


class Territories:
    """Country codes, the groups that licences name (EU, EEA, ...), and their names."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.countries: dict[str, str] = dict(raw["countries"])
        self.aliases: dict[str, str] = dict(raw.get("aliases", {}))
        self.groups: dict[str, dict[str, Any]] = dict(raw.get("groups", {}))
        for gname, group in self.groups.items():
            for member in group["members"]:
                if member not in self.countries and member not in self.groups:
                    raise LicenceDataError("_territories.toml", f"group {gname} names unknown member {member!r}")
        self._check_cycles()
        # What the codes stand for, worked out once per code (the data above never changes; a code
        # that does not resolve raises each time and is not kept; a bounded number is kept).
        self._canonical: dict[str, str] = {}
        self._expanded: dict[str, frozenset[str]] = {}
        self._expanded_all: dict[tuple[str, ...], frozenset[str]] = {}
        self._described: dict[tuple[str, ...], str] = {}

    def _check_cycles(self) -> None:
        """Groups must not contain themselves (directly or through other groups): expand recurses."""
        state: dict[str, int] = {}  # 1 visiting, 2 done
        for start in self.groups:
            stack: list[tuple[str, int]] = [(start, 0)]
            while stack:
                name, i = stack.pop()
                if i == 0:
                    if state.get(name) == 2:
                        continue
                    state[name] = 1
                members = [m for m in self.groups[name]["members"] if m in self.groups]
                if i < len(members):
                    stack.append((name, i + 1))
                    nxt = members[i]
                    if state.get(nxt) == 1:
                        raise LicenceDataError("_territories.toml", f"group {name} contains itself (through {nxt})")
                    if state.get(nxt) != 2:
                        stack.append((nxt, 0))
                else:
                    state[name] = 2

    def canonical(self, code: str) -> str:
        """The canonical code or group name for user input; raises :class:`ScenarioError`."""
        got = self._canonical.get(code) if type(code) is str else None
        if got is not None:
            return got
        up = code.strip().upper()
        up = self.aliases.get(up, up)
        if up in self.countries or up in self.groups:
            if len(self._canonical) < _KEPT:
                self._canonical[code] = up
            return up
        known = list(self.countries) + list(self.groups) + list(self.aliases)
        hint = nearest(up, known)
        msg = f"unknown country or group {code!r} (use ISO 3166-1 alpha-2 codes such as DE, or EU/EEA)"
        if hint:
            msg += f"; did you mean {', '.join(hint)}?"
        raise ScenarioError(msg)

    def expand(self, code: str) -> frozenset[str]:
        """The country codes a code or group stands for."""
        got = self._expanded.get(code)
        if got is not None:
            return got
        up = self.canonical(code)
        if up in self.countries:
            got = frozenset({up})
        else:
            out: set[str] = set()
            for member in self.groups[up]["members"]:
                out |= self.expand(member)
            got = frozenset(out)
        if len(self._expanded) < _KEPT:
            self._expanded[code] = got
        return got

    def expand_all(self, codes: tuple[str, ...]) -> frozenset[str]:
        """The country codes any of the codes or groups stands for."""
        got = self._expanded_all.get(codes)
        if got is None:
            got = frozenset().union(*(self.expand(c) for c in codes))
            if len(self._expanded_all) < _KEPT:
                self._expanded_all[codes] = got
        return got

    def name(self, code: str) -> str:
        if code in self.groups:
            return f"the {self.groups[code]['name']}" if code != "EU" else "the EU"
        if code == "GB":
            return "the UK"
        return self.countries.get(code, code)

    def describe(self, codes: tuple[str, ...] | list[str]) -> str:
        key = tuple(codes)
        got = self._described.get(key)
        if got is not None:
            return got
        names = [self.name(c) for c in codes]
        got = "".join(names) if len(names) <= 1 else ", ".join(names[:-1]) + " and " + names[-1]
        if len(self._described) < _KEPT:
            self._described[key] = got
        return got


_KEPT = 4096
"""How many codes (and lists of codes) a :class:`Territories` keeps the meaning of."""


@dataclass(frozen=True)
class Resolved:
    """What a user's name for a licence resolved to."""

    licence: Licence
    model: ModelEntry | None = None
    upstream: tuple[Licence, ...] = ()
    family: FamilyRule | None = None  # the family rule that answered, when no exact entry did


class Catalogue:
    """The licences, their aliases and the model registry, with lazy validation."""

    def __init__(
        self,
        raw_licences: dict[str, dict[str, Any]],
        raw_models: list[dict[str, Any]],
        raw_territories: dict[str, Any],
        validated: dict[str, Licence] | None = None,
    ) -> None:
        self._raw = raw_licences
        self._cache: dict[str, Licence] = {}
        if validated:
            from licencecmp.data.records import record_of

            self._cache = {k: record_of(v) for k, v in validated.items()}
        self._raw_models = raw_models
        self._raw_territories = raw_territories
        self.trusted = False  # set for the compiled catalogue: build models without re-validating
        self._memo: dict[object, Any] = {}
        # Names of the catalogue that read as an expression and parse to one licence (its id): as
        # compiled (:func:`licencecmp.data.compile.one_licence_names`); none for a catalogue of sources.
        self._one_licence: dict[str, str] = {}

    def memo(self, key: object, build: Callable[[], _T]) -> _T:
        """A value derived from this catalogue's data, built once (e.g. the expression parser's
        symbol table, the verdicts of a licence with no facts stated). The cache lives on the
        catalogue, so a different catalogue never sees another's values."""
        try:
            value: _T = self._memo[key]
        except KeyError:
            value = self._memo[key] = build()
        return value

    def recall(self, key: object) -> Any:
        """The value :meth:`memo` keeps under ``key``, or None when none is kept (yet)."""
        return self._memo.get(key)

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def from_compiled(cls, data: dict[str, Any], trusted: bool = False) -> Catalogue:
        """From the compiled JSON. ``trusted`` skips re-validation (the shipped file, which a test
        proves equal to the validated sources)."""
        cat = cls(data["licences"], data["models"], data["territories"])
        cat.trusted = trusted
        cat._one_licence = data.get("one_licence_names", {})
        return cat

    @classmethod
    def from_sources(cls, directory: Path) -> Catalogue:
        licences, models, territories = load_sources(directory)
        raw = {lic.id: lic.model_dump(mode="json") for lic in licences}
        cat = cls(raw, [m.model_dump(mode="json") for m in models], territories,
                  {lic.id: lic for lic in licences})
        cat.check()
        return cat

    # -- licences -----------------------------------------------------------------------------

    def ids(self) -> list[str]:
        return sorted(self._raw)

    def __iter__(self) -> Iterator[Licence]:
        return (self.licence(i) for i in self.ids())

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        try:
            self.get(name)
        except (UnknownLicenceError, AmbiguousAliasError):
            return False
        return True

    def licence(self, licence_id: str) -> Licence:
        """The licence with exactly this canonical id."""
        lic = self._cache.get(licence_id)
        if lic is None:
            from licencecmp.data import records

            try:
                raw = self._raw[licence_id]
            except KeyError:
                raise UnknownLicenceError(licence_id, nearest(licence_id, self.ids())) from None
            # A plain record (no pydantic on the answer path); validated first unless trusted.
            built: Any = records.Licence.from_json(raw) if self.trusted else records.Licence.model_validate(raw)
            self._cache[licence_id] = built
            return built  # type: ignore[no-any-return]  # a record of the Licence model, read as one
        return lic

    @cached_property
    def _alias_index(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = {}
        for lid, raw in self._raw.items():
            names = [raw.get("spdx"), *raw.get("aliases", ())]
            if raw.get("scancode_key"):
                names += [raw["scancode_key"], f"LicenseRef-scancode-{raw['scancode_key']}"]
            for name in names:
                if name:
                    owners = index.setdefault(_norm(name), [])
                    if lid not in owners:
                        owners.append(lid)
        for lid in self._raw:  # a canonical id always means that licence
            index[_norm(lid)] = [lid]
        return index

    def one_licence(self, name: str) -> str | None:
        """The licence id of a name that reads as an expression (a title with "or", "and" or
        brackets) and that parsing against this catalogue reads as that one licence, as compiled;
        None for any other name (parse it: :func:`licencecmp.reasoning.expression.parse_expression`).
        Only a name exactly as the catalogue spells it, still one of that licence's names."""
        got = self._one_licence.get(name)
        if got is None or self._alias_index.get(_norm(name)) != [got]:
            return None
        return got

    def licensing(self) -> Any:
        """The expression parser (license-expression's ``Licensing``): one symbol per licence, its id,
        with its SPDX id, aliases and ScanCode keys as the symbol's aliases. Built once."""
        return self.memo("licensing", self._licensing)

    @staticmethod
    def parser_names(lic: Licence) -> list[str]:
        """The names the expression parser knows ``lic`` by besides its id: its SPDX id, aliases and
        ScanCode keys (:meth:`licensing`; the titles compiled by ``one_licence_names`` are among them)."""
        names = [lic.spdx, *lic.aliases]
        if lic.scancode_key:
            names += [lic.scancode_key, f"LicenseRef-scancode-{lic.scancode_key}"]
        return names

    def _licensing(self) -> Any:
        from license_expression import LicenseSymbol, Licensing

        symbols = []
        for lic in self:
            aliases = set(self.parser_names(lic))
            aliases.discard(lic.id)
            symbols.append(LicenseSymbol(lic.id, aliases=tuple(sorted(aliases))))
        return Licensing(symbols)

    def alias_names(self) -> list[str]:
        return sorted(self._alias_index)

    def get(self, name: str) -> Licence:
        """A licence by canonical id or any alias (case-insensitive)."""
        owners = self._alias_index.get(_norm(name))
        if not owners and _norm(name) in self._ambiguous_index:
            a = self._ambiguous_index[_norm(name)]
            raise AmbiguousLicenceNameError(name, self.ambiguous_candidates(a["name"]), a["reason"])
        if not owners and _norm(name) in self._unavailable_index:
            u = self._unavailable_index[_norm(name)]
            raise LicenceNotInCatalogueError(u["id"], u["title"], u["reason"])
        if not owners:
            near = self.unavailable_match(name)
            if near is not None:  # a licence known to exist, not a typo of one the catalogue has
                raise LicenceNotInCatalogueError(near["id"], near["title"], near["reason"])
            raise UnknownLicenceError(name, self.suggest(name))
        if len(owners) > 1:
            raise AmbiguousAliasError(name, sorted(owners))
        return self.licence(owners[0])

    def suggest(self, name: str) -> list[str]:
        """Nearest canonical ids and model ids (an alias that matches suggests its licence's id)."""
        names = nearest(name, self.ids() + [m["id"] for m in self._raw_models] + self.alias_names(), n=6)
        out: list[str] = []
        for hit in names:
            owners = self._alias_index.get(_norm(hit), [hit])
            for owner in owners if owners != [hit] else [hit]:
                if owner not in out:
                    out.append(owner)
        return out[:3]

    # -- models -------------------------------------------------------------------------------

    @cached_property
    def _model_index(self) -> dict[str, dict[str, Any]]:
        """Each model by its repo id and by every alias (a legacy name the Hub redirects)."""
        index = {_norm(alias): m for m in self._raw_models for alias in m.get("aliases", ())}
        index.update({_norm(m["id"]): m for m in self._raw_models})  # a repo id wins over an alias
        return index

    def models(self) -> list[ModelEntry]:
        return [self._entry(m) for m in self._raw_models]

    def _entry(self, raw: dict[str, Any]) -> ModelEntry:
        kept: ModelEntry | None = self._memo.get(("model", raw["id"]))
        if kept is not None:  # built before (the import below is not free)
            return kept
        from licencecmp.data import records

        def build() -> ModelEntry:
            entry: Any = (records.ModelEntry.from_json(raw) if self.trusted
                          else records.ModelEntry.model_validate(raw))
            return entry  # type: ignore[no-any-return]  # a record of the ModelEntry model, read as one

        return self.memo(("model", raw["id"]), build)  # each entry is built (and validated) once

    def model(self, repo_id: str) -> ModelEntry:
        raw = self._model_index.get(_norm(repo_id))
        if raw is None:
            raise UnknownModelError(repo_id, nearest(repo_id, [m["id"] for m in self._raw_models]))
        return self._entry(raw)

    def find_model(self, repo_id: str) -> ModelEntry | None:
        """The registry entry for a repo id or one of its aliases (case-insensitive), or for the repo
        an org-less legacy name stands for (``gpt2``: :func:`licencecmp.data.names.legacy_id`), or None."""
        raw = self._model_index.get(_norm(repo_id))
        if raw is None and "/" not in repo_id:
            from licencecmp.data.names import legacy_id

            target = legacy_id(repo_id)
            raw = self._model_index.get(_norm(target)) if target else None
        return None if raw is None else self._entry(raw)

    # -- family rules -------------------------------------------------------------------------

    def families(self) -> list[FamilyRule]:
        """The family rules (licences/_families.toml), in file order."""
        return [self._family(raw) for raw in self._raw_territories.get("families", ())]

    def _family(self, raw: dict[str, Any]) -> FamilyRule:
        from licencecmp.data import records

        def build() -> FamilyRule:
            rule: Any = (records.FamilyRule.from_json(raw) if self.trusted
                         else records.FamilyRule.model_validate(raw))
            return rule  # type: ignore[no-any-return]  # a record of the FamilyRule model, read as one

        return self.memo(("family", raw["id"]), build)

    @cached_property
    def _family_index(self) -> dict[str, list[dict[str, Any]]]:
        index: dict[str, list[dict[str, Any]]] = {}
        for raw in self._raw_territories.get("families", ()):
            index.setdefault(_norm(raw["org"]), []).append(raw)
        return index

    def find_family(self, repo_id: str) -> FamilyRule | None:
        """The family rule whose organisation and pattern match a repo id, or None.

        Only the rules of the id's own organisation are tried. When several match, the one whose
        matching pattern has the longest literal part wins; when the most specific ones disagree on
        the licence, none answers (never a guess). Exact entries are looked up first by callers
        (:meth:`resolve`), so this is only asked about ids the registry does not list."""
        org, sep, name = repo_id.strip().partition("/")
        if not sep or not name or "/" in name:
            return None
        best: list[tuple[int, dict[str, Any]]] = []
        for raw in self._family_index.get(_norm(org), ()):
            score = max((len(p.replace("*", "")) for p in raw["patterns"] if glob_match(p, name)), default=-1)
            if score >= 0:
                best.append((score, raw))
        if not best:
            return None
        top = max(score for score, _ in best)
        winners = [raw for score, raw in best if score == top]
        if len({raw["licence"] for raw in winners}) != 1:
            return None
        return self._family(winners[0])

    def family_entry(self, repo_id: str, rule: FamilyRule) -> ModelEntry:
        """A registry-shaped entry for a model a family rule answers for (its own repo id, the
        rule's licence and modality, the rule named in its source)."""
        from licencecmp.data import records

        entry: Any = records.ModelEntry.model_construct(
            id=repo_id.strip(), licence=rule.licence, modality=rule.modality,
            source=f"family rule {rule.id}: {rule.source}",
            licence_history=rule.licence_history,
            read=rule.read, note=rule.note)
        return entry  # type: ignore[no-any-return]  # a record of the ModelEntry model, read as one

    def upstream_licences(self, entry: ModelEntry) -> tuple[Licence, ...]:
        """Licences of every upstream model, transitively, other than the model's own."""
        raw = self._model_index.get(_norm(entry.id))
        if raw is not None and self._entry(raw) is entry:
            return self.memo(("upstream", entry.id), lambda: self._upstream_licences(entry))
        return self._upstream_licences(entry)

    def upstream_licence_ids(self, entry: ModelEntry) -> tuple[str, ...]:
        """The licence ids of every upstream model, transitively, other than the model's own, those
        the catalogue names without a text (``unavailable``) included: for listing the registry, where
        :meth:`upstream_licences` raises :class:`LicenceNotInCatalogueError` for them."""
        return tuple(sorted({up.licence for up in self._upstream_models(entry) if up.licence != entry.licence}))

    def _upstream_models(self, entry: ModelEntry) -> Iterator[ModelEntry]:
        """Every upstream model of an entry, transitively, each once."""
        seen_models: set[str] = set()
        stack = list(entry.upstream)
        while stack:
            mid = stack.pop()
            if _norm(mid) in seen_models:
                continue
            seen_models.add(_norm(mid))
            up = self.model(mid)
            yield up
            stack.extend(up.upstream)

    def _upstream_licences(self, entry: ModelEntry) -> tuple[Licence, ...]:
        out: dict[str, Licence] = {}
        for up in self._upstream_models(entry):
            if up.licence in self.unavailable:
                u = self.unavailable[up.licence]
                raise LicenceNotInCatalogueError(u["id"], u["title"], u["reason"], model=up.id)
            if up.licence != entry.licence:
                out.setdefault(up.licence, self.licence(up.licence))
        return tuple(out[k] for k in sorted(out))

    def resolve(self, name: str) -> Resolved:
        """A licence id, alias, or model repo id from the registry (each name resolved once; a
        name that does not resolve raises every time, and is not kept)."""
        try:
            resolved: Resolved = self._memo[("resolve", name)]
        except KeyError:
            resolved = self._memo[("resolve", name)] = self._resolve(name)
        return resolved

    def _resolve(self, name: str) -> Resolved:
        norm = _norm(name)
        if norm in self._alias_index:
            return Resolved(self.get(name))
        if norm in self._model_index:
            entry = self.model(name)
            if entry.licence in self.unavailable:
                u = self.unavailable[entry.licence]
                raise LicenceNotInCatalogueError(u["id"], u["title"], u["reason"], model=entry.id)
            return Resolved(self.licence(entry.licence), entry, self.upstream_licences(entry))
        typed = self._typed(name)
        if typed is not None:
            return typed
        from licencecmp.data.names import legacy_id

        legacy = legacy_id(name) if "/" not in name else None
        if legacy is not None:  # an org-less name the Hub redirects (gpt2, bert-base-cased)
            try:
                return self.resolve(legacy)
            except UnknownModelError:
                raise UnknownModelError(legacy, reason=f"{name!r} is {legacy} (the Hub redirects it); not in the "
                                        "registry") from None
        rule = self.find_family(name) if "/" in name else None
        if rule is not None:
            if rule.licence in self.unavailable:
                u = self.unavailable[rule.licence]
                raise LicenceNotInCatalogueError(u["id"], u["title"], u["reason"], model=name.strip())
            return Resolved(self.licence(rule.licence), self.family_entry(name, rule), (), rule)
        if norm in self._unavailable_index or norm in self._ambiguous_index:
            self.get(name)  # raises LicenceNotInCatalogueError or AmbiguousLicenceNameError
        if "/" in name:
            raise UnknownModelError(name, nearest(name, [m["id"] for m in self._raw_models], cutoff=0.8,
                                                  contained=False), reason="not in the registry")
        try:
            self.get(name)  # raises: a licence known to exist but not here, or an unknown name with suggestions
        except UnknownLicenceError as exc:
            if type(exc) is UnknownLicenceError:  # models first: a short name people type, or a repo's name
                from licencecmp.data.names import known_names

                repo_names = {m["id"].partition("/")[2]: m["id"] for m in self._raw_models}
                hits = nearest(name, known_names() + list(repo_names), n=3, cutoff=0.75, contained=False)
                if hits:
                    models = list(dict.fromkeys(repo_names.get(h, h) for h in hits))
                    raise UnknownLicenceError(name, models + [x for x in exc.suggestions if x not in models][:2]
                                              ) from None
            raise
        raise UnknownLicenceError(name, self.suggest(name))

    def model_target(self, name: str) -> str | None:
        """The one repo id a typed name stands for (a pasted Hub reference such as
        ``https://huggingface.co/ORG/NAME`` or ``hf.co/ORG/NAME:Q4_K_M`` or ``ORG/NAME@REV``, or a short
        name of ``data/names.toml`` that means one model), or None. The resolution chain resolves
        this id when the registry does not know it."""
        from licencecmp.data.names import hub_reference, legacy_id, typed_name

        ref = hub_reference(name)
        if ref is not None:
            return ref[0]
        typed = typed_name(name, [m["id"] for m in self._raw_models])
        if typed is not None and len(typed.ids) == 1:
            return typed.ids[0]
        return legacy_id(name)

    def _typed(self, name: str) -> Resolved | None:
        """A pasted Hub reference or a short name (:mod:`licencecmp.data.names`) resolved to the
        model it means; a short name of several models resolves only when all of them are under
        the same licences, own and upstream (the answer then holds for each); otherwise it raises
        :class:`UnknownModelError` listing the models."""
        from licencecmp.data.names import hub_reference, typed_name

        ref = hub_reference(name)
        if ref is not None:
            return self.resolve(ref[0])
        typed = typed_name(name, [m["id"] for m in self._raw_models])
        if typed is None:
            return None
        if typed.refused is not None:
            raise UnknownModelError(name, list(typed.models[:6]), reason=f"{typed.reason}; {typed.refused}")
        if len(typed.ids) == 1:
            try:
                return self.resolve(typed.ids[0])
            except UnknownModelError:
                raise UnknownModelError(typed.ids[0], reason=f"{name!r} is {typed.ids[0]}, {typed.reason}; "
                                        "not in the registry") from None
        if not typed.ids:
            raise UnknownModelError(name, reason=f"{typed.reason}; the registry lists none of them")
        if typed.hub:
            raise UnknownModelError(name, list(typed.ids[:6]), reason=f"{typed.reason}; name one")
        found = [self._resolve(i) for i in typed.models]
        keys = {(r.licence.id, tuple(u.id for u in r.upstream)) for r in found}
        if len(keys) > 1:
            groups: dict[str, list[str]] = {}
            for i, r in zip(typed.models, found, strict=True):
                groups.setdefault(" AND ".join([r.licence.id, *(u.id for u in r.upstream)]), []).append(i)
            listed = "; ".join(f"{lic}: {', '.join(ids[:4])}{' ...' if len(ids) > 4 else ''}"
                               for lic, ids in groups.items())
            smallest = sorted(groups.values(), key=len)
            raise UnknownModelError(name, [i for ids in smallest for i in ids][:6], reason=f"{typed.reason}; "
                                    f"its {len(found)} models in the registry are under different licences "
                                    f"({listed}); name one")
        return Resolved(found[0].licence, None, found[0].upstream)

    @cached_property
    def _unavailable_index(self) -> dict[str, dict[str, Any]]:
        return {_norm(n): u for u in self.unavailable.values() for n in (u["id"], *u.get("names", ()))}

    def unavailable_match(self, name: str) -> dict[str, Any] | None:
        """The licence known to exist but not in the catalogue that ``name`` names (an id, a name
        people use, its title) or nearly names (a close spelling, or a word of five letters or more
        that only its names contain), or None."""
        norm = _norm(name)
        if norm in self._unavailable_index:
            return self._unavailable_index[norm]
        names = {_norm(n): u for u in self.unavailable.values() for n in (u["id"], u["title"], *u.get("names", ()))}
        hits = nearest(norm, list(names), n=1, cutoff=0.85, contained=False)
        if not hits and len(norm) >= 5:
            owners = {u["id"]: u for key, u in names.items() if norm in key}
            if len(owners) == 1:
                return next(iter(owners.values()))
        return names[_norm(hits[0])] if hits else None

    @cached_property
    def unavailable(self) -> dict[str, dict[str, Any]]:
        """Licences models use that the catalogue cannot encode (no official text), by id."""
        return {u["id"]: u for u in self._raw_territories.get("unavailable", [])}

    def identify_data(self) -> dict[str, Any]:
        """Per licence id, the chunk hashes of its official texts (``identify.json``; empty when the
        file is missing). Built by ``python -m licencecmp.data.compile`` when the texts are at hand."""
        return self.memo("identify-data", read_identify_data)

    def identify_pieces(self) -> list[dict[str, Any]] | None:
        """What ``identify`` looks for of each licence, precompiled (``identify_pieces.json``, see
        :func:`licencecmp.data.chunks.identify_entry`), for the shipped catalogue only (the file is
        compiled with it; ``--check`` proves both fresh); None for any other catalogue, or when the
        file is missing or of another format: identify then builds the same from the licences."""
        def load() -> list[dict[str, Any]] | None:
            entries = read_identify_pieces() if self.trusted else None
            return entries if entries is not None and [e["id"] for e in entries] == self.ids() else None

        return self.memo("identify-pieces", load)

    @cached_property
    def ambiguous(self) -> dict[str, dict[str, Any]]:
        """Names that stand for no one licence (licences/_ambiguous.toml), by name."""
        return {a["name"]: a for a in self._raw_territories.get("ambiguous", [])}

    @cached_property
    def _ambiguous_index(self) -> dict[str, dict[str, Any]]:
        return {_norm(n): a for a in self.ambiguous.values() for n in (a["name"], *a.get("names", ()))}

    def ambiguous_candidates(self, name: str) -> list[str]:
        """The catalogue licences an ambiguous name may stand for (those not yet encoded left out)."""
        return [c for c in self.ambiguous[name].get("candidates", ()) if c in self._raw]

    # -- territories --------------------------------------------------------------------------

    @cached_property
    def territories(self) -> Territories:
        return Territories(self._raw_territories)

    # -- integrity ----------------------------------------------------------------------------

    def check(self) -> None:
        """Cross-file checks: references between licences, models and territories resolve."""
        terr = self.territories
        for lic in self:
            if lic.superseded_by and lic.superseded_by not in self._raw:
                raise LicenceDataError(f"{lic.id}.toml", f"superseded_by names unknown licence {lic.superseded_by!r}")
            for key, ob in lic.obligations.items():
                for ref in ob.contains:
                    other, _, okey = ref.partition(":")
                    if other not in self._raw or okey not in self.licence(other).obligations:
                        raise LicenceDataError(f"{lic.id}.toml", f"obligations.{key}.contains names unknown "
                                               f"obligation {ref!r}")
            for lim in lic.limits:
                for code in getattr(lim, "excluded", ()):
                    if code not in terr.countries and code not in terr.groups:
                        raise LicenceDataError(f"{lic.id}.toml", f"unknown territory {code!r}")
        for norm, a in self._ambiguous_index.items():
            if norm in self._alias_index:
                raise LicenceDataError("_ambiguous.toml", f"{a['name']!r}: {norm!r} is also a licence id or alias "
                                       f"of {', '.join(self._alias_index[norm])}")
        seen: set[str] = set()
        for m in self.models():
            if _norm(m.id) in seen:
                raise LicenceDataError("_models.toml", f"model {m.id!r} is listed twice")
            seen.add(_norm(m.id))
            if m.licence not in self._raw and m.licence not in self.unavailable:
                raise LicenceDataError("_models.toml", f"model {m.id!r} names unknown licence {m.licence!r}")
        for m in self.models():
            for up in m.upstream:
                if _norm(up) not in self._model_index:
                    raise LicenceDataError("_models.toml", f"model {m.id!r} names unknown upstream {up!r}")
            for alias in m.aliases:
                if _norm(alias) in seen:
                    raise LicenceDataError("_models.toml", f"model {m.id!r}: alias {alias!r} is another model's id")
                if _norm(alias) in self._alias_index:
                    raise LicenceDataError("_models.toml", f"model {m.id!r}: alias {alias!r} is a licence name")
                owner = self._model_index[_norm(alias)]
                if owner["id"] != m.id:
                    raise LicenceDataError("_models.toml", f"alias {alias!r} is given to {owner['id']!r} "
                                           f"and {m.id!r}")
        rule_ids: set[str] = set()
        for rule in self.families():
            if rule.id in rule_ids:
                raise LicenceDataError("_families.toml", f"family rule {rule.id!r} is listed twice")
            rule_ids.add(rule.id)
            if rule.licence not in self._raw and rule.licence not in self.unavailable:
                raise LicenceDataError("_families.toml", f"family rule {rule.id!r} names unknown licence "
                                       f"{rule.licence!r}")


MAX_DATA_FILE = 16 * 1024 * 1024


def read_toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
    import stat

    try:  # non-blocking, regular files only, size-capped: a FIFO or /dev/zero is refused, never read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise LicenceDataError(str(path), "not a regular file")
            if st.st_size > MAX_DATA_FILE:
                raise LicenceDataError(str(path), f"larger than {MAX_DATA_FILE // (1024 * 1024)} MiB")
            data = os.read(fd, MAX_DATA_FILE + 1)
        finally:
            os.close(fd)
        return tomllib.loads(data.decode("utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, LicenceDataError):
            raise
        raise LicenceDataError(str(path), " ".join(str(exc).split())[:300]) from None
    except RecursionError:  # tomllib recurses on nested arrays and inline tables
        raise LicenceDataError(str(path), "invalid TOML: nested too deeply") from None


def _pydantic_problem(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        return f"{loc}: {first['msg']}{more}"
    return str(exc)


def load_sources(directory: Path) -> tuple[list[Licence], list[ModelEntry], dict[str, Any]]:
    """Read and validate every TOML file in a ``licences/`` folder."""
    from pydantic import ValidationError

    from licencecmp.data.records import Licence, ModelEntry

    if not directory.is_dir():
        raise LicenceDataError(str(directory), "not a directory")
    licences: list[Licence] = []
    for path in sorted(directory.glob("*.toml")):
        if path.name.startswith("_"):
            continue
        raw = read_toml(path)
        try:
            lic = Licence.model_validate(raw)
        except ValidationError as exc:
            raise LicenceDataError(str(path), _pydantic_problem(exc)) from None
        if path.stem != lic.id:
            raise LicenceDataError(str(path), f"file is named {path.stem!r} but its id is {lic.id!r}")
        licences.append(lic)
    models: list[ModelEntry] = []
    # The registry: licences/_models.toml and one file per maker in licences/models/.
    model_files = [directory / "_models.toml", *sorted((directory / "models").glob("*.toml"))]
    for models_path in model_files:
        if not models_path.exists():
            continue
        for i, raw in enumerate(read_toml(models_path).get("models", [])):
            try:
                models.append(ModelEntry.model_validate(raw))
            except ValidationError as exc:
                raise LicenceDataError(str(models_path), f"models[{i}]: {_pydantic_problem(exc)}") from None
    families_path = directory / "_families.toml"
    families: list[dict[str, Any]] = []
    if families_path.exists():
        from licencecmp.data.schema import FamilyRule

        for i, raw in enumerate(read_toml(families_path).get("families", [])):
            try:
                families.append(FamilyRule.model_validate(raw).model_dump(mode="json", exclude_defaults=True))
            except ValidationError as exc:
                raise LicenceDataError(str(families_path), f"families[{i}]: {_pydantic_problem(exc)}") from None
    unavailable_path = directory / "_unavailable.toml"
    unavailable = read_toml(unavailable_path).get("licences", []) if unavailable_path.exists() else []
    territories = read_toml(directory / "_territories.toml")
    ambiguous_path = directory / "_ambiguous.toml"
    ambiguous = read_toml(ambiguous_path).get("names", []) if ambiguous_path.exists() else []
    for i, a in enumerate(ambiguous):
        if not (isinstance(a, dict) and isinstance(a.get("name"), str) and isinstance(a.get("reason"), str)
                and all(isinstance(x, str) for x in (*a.get("names", ()), *a.get("candidates", ())))):
            raise LicenceDataError(str(ambiguous_path), f"names[{i}]: needs name and reason (strings), "
                                   "names and candidates (lists of strings)")
    territories = {**territories, "unavailable": unavailable, "ambiguous": ambiguous, "families": families}
    try:
        Territories(territories)
    except LicenceDataError as exc:
        raise LicenceDataError(str(directory / "_territories.toml"), exc.problem) from None
    except (KeyError, ValueError, TypeError, AttributeError) as exc:
        raise LicenceDataError(str(directory / "_territories.toml"), str(exc)) from None
    return licences, models, territories


def compiled_path() -> Path:
    return Path(str(resources.files("licencecmp") / "data" / "catalogue.json"))


def identify_data_path() -> Path:
    """The chunk hashes of the official texts that ``identify`` compares with (data/compile.py)."""
    return Path(str(resources.files("licencecmp") / "data" / "identify.json"))


def read_identify_data() -> dict[str, Any]:
    """``identify.json`` by licence id (empty when missing or cut by another rule)."""
    path = identify_data_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        raise LicenceDataError(str(path), f"cannot read the identify data: {exc}") from None
    from licencecmp.data.chunks import FORMAT

    if data.get("format") != FORMAT:
        return {}  # cut by an older or newer rule: useless, rebuild it
    return dict(data["licences"])


def read_identify_pieces() -> list[dict[str, Any]] | None:
    """``identify_pieces.json``: the shipped catalogue's licences in id order, as identify reads them
    (None when missing or of another format)."""
    path = identify_pieces_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise LicenceDataError(str(path), f"cannot read the identify data: {exc}") from None
    from licencecmp.data.chunks import FORMAT

    entries: list[dict[str, Any]] | None = data.get("licences") if data.get("format") == FORMAT else None
    return entries


def shipped_catalogue_wanted() -> bool:
    """Whether :func:`default_catalogue` is the shipped compiled catalogue (no ``$LICENCECMP_DATA``)."""
    return not os.environ.get(DATA_ENV)


def identify_pieces_path() -> Path:
    """The fingerprints and quotes ``identify`` looks for, as words (data/compile.py)."""
    return Path(str(resources.files("licencecmp") / "data" / "identify_pieces.json"))


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the package (or the sources named by ``$LICENCECMP_DATA``), loaded
    once; ``default_catalogue.cache_clear()`` forgets it (after ``$LICENCECMP_DATA`` changes)."""
    override = os.environ.get(DATA_ENV)
    if override:
        try:
            return Catalogue.from_sources(Path(override))
        except LicenceDataError:
            raise
        except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as exc:
            # wrong types where tables or lists belong: one line, not a traceback
            raise LicenceDataError(override, f"invalid licence data ({type(exc).__name__}: "
                                   f"{' '.join(str(exc).split())[:200]})") from None
    path = compiled_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LicenceDataError(str(path), f"cannot read the compiled catalogue: {exc}") from None
    cat = Catalogue.from_compiled(data, trusted=True)
    if _OWNED_PROCESS:
        gc.freeze()
    return cat


_OWNED_PROCESS: list[bool] = []


def freeze_once_loaded() -> None:
    """For a process licencecmp owns (the CLI, the MCP server), never for a program that imports the
    library: once the shipped catalogue is loaded (now, if it already is), everything alive is frozen
    out of the cycle collector's passes (``gc.freeze``). What is loaded lives as long as the process,
    and each full pass would otherwise walk it again as the answers kept grow the heap. It is a
    process-wide effect (what exists then is never collected by the cycle collector), which is why
    the library does not do it on its own."""
    if not _OWNED_PROCESS:
        _OWNED_PROCESS.append(True)
        if default_catalogue.cache_info().currsize:
            gc.freeze()
