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
``family``    a maker's statement for a family of models, a rule over names (:attr:`Resolver.family`);
``inferred``  a re-upload (GGUF, AWQ, MLX, 4-bit ...) of exactly one registry model;
``hub``       the Hugging Face Hub (online mode only);
``unknown``   no source answered: a finding that fails the check by default.

A source that answers with a licence the catalogue does not know (``license: other`` with an
unknown ``license_name``, a LicenseRef) ends the chain as ``unknown``, with that licence named in
the reason: it is never passed.

>>> from licencecmp.data.catalogue import default_catalogue
>>> infer_reupload("bartowski/Llama-3.2-3B-Instruct-GGUF", default_catalogue()).id
'meta-llama/Llama-3.2-3B-Instruct'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from licencecmp.errors import LicencecmpError
from licencecmp.scan.cards import CardFacts

if TYPE_CHECKING:
    from licencecmp.data.catalogue import Catalogue
    from licencecmp.data.records import Lineage, ModelEntry, Provenance
    from licencecmp.reasoning.lookup import Binding, Name
    from licencecmp.scan.lock import Lock

__all__ = [
    "BUILD_SUFFIXES",
    "COPY_RELATIONS",
    "MAKER_SUFFIX",
    "MAX_BASES",
    "RESOLUTIONS",
    "REUPLOAD_ORGS",
    "Conflict",
    "Resolution",
    "Resolver",
    "bind",
    "build_levels",
    "declared_licence",
    "infer_reupload",
    "own_resolver",
    "resolve_model",
    "strip_build_suffixes",
]

ResolutionKind = Literal["registry", "override", "lock", "card", "sbom", "cache", "family", "inferred", "hub",
                         "unknown"]
RESOLUTIONS: tuple[str, ...] = ("registry", "override", "lock", "card", "sbom", "cache", "family", "inferred", "hub",
                                "unknown")

REUPLOAD_ORGS = frozenset(o.lower() for o in (
    "unsloth", "bartowski", "TheBloke", "lmstudio-community", "mlx-community", "ggml-org", "Xenova",
    "onnx-community", "RedHatAI", "neuralmagic", "QuantFactory", "MaziyarPanahi", "mradermacher",
    "second-state", "NousResearch", "solidrust", "casperhansen", "turboderp", "LoneStriker", "TechxGenus",
    "hugging-quants", "nm-testing", "Qwen-GGUF", "DevQuasar", "QuixiAI", "ModelCloud", "bullerwins",
    "mlc-ai", "OpenVINO", "nvidia-quant", "ubergarm", "Mungert", "lmstudio-ai", "gaianet", "legraphista",
))
"""Organisations that publish re-uploads (quantised or converted builds) of others' models."""

ORG_RENAMES: Mapping[str, str] = {"cohereforai": "coherelabs", "thudm": "zai-org"}
"""Organisations renamed on the Hub (former name -> new name, lower case; the Hub redirects the
former). Two registry entries of one name under a former and a new name, with the same licence and
upstream, are the same model: a re-upload of that name is inferred to be the new name's entry."""

BUILD_SUFFIXES: tuple[str, ...] = (
    # formats and runtimes
    "gguf", "ggml", "mlx", "mlc", "onnx", "ov", "openvino", "hf", "safetensors", "ct2", "coreml", "tflite",
    # quantisation methods and their tools
    "awq", "gptq", "exl2", "exl3", "bnb", "hqq", "marlin", "torchao", "quantized", "quant", "quanto",
    # number formats and bit widths
    "fp8", "fp16", "bf16", "fp4", "nvfp4", "mxfp4", "int4", "int8", "nf4", "w4a16", "w8a8", "w8a16", "w4a8",
    r"\d{1,2}bit", r"mlx-\dbit", r"\d(?:\.\d{1,2})?bpw", r"h\d", r"q\d(?:f\d{1,2})?(?:_[0-9a-z]{1,2}){0,3}",
    r"iq\d(?:_[0-9a-z]{1,3}){0,3}", "i1", "imatrix", r"gs?\d{2,3}", "kv",
    # how the build was made
    "dynamic", "static", "block", "dwq", "ddwq", "qat", "sym", "asym", "channelwise", "mixed", "unsloth",
    "lora-merged",
    "ud", "mlx-community",
)
"""The name suffixes of a re-upload's build (``-GGUF``, ``-bnb-4bit``, ``-4bit``, ``-DWQ``, ``-FP8-torchao``,
``-FP8-dynamic``, ``-Q4_K_M``, ``-hf``, ...), each a regular expression matched case-insensitively
as a whole ``-``, ``_`` or ``.``-separated part at the end of a name; declared once, here. A name
loses them one by one (``-unsloth-bnb-4bit`` is three)."""

_BUILD_SUFFIX = re.compile(r"(?i)[-_.](?:" + "|".join(BUILD_SUFFIXES) + r")$")

MAKER_SUFFIX = re.compile(r"[-_]hf$")
"""The suffix a maker puts on its own Transformers-format model (``codellama/CodeLlama-7b-hf``,
``allenai/OLMo-7B-hf``) that re-uploaders drop (``unsloth/codellama-7b-bnb-4bit``): a re-upload's
name is matched without it only when nothing matches the names as they are (:func:`infer_reupload`)."""

MAX_NAME = 200
"""A longer repo name is not a Hugging Face name (the Hub allows 96 characters): nothing is inferred."""


def strip_build_suffixes(name: str) -> tuple[str, bool]:
    """A repo name without its build suffixes, and whether any was stripped.

    >>> strip_build_suffixes("Llama-3.2-3B-Instruct-bnb-4bit")
    ('Llama-3.2-3B-Instruct', True)
    """
    levels = build_levels(name)
    return levels[-1], len(levels) > 1


def build_levels(name: str) -> list[str]:
    """``name`` and each name it becomes as its build suffixes come off, longest first.

    >>> build_levels("Qwen3-8B-FP8-dynamic")
    ['Qwen3-8B-FP8-dynamic', 'Qwen3-8B-FP8', 'Qwen3-8B']
    """
    out = [name]
    while len(out) <= 16:
        m = _BUILD_SUFFIX.search(out[-1])
        if m is None or m.start() == 0:
            break
        out.append(out[-1][:m.start()])
    return out


def infer_reupload(model_id: str, cat: Catalogue) -> ModelEntry | None:
    """The one registry model that ``model_id`` looks like a re-upload of, or None (no match or
    more than one). A re-upload is published by a known re-upload organisation, or its name
    carries a build suffix (:data:`BUILD_SUFFIXES`); the rest of the name must then equal one
    registry model's name (any case; ``Meta-`` before a Llama name or not), or, as bartowski
    names them, ``ORG_NAME`` one registry model's ``ORG/NAME``. The longest name that matches
    anything decides: two matches there and nothing is inferred. Only when no form of the name
    matches any registry name is a maker's ``-hf`` name (:data:`MAKER_SUFFIX`, the Transformers
    conversion a maker publishes as its model: ``codellama/CodeLlama-7b-hf``) matched without that
    suffix (``unsloth/codellama-7b-bnb-4bit``), again only when exactly one model matches. Last, a
    name no registry entry has is matched against the makers' family rules (:func:`_family_match`)."""
    org, sep, name = model_id.partition("/")
    if not sep or len(model_id) > MAX_NAME:
        return None
    levels = build_levels(name)
    reuploader = org.lower() in REUPLOAD_ORGS
    if len(levels) == 1 and not reuploader:
        return None
    index = cat.memo(("reupload-index",), lambda: _name_index(cat))
    makers = cat.memo(("reupload-maker-index",), lambda: _maker_index(cat))
    for names in (index, makers):
        for level in levels:
            hits = _one_model(set(_matches(level, names, cat)), cat)
            if not reuploader:  # an unknown organisation: its own name must not be the match
                hits = {h for h in hits if h.lower() != model_id.lower()}
            if len(hits) == 1:
                return cat.find_model(next(iter(hits)))
            if hits:
                return None  # ambiguous: never guess
    return _family_match(model_id, levels, reuploader, cat)


def _family_match(model_id: str, levels: list[str], reuploader: bool, cat: Catalogue) -> ModelEntry | None:
    """When no registry name matches: the one model a maker's family rule answers for under the
    re-upload's name without its build suffixes (``unsloth/Qwen3.5-2B`` and ``mlx-community/Qwen3.5-2B-4bit``
    are builds of ``Qwen/Qwen3.5-2B``, which the Qwen rule answers for; bartowski's ``ORG_NAME`` too).
    Nothing is inferred when two organisations' rules answer for the name, or when the name may be a
    registry name cut short by the stripping (``Mixtral-8x22B-v0`` of ``Mixtral-8x22B-v0.1.0bpw``: a
    registry name continues it with a ``.``)."""
    bare = levels[-1]
    names = cat.memo(("reupload-sorted-names",), lambda: sorted(_name_index(cat)))
    cut = bare.lower() + "."
    at = bisect.bisect_left(names, cut)
    if at < len(names) and names[at].startswith(cut):
        return None  # perhaps a version cut short: never guess
    orgs = cat.memo(("reupload-family-orgs",), lambda: tuple(sorted({r.org for r in cat.families()})))
    owner, us, rest = bare.partition("_")
    candidates = [f"{org}/{bare}" for org in orgs] + ([f"{owner}/{rest}"] if us and rest else [])
    hits = {n.lower(): n for n in candidates if cat.find_family(n) is not None}
    if not reuploader:  # an unknown organisation: its own name must not be the match
        hits.pop(model_id.lower(), None)
    if len(hits) != 1:
        return None  # none, or ambiguous: never guess
    hit = next(iter(hits.values()))
    rule = cat.find_family(hit)
    return None if rule is None else cat.family_entry(hit, rule)


COPY_RELATIONS = frozenset({"quantized", "derivative"})
"""Relations of a registry entry that is a copy of its upstream model under another organisation
(``alpindale/Llama-3.2-11B-Vision-Instruct`` of Meta's): where a re-upload's name matches both, it is
the upstream's build (:func:`_one_model`)."""


def _one_model(hits: set[str], cat: Catalogue) -> set[str]:
    """``hits`` with each entry under an organisation's former name (:data:`ORG_RENAMES`) dropped
    where the new name's entry of the same name has the same licence and upstream, and each entry
    that is a copy (:data:`COPY_RELATIONS`) of another hit under the same licence dropped: one model."""
    if len(hits) < 2:
        return hits
    lowered = {h.lower(): h for h in hits}
    out = set(hits)
    for h in hits:
        entry = cat.find_model(h)
        if entry is None:
            continue
        if entry.relation in COPY_RELATIONS and any(
                up.lower() in lowered and (original := cat.find_model(up)) is not None
                and original.licence == entry.licence for up in entry.upstream):
            out.discard(h)
            continue
        org, _, name = h.partition("/")
        new_org = ORG_RENAMES.get(org.lower())
        twin = lowered.get(f"{new_org}/{name.lower()}") if new_org else None
        new = cat.find_model(twin) if twin is not None else None
        if new is not None and (entry.licence, entry.upstream) == (new.licence, new.upstream):
            out.discard(h)
    return out


def _matches(level: str, index: dict[str, tuple[str, ...]], cat: Catalogue) -> list[str]:
    low = level.lower()
    owner, us, rest = level.partition("_")
    if us and rest:  # bartowski's ORG_NAME
        entry = cat.find_model(f"{owner}/{rest}")
        if entry is not None:
            return [entry.id]
    candidates = {low, low[5:] if low.startswith("meta-") else "meta-" + low}
    return [mid for c in candidates for mid in index.get(c, ())]


def _name_index(cat: Catalogue) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for m in cat.models():
        index.setdefault(m.id.split("/", 1)[1].lower(), []).append(m.id)
    return {k: tuple(v) for k, v in index.items()}


def _maker_index(cat: Catalogue) -> dict[str, tuple[str, ...]]:
    """The registry models whose name ends in :data:`MAKER_SUFFIX`, by their name without it."""
    index: dict[str, list[str]] = {}
    for m in cat.models():
        name = m.id.split("/", 1)[1].lower()
        bare = MAKER_SUFFIX.sub("", name)
        if bare != name and bare:
            index.setdefault(bare, []).append(m.id)
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


MAX_BASES = 8
"""At most this many base models are read from one source (a card listing hundreds of merge parents
is cut there, with a note), and at most :data:`licencecmp.reasoning.lookup.MAX_LINEAGE` in all."""


@dataclass(frozen=True)
class Resolution:
    """The answer for one model: its licences, the upstream licences that also bind it, and
    which source of the chain answered; ``lineage`` lists its base models, each with its licences
    and how it was resolved."""

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
    lineage: tuple[Lineage, ...] = ()

    @property
    def known(self) -> bool:
        return bool(self.licences)

    @property
    def source(self) -> str | None:
        """What the answer rests on, in words: the file or entry, and the Hub revision."""
        parts = [x for x in (self.where, f"revision {self.sha}" if self.sha else None) if x]
        return ", ".join(parts) or None

    def provenance(self) -> Provenance:
        """The answer as every result reports it (``resolved``)."""
        from licencecmp.data.records import Provenance

        return Provenance.model_construct(model=self.model, resolution=self.resolution, licences=self.licences,
                                          upstream=self.upstream, inferred_from=self.inferred_from,
                                          source=self.source, base_models=self.lineage)


FamilyStep = Callable[[str], "Resolution | None"]
"""The ``family`` step of the chain: a maker's statement for a family of models, encoded once as a
rule over names, answers with ``resolution = "family"`` and the rule in ``where``."""


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
    family: FamilyStep | None = None  # replaces the family step (the catalogue's rules) when set
    _hub: dict[str, Any] = field(default_factory=dict)
    _memo: dict[str, Resolution] = field(default_factory=dict)
    _nodes: dict[str, Resolution] = field(default_factory=dict)
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
            if mid.casefold() in self._hub or self._local(mid, None) is not None:
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

    def from_family(self, model_id: str) -> Resolution | None:
        """The family step: a maker's rule over names that ``model_id`` falls under, or None."""
        return self.family(model_id) if self.family is not None else self._from_family(model_id)

    def resolve(self, model_id: str, card: CardFacts | None = None) -> Resolution:
        """The model's resolution with its lineage (memoised unless a card is given)."""
        key = model_id.casefold()
        if card is None and key in self._memo:
            return self._memo[key]
        res = self._with_bases(self._node(model_id, card))
        if card is None:
            self._memo[key] = res
        return res

    def _registry(self, model_id: str) -> Resolution | None:
        cat = self.cat
        entry = cat.find_model(model_id)
        if entry is None:
            return None
        try:
            upstream = tuple(lic.id for lic in cat.upstream_licences(entry))
            if entry.licence in cat.unavailable:
                cat.resolve(entry.id)  # raises LicenceNotInCatalogueError, with the reason
        except LicencecmpError as exc:
            # A licence the catalogue has no text for: reported by name, never passed.
            return Resolution(entry.id, "unknown", declared=(entry.licence,), base_models=entry.upstream,
                              reason=f"registry: {exc}", relation=entry.relation)
        return Resolution(entry.id, "registry", (entry.licence,), upstream, base_models=entry.upstream,
                          relation=entry.relation, where=entry.source)

    def _before_hub(self, model_id: str, card: CardFacts | None) -> Resolution | None:
        """Registry, override, lock, card in the repository, local cache, family rule: the exact
        and local answers first, then a rule over names."""
        cat = self.cat
        res = self._registry(model_id)
        if res is not None:
            return res
        override = self.overrides.get(model_id.casefold())
        if override:
            try:
                return Resolution(model_id, "override", (_canonical(cat, override),), where="policy")
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
        return self.from_family(model_id)

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

    def _local(self, model_id: str, card: CardFacts | None) -> Resolution | None:
        """Every source before the Hub: the local ones, then an inferred re-upload."""
        res = self._before_hub(model_id, card)
        if res is not None:
            return res
        entry = infer_reupload(model_id, self.cat)
        if entry is None:
            return None
        base = self._registry(entry.id) or self._from_family(entry.id)
        if base is None or not base.licences:
            return Resolution(model_id, "unknown", inferred_from=entry.id, base_models=(entry.id,),
                              relation="quantized", reason=f"a re-upload of {entry.id}, whose "
                              f"{(base.reason if base else None) or 'licence is unknown'}")
        return Resolution(model_id, "inferred", base.licences, base.upstream, base_models=(entry.id,),
                          inferred_from=entry.id, relation="quantized",
                          where=f"the name: a re-upload of {entry.id}")

    def _node(self, model_id: str, card: CardFacts | None) -> Resolution:
        """One model alone, without its base models (memoised unless a card is given)."""
        key = model_id.casefold()
        if card is None and key in self._nodes:
            return self._nodes[key]
        res = self._local(model_id, card)
        if res is None:
            res = self._from_hub(model_id)
        if card is None:
            self._nodes[key] = res
        return res

    def _from_hub(self, model_id: str) -> Resolution:
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
                    return res
            hub_reason = answer.reason
        reasons = ["not in the registry, the policy, the lock, a model card or the local Hugging Face cache, "
                   "and not a re-upload of one registry model"]
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
        where = facts.where or ("the Hub's card data" if kind == "hub" else None)
        if canonical is not None:
            return Resolution(model_id, kind, (canonical,), base_models=facts.base_models, declared=declared,
                              sha=facts.sha, where=where, relation=facts.relation)
        if why:
            return Resolution(model_id, "unknown", declared=declared, reason=f"{kind}: {why}", sha=facts.sha,
                              where=where, base_models=facts.base_models, relation=facts.relation)
        return None  # the card declares no licence: try the next source

    def lineage(self, model_id: str, bases: Iterable[str], relation: str | None = None) -> tuple[Lineage, ...]:
        """The base models of a model whose direct bases are known (a registry entry's, a card's),
        walked as :meth:`resolve` walks them."""
        node = Resolution(model_id, "card", base_models=tuple(dict.fromkeys(bases)), relation=relation)
        return self._with_bases(node).lineage

    def _with_bases(self, res: Resolution) -> Resolution:
        """Walk the base models as a graph (breadth first, each model once, at most
        :data:`MAX_BASES` read from one model and ``MAX_LINEAGE`` in all): list each with its
        licences and how it was resolved, add their licences to the upstream licences, and find
        declared licences that cannot carry a direct base's terms."""
        from licencecmp.data.records import Lineage
        from licencecmp.reasoning.lookup import MAX_LINEAGE

        if not res.base_models:
            return res
        upstream = list(res.upstream)
        conflicts: list[Conflict] = []
        notes: list[str] = []
        lineage: list[Lineage] = []
        seen = {res.model.casefold()}
        queue: list[tuple[str, Resolution]] = []

        def read_bases(node: Resolution) -> None:
            bases = [b for b in dict.fromkeys(node.base_models) if b.casefold() != node.model.casefold()]
            if len(bases) > MAX_BASES:
                notes.append(f"{node.model} names {len(bases)} base models; the first {MAX_BASES} were read")
            queue.extend((b, node) for b in bases[:MAX_BASES])

        read_bases(res)
        while queue:
            base, of = queue.pop(0)
            if base.casefold() in seen:
                continue
            seen.add(base.casefold())
            if len(lineage) >= MAX_LINEAGE:
                notes.append(f"more than {MAX_LINEAGE} base models: the rest were not read")
                break
            b = self._node(base, None)
            lineage.append(Lineage.model_construct(
                id=b.model, licences=b.licences, resolution=b.resolution, relation=of.relation, of=of.model,
                inferred_from=b.inferred_from, reason=b.reason))
            if not b.licences:
                notes.append(f"base model {base!r}: licence unknown ({b.reason or 'no source answered'}); its "
                             "terms were not checked")
                continue
            for lic in (*b.licences, *b.upstream):
                if lic not in upstream and lic not in res.licences:
                    upstream.append(lic)
            if of is res and res.resolution not in ("registry", "family", "inferred"):
                conflicts += licence_conflicts(self.cat, res.licences, base, b.licences)
            read_bases(b)
        return replace(res, upstream=tuple(upstream), conflicts=tuple(conflicts), notes=(*res.notes, *notes),
                       lineage=tuple(lineage))


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


def resolver_here(cat: Catalogue, online: bool = False, start: Path | None = None) -> Resolver:
    """The resolver for a question asked outside ``check``: online when asked (``online``,
    ``LICENCECMP_ONLINE=1``), with the policy's models (``models = [{ id, licence }]``) and the
    lock of the repository around ``start`` (default: the current folder), where it has them."""
    from licencecmp.scan.hub import online_requested
    from licencecmp.scan.lock import find_lock, read_lock
    from licencecmp.scan.policy import find_policy_up, load_policy

    here = start if start is not None else Path.cwd()
    lock_path = find_lock(here)
    policy_path = find_policy_up(here)
    overrides: dict[str, str] = {}
    if policy_path is not None:
        policy, _ = load_policy(policy_path, cat)
        overrides = {m.id.casefold(): m.licence for m in policy.models if m.licence}
    return Resolver(cat, online=online_requested(online) or (policy_path is not None and policy.online),
                    lock=read_lock(lock_path) if lock_path is not None else None, overrides=overrides)


def bind(name: Name, cat: Catalogue | None = None, *, online: bool = False, resolver: Resolver | None = None
         ) -> Binding:
    """What binds whoever uses ``name``, every command's one resolution: a licence id, alias or
    expression, or a registry model, as :func:`licencecmp.reasoning.lookup.lookup` says; any other
    model id through the chain (:class:`Resolver`). The binding says where its licence came from.

    Raises:
        UnknownModelError: no source knows the model, with the nearest known ids and what to do.
        LicenceNotInCatalogueError: its licence is one the catalogue has no text for.
    """
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.errors import LicenceNotInCatalogueError, UnknownModelError
    from licencecmp.reasoning.lookup import binding_for, lookup

    cat = cat or default_catalogue()
    try:
        return lookup(name, cat)
    except UnknownModelError as exc:
        if not isinstance(name, str):
            raise
        # a pasted Hub reference or a short name of one model (data/names.py) goes down the chain as
        # the repo id it stands for; a short name of a family is answered by the catalogue alone
        target = cat.model_target(name) or name
        if "/" not in target:
            raise
        res = (resolver or resolver_here(cat, online)).resolve(target)
        if res.licences:
            return binding_for(res.provenance(), cat)
        for lic in res.declared:  # a licence known to exist, not in the catalogue: said by name
            u = cat.unavailable_match(lic)
            if u is not None:
                raise LicenceNotInCatalogueError(u["id"], u["title"], u["reason"], model=target) from None
        reason = res.reason if target == name else f"{name!r} stands for {target}; {res.reason}"
        raise UnknownModelError(name, exc.suggestions, reason=reason) from None


def resolve_model(model_id: str, *, cat: Catalogue | None = None, online: bool = False,
                  cache_dir: Path | None = None, lock: Lock | None = None,
                  overrides: Mapping[str, str] | None = None) -> Resolution:
    """Resolve one model through the chain (registry, override, lock, cache, inferred, the Hub
    when ``online``, unknown)."""
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
