"""Where the licence of a model comes from: a chain of sources, each named in the report.

The chain, tried in order, the first that answers wins:

``registry``  licencecmp's own registry of models;
``family``    a family rule of the registry: a maker's statement of the licence of a family of its
              models (organisation + name pattern); an exact registry entry wins over it;
``override``  the policy names the model's licence (``models = [{ id = ..., licence = ... }]``);
``lock``      ``licencecmp.lock``, written by ``licencecmp lock``;
``card``      a model card (README.md front matter) in the repository;
``sbom``      an SBOM (SPDX, CycloneDX) in the repository;
``cache``     the model's card or LICENSE file in the local Hugging Face cache;
``hub``       the Hugging Face Hub (online mode only);
``inferred``  a re-upload (GGUF, AWQ, MLX, 4-bit ...) of exactly one registry model;
``unknown``   no source answered: a finding that fails the check by default.

A source that answers with a licence the catalogue does not know (``license: other`` with an
unknown ``license_name``, a LicenseRef) ends the chain as ``unknown``, with that licence named in
the reason: it is never passed.

>>> from licencecmp.data.catalogue import default_catalogue
>>> infer_reupload("bartowski/Llama-3.2-3B-Instruct-GGUF", default_catalogue()).id
'meta-llama/Llama-3.2-3B-Instruct'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from licencecmp.errors import LicencecmpError
from licencecmp.scan.cards import CardFacts

if TYPE_CHECKING:
    from licencecmp.data.catalogue import Catalogue
    from licencecmp.data.schema import ModelEntry
    from licencecmp.scan.lock import Lock

__all__ = [
    "RESOLUTIONS",
    "REUPLOAD_ORGS",
    "Conflict",
    "Resolution",
    "Resolver",
    "declared_licence",
    "infer_reupload",
    "own_resolver",
    "resolve_model",
    "strip_build_suffixes",
]

ResolutionKind = Literal["registry", "family", "override", "lock", "card", "sbom", "cache", "hub", "inferred",
                         "unknown"]
RESOLUTIONS: tuple[str, ...] = ("registry", "family", "override", "lock", "card", "sbom", "cache", "hub",
                                "inferred", "unknown")

REUPLOAD_ORGS = frozenset(o.lower() for o in (
    "unsloth", "bartowski", "TheBloke", "lmstudio-community", "mlx-community", "ggml-org", "Xenova",
    "onnx-community", "RedHatAI", "neuralmagic", "QuantFactory", "MaziyarPanahi", "mradermacher",
    "second-state", "NousResearch", "solidrust", "casperhansen", "turboderp", "LoneStriker", "TechxGenus",
    "hugging-quants", "nm-testing", "Qwen-GGUF", "DevQuasar", "QuixiAI", "ModelCloud", "bullerwins",
))
"""Organisations that publish re-uploads (quantised or converted builds) of others' models."""

_BUILD_SUFFIX = re.compile(
    r"(?i)[-_.](?:gguf|ggml|awq|gptq|exl2|mlx|onnx|bnb|4bit|8bit|3bit|6bit|2bit|int4|int8|fp8|fp16|bf16|nf4|"
    r"q[2-8](?:_k)?(?:_[msl0-9])*|iq[1-4]\w*|i1|imatrix|unsloth|dynamic|quantized|w4a16|w8a8|w8a16|w4a16-g128|"
    r"gs\d+|g128|4bpw|[2-8](?:\.\d+)?bpw|hqq|marlin|dwq|qat|static|sym|asym|channelwise|"
    r"mlx-\dbit|\d+bit|fp4|nvfp4|mxfp4|mixed|turbo|lora-merged)$")


def strip_build_suffixes(name: str) -> tuple[str, bool]:
    """A repo name without its build suffixes, and whether any was stripped.

    >>> strip_build_suffixes("Llama-3.2-3B-Instruct-bnb-4bit")
    ('Llama-3.2-3B-Instruct', True)
    """
    stripped = False
    while True:
        m = _BUILD_SUFFIX.search(name)
        if m is None or m.start() == 0:
            return name, stripped
        name, stripped = name[:m.start()], True


def infer_reupload(model_id: str, cat: Catalogue) -> ModelEntry | None:
    """The one registry model that ``model_id`` looks like a re-upload of, or None (no match or
    more than one). A re-upload is published by a known re-upload organisation, or its name
    carries a build suffix; the rest of the name must equal one registry model's name."""
    org, sep, name = model_id.partition("/")
    if not sep:
        return None
    base, stripped = strip_build_suffixes(name)
    if not stripped and org.lower() not in REUPLOAD_ORGS:
        return None
    index = cat.memo(("reupload-index",), lambda: _name_index(cat))
    candidates = {base.lower()}
    if base.lower().startswith("meta-"):
        candidates.add(base.lower()[5:])
    else:
        candidates.add("meta-" + base.lower())
    hits = {mid for c in candidates for mid in index.get(c, ())}
    if org.lower() not in REUPLOAD_ORGS:  # an unknown organisation: its own name must not be the match
        hits = {h for h in hits if h.lower() != model_id.lower()}
    if len(hits) != 1:
        return None
    return cat.find_model(next(iter(hits)))


def _name_index(cat: Catalogue) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for m in cat.models():
        index.setdefault(m.id.split("/", 1)[1].lower(), []).append(m.id)
    return {k: tuple(v) for k, v in index.items()}


# -- what a card says -------------------------------------------------------------------------------


def _canonical(cat: Catalogue, text: str) -> str:
    from licencecmp.reasoning.expression import is_expression, parse_expression

    if is_expression(text):
        return " ".join(str(parse_expression(text, cat)).split())
    return cat.get(text).id


def _from_link(cat: Catalogue, link: str) -> str | None:
    norm = link.strip().rstrip("/")
    for lic in cat:
        if lic.url.rstrip("/") == norm:
            return lic.id
    m = re.search(r"huggingface\.co/([\w.\-]+/[\w.\-]+)", norm)
    if m:
        entry = cat.find_model(m.group(1))
        if entry is not None:
            return entry.licence
    return None


def declared_licence(cat: Catalogue, licence: str | None, licence_name: str | None, licence_link: str | None,
                     where: str) -> tuple[str | None, str | None]:
    """(canonical licence, why it is unknown) for what one place declares; (None, None) when it
    declares nothing."""
    text = (licence or "").strip()
    if text and text.lower() not in ("other", "noassertion", "none", "unknown"):
        try:
            return _canonical(cat, text), None
        except LicencecmpError:
            pass
    if licence_name:
        try:
            return _canonical(cat, licence_name), None
        except LicencecmpError:
            pass
    if licence_link:
        hit = _from_link(cat, licence_link)
        if hit:
            return hit, None
    if licence_name:
        return None, (f"{where}: license: {text or 'other'} with license_name {licence_name!r}, which is not "
                      "a known licence" + (f" (license_link {licence_link})" if licence_link else ""))
    if text:
        return None, f"{where}: licence {text!r} is not in the catalogue"
    return None, None


# -- a resolution ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    """A declared licence that cannot carry a base model's terms."""

    base_model: str
    base_licence: str
    licence: str
    verdict: str  # incompatible | unclear
    reason: str


@dataclass(frozen=True)
class Resolution:
    """The answer for one model: its licences, the upstream licences that also bind it, and
    which source of the chain answered."""

    model: str
    resolution: str  # one of RESOLUTIONS
    licences: tuple[str, ...] = ()
    upstream: tuple[str, ...] = ()
    base_models: tuple[str, ...] = ()
    declared: tuple[str, ...] = ()
    inferred_from: str | None = None
    reason: str | None = None
    sha: str | None = None
    where: str | None = None
    relation: str | None = None
    conflicts: tuple[Conflict, ...] = ()
    notes: tuple[str, ...] = ()
    rule: str | None = None  # the family rule that answered (resolution "family")

    @property
    def known(self) -> bool:
        return bool(self.licences)


@dataclass
class Resolver:
    """Resolves models through the chain, remembering answers. Hub lookups (online only) run
    concurrently for a batch (:meth:`prefetch`)."""

    cat: Catalogue
    online: bool = False
    cache_dir: Path | None = None
    lock: Lock | None = None
    overrides: Mapping[str, str] = field(default_factory=dict)  # model (casefold) -> licence
    timeout: float = 5.0
    workers: int = 8
    _hub: dict[str, Any] = field(default_factory=dict)
    _memo: dict[str, Resolution] = field(default_factory=dict)
    offline_reason: str | None = None

    def __post_init__(self) -> None:
        if self.online:
            from licencecmp.scan.hub import online_allowed

            self.online, self.offline_reason = online_allowed(True)

    # -- the chain ----------------------------------------------------------------------------

    def prefetch(self, ids: Iterable[str]) -> None:
        """Ask the Hub, concurrently, about every model no earlier source answers."""
        if not self.online:
            return
        need = []
        for mid in dict.fromkeys(ids):
            if mid.casefold() in self._hub or self._before_hub(mid, None) is not None:
                continue
            need.append(mid)
        if need:
            from licencecmp.scan.hub import fetch_many

            for mid, answer in fetch_many(need, timeout=self.timeout, workers=self.workers).items():
                self._hub[mid.casefold()] = answer

    def from_lock(self, model_id: str) -> Resolution | None:
        """The lock's answer for a model, or None."""
        locked = self.lock.get(model_id) if self.lock is not None else None
        if locked is None or not locked.licences:
            return None
        return Resolution(model_id, "lock", tuple(locked.licences), tuple(locked.upstream),
                          base_models=tuple(locked.base_models), inferred_from=locked.inferred_from,
                          sha=locked.sha, where=self.lock.path.name if self.lock and self.lock.path else None)

    def resolve(self, model_id: str, card: CardFacts | None = None) -> Resolution:
        key = model_id.casefold()
        if card is None and key in self._memo:
            return self._memo[key]
        res = self._resolve(model_id, card, depth=0)
        if card is None:
            self._memo[key] = res
        return res

    def _before_hub(self, model_id: str, card: CardFacts | None) -> Resolution | None:
        cat = self.cat
        entry = cat.find_model(model_id)
        if entry is not None:
            try:
                upstream = tuple(lic.id for lic in cat.upstream_licences(entry))
                if entry.licence in cat.unavailable:
                    cat.resolve(entry.id)  # raises LicenceNotInCatalogueError, with the reason
            except LicencecmpError as exc:
                # A licence the catalogue has no text for: reported by name, never passed.
                return Resolution(entry.id, "unknown", declared=(entry.licence,), base_models=entry.upstream,
                                  reason=f"registry: {exc}")
            return Resolution(entry.id, "registry", (entry.licence,), upstream, base_models=entry.upstream,
                              relation=entry.relation)
        res = self._from_family(model_id)
        if res is not None:
            return res
        override = self.overrides.get(model_id.casefold())
        if override:
            try:
                return Resolution(model_id, "override", (_canonical(cat, override),))
            except LicencecmpError as exc:
                return Resolution(model_id, "unknown", declared=(override,), reason=f"policy: {exc}")
        pinned = self.from_lock(model_id)
        if pinned is not None:
            return pinned
        if card is not None:
            res = self._from_facts(model_id, "card", card)
            if res is not None:
                return res
        from licencecmp.scan.hfcache import cached_facts

        facts = cached_facts(model_id, cat, self.cache_dir)
        if facts is not None:
            res = self._from_facts(model_id, "cache", facts)
            if res is not None:
                return res
        return None

    def _from_family(self, model_id: str) -> Resolution | None:
        """The answer of a family rule (the step between the registry's exact entries and the rest
        of the chain), or None."""
        rule = self.cat.find_family(model_id)
        if rule is None:
            return None
        if rule.licence in self.cat.unavailable:
            u = self.cat.unavailable[rule.licence]
            return Resolution(model_id, "unknown", declared=(rule.licence,), rule=rule.id,
                              reason=f"family rule {rule.id}: the licence is {u['title']}, which the catalogue "
                                     f"does not encode ({u['reason']})")
        return Resolution(model_id, "family", (rule.licence,), rule=rule.id, where=rule.source)

    def _resolve(self, model_id: str, card: CardFacts | None, depth: int) -> Resolution:
        res = self._before_hub(model_id, card)
        if res is not None:
            return self._with_bases(res, depth)
        hub_reason = None
        if self.online:
            answer = self._hub.get(model_id.casefold())
            if answer is None:
                from licencecmp.scan.hub import fetch_one

                answer = fetch_one(model_id, timeout=self.timeout)
                self._hub[model_id.casefold()] = answer
            if answer.facts is not None:
                res = self._from_facts(model_id, "hub", answer.facts)
                if res is not None:
                    return self._with_bases(res, depth)
            hub_reason = answer.reason
        entry = infer_reupload(model_id, self.cat)
        if entry is not None:
            return Resolution(model_id, "inferred", (entry.licence,),
                              tuple(dict.fromkeys([lic.id for lic in self.cat.upstream_licences(entry)]
                                                  )), base_models=(entry.id,), inferred_from=entry.id,
                              relation="quantized")
        reasons = ["not in the registry, the policy, the lock, a model card or the local Hugging Face cache"]
        if hub_reason:
            reasons.append(f"the Hub: {hub_reason}")
        elif not self.online:
            reasons.append(self.offline_reason or "not looked up on the Hub (run with --online, or "
                           "`licencecmp lock --online`)")
        return Resolution(model_id, "unknown", reason="; ".join(reasons))

    def _from_facts(self, model_id: str, kind: str, facts: CardFacts) -> Resolution | None:
        canonical, why = declared_licence(self.cat, facts.licence, facts.licence_name, facts.licence_link,
                                          facts.where or kind)
        declared = tuple(x for x in (facts.licence, facts.licence_name) if x)
        if canonical is not None:
            return Resolution(model_id, kind, (canonical,), base_models=facts.base_models, declared=declared,
                              sha=facts.sha, where=facts.where, relation=facts.relation)
        if why:
            return Resolution(model_id, "unknown", declared=declared, reason=f"{kind}: {why}", sha=facts.sha,
                              where=facts.where, base_models=facts.base_models)
        return None  # the card declares no licence: try the next source

    def _with_bases(self, res: Resolution, depth: int) -> Resolution:
        """Add the licences of base models (resolved through the chain) and any conflict."""
        if res.resolution in ("registry", "family", "inferred") or not res.base_models:
            return res
        upstream = list(res.upstream)
        conflicts: list[Conflict] = []
        notes: list[str] = []
        for base in res.base_models:
            if base.casefold() == res.model.casefold():
                continue
            b = self._resolve(base, None, depth + 1) if depth < 3 else Resolution(base, "unknown")
            if not b.licences:
                notes.append(f"base model {base!r}: licence unknown ({b.reason or 'too deep'}); its terms were "
                             "not checked")
                continue
            for lic in (*b.licences, *b.upstream):
                if lic not in upstream and lic not in res.licences:
                    upstream.append(lic)
            conflicts += licence_conflicts(self.cat, res.licences, base, b.licences)
        return replace(res, upstream=tuple(upstream), conflicts=tuple(conflicts), notes=tuple(notes))


def licence_conflicts(cat: Catalogue, own: Iterable[str], base: str, base_licences: Iterable[str]) -> list[Conflict]:
    """Declared licences that cannot carry a base model's terms (compatibility engine)."""
    from licencecmp.reasoning.compatibility import CompatVerdict, compat

    out: list[Conflict] = []
    for lic in own:
        for up in base_licences:
            if lic == up:
                continue
            try:
                result = compat(cat.licence(up), cat.licence(lic), cat)
            except LicencecmpError:
                continue  # an expression or a licence without terms: the upstream terms still apply
            if result.verdict in (CompatVerdict.INCOMPATIBLE, CompatVerdict.UNCLEAR):
                why = result.reasons[0].text if result.reasons else ""
                out.append(Conflict(base, up, lic, result.verdict.value, why))
    return out


def resolve_model(model_id: str, *, cat: Catalogue | None = None, online: bool = False,
                  cache_dir: Path | None = None, lock: Lock | None = None,
                  overrides: Mapping[str, str] | None = None) -> Resolution:
    """Resolve one model through the chain (registry, override, lock, cache, hub when ``online``,
    inferred, unknown)."""
    from licencecmp.data.catalogue import default_catalogue

    resolver = Resolver(cat or default_catalogue(), online=online, cache_dir=cache_dir, lock=lock,
                        overrides={k.casefold(): v for k, v in (overrides or {}).items()})
    return resolver.resolve(model_id)


def own_resolver(resolver: Resolver | None, cat: Catalogue) -> Resolver:
    """A resolver for what licencecmp itself knows or infers offline, whatever the repository
    declares: ``resolver`` without its lock and without the Hub (the registry, its family rules,
    the local Hugging Face cache, re-upload inference). A licence a card, an SBOM or the lock
    declares is applied together with this answer, never instead of it (issue 25, item 8)."""
    if resolver is None:
        return Resolver(cat)
    return replace(resolver, lock=None, online=False, overrides={}, _memo={})
