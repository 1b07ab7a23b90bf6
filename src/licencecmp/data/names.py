"""Names people type for models, read as the models they mean.

Two kinds, both data and parsing only (no licence is decided here; the catalogue does that):

- a reference to a Hugging Face repository in one of the forms people paste: a Hub URL
  (``https://huggingface.co/ORG/NAME``, with ``/tree/REV`` or ``/blob/...``), ``hf.co/ORG/NAME``
  (as Ollama pulls it, with a ``:Q4_K_M`` quantisation tag), ``ORG/NAME@REV``: :func:`hub_reference`;
- a short name (``gemma3``, ``qwen2.5``, ``sdxl``, an Ollama name such as ``llama3.1:8b``), looked
  up in ``names.toml`` beside this module: :func:`typed_name`;
- an org-less legacy name the Hub redirects (``gpt2``, ``bert-base-cased``, ``all-MiniLM-L6-v2``),
  looked up in ``hub_names.toml`` beside this module (its one declaration, which the scanner reads
  too): :func:`legacy_id`.

>>> hub_reference("https://huggingface.co/meta-llama/Llama-3.1-8B/tree/main")
('meta-llama/Llama-3.1-8B', 'main')
>>> hub_reference("hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M")
('bartowski/Llama-3.2-3B-Instruct-GGUF', None)
>>> hub_reference("meta-llama/Llama-3.1-8B") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from licencecmp.text import casefold_name

__all__ = ["TypedName", "hub_names", "hub_reference", "known_names", "legacy_id", "legacy_names", "st_names",
           "typed_name"]

MAX_REFERENCE = 512
"""A longer text is not read as a reference (nothing is inferred from it)."""

_REPO = r"(?P<repo>[A-Za-z0-9][\w.\-]{0,95}/[\w.\-]{1,96})"
_URL = re.compile(r"(?i)^(?:https?://)?(?:www\.)?(?:huggingface\.co|hf\.co)/(?:models/)?" + _REPO
                  + r"(?:/(?:tree|blob|resolve|commit)/(?P<rev>[\w.\-]{1,100})(?:/[^\s]*)?|/)?"
                  + r"(?::(?P<tag>[\w.\-]{1,64}))?/?$")
_AT_REV = re.compile(_REPO + r"@(?P<rev>[\w.\-/]{1,100})$")
_OLLAMA = re.compile(r"(?i)^(?P<name>[a-z0-9][\w.\- ]{0,63}?)(?::(?P<tag>[\w.\-]{1,64}))?$")
_SIZE = re.compile(r"(?i)^(?:e?\d+(?:\.\d+)?[bm])(?=$|-)")


def hub_reference(text: str) -> tuple[str, str | None] | None:
    """The repo id (and revision, where one is named) that a pasted Hub reference names, or None
    when ``text`` is no such reference (a plain ``ORG/NAME`` is a repo id already)."""
    text = text.strip()
    if len(text) > MAX_REFERENCE:
        return None
    m = _URL.match(text)
    if m is not None:
        return m["repo"].rstrip("."), m["rev"]
    m = _AT_REV.match(text)
    if m is not None:
        return m["repo"], m["rev"]
    return None


@dataclass(frozen=True)
class TypedName:
    """What a short name may mean: the registry models (``models``) or the Hub repo ids the
    registry does not list (``hub``), with the name's meaning in words; ``refused`` says why a tag
    was not read (the name then means nothing)."""

    name: str
    models: tuple[str, ...]
    hub: tuple[str, ...]
    reason: str
    refused: str | None = None

    @property
    def ids(self) -> tuple[str, ...]:
        return self.models + self.hub


def _read_toml(name: str) -> dict[str, Any]:
    """A TOML data file beside this module."""
    from importlib.resources import files

    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]

    return tomllib.loads(files("licencecmp.data").joinpath(name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Any], ...]:
    return tuple(_read_toml("names.toml")["names"])


@lru_cache(maxsize=1)
def hub_names() -> dict[str, Any]:
    """``hub_names.toml``: what id-shaped names are (legacy names, routes, placeholders; see its sources)."""
    return _read_toml("hub_names.toml")


@lru_cache(maxsize=1)
def legacy_names() -> dict[str, str]:
    """The legacy names of ``hub_names.toml`` (lower case) and the repo each stands for."""
    return {k.lower(): v for k, v in hub_names()["legacy"]["names"].items()}


@lru_cache(maxsize=1)
def st_names() -> dict[str, str]:
    """The sentence-transformers short names of ``hub_names.toml`` (lower case) and their repos."""
    return {n.lower(): f"sentence-transformers/{n}" for n in hub_names()["sentence_transformers"]["names"]}


@lru_cache(maxsize=1)
def _legacy() -> dict[str, str]:
    return {**st_names(), **legacy_names()}  # a legacy name wins


def legacy_id(text: str) -> str | None:
    """The repo id an org-less name stands for: a legacy name the Hub redirects to the organisation
    that now holds it, or a sentence-transformers model's short name; None for any other text.

    >>> legacy_id("bert-base-cased"), legacy_id("all-MiniLM-L6-v2"), legacy_id("mit")
    ('google-bert/bert-base-cased', 'sentence-transformers/all-MiniLM-L6-v2', None)
    """
    text = text.strip()
    if len(text) > 96 or "/" in text:
        return None
    return _legacy().get(text.lower())


def _index() -> dict[str, dict[str, Any]]:
    return {casefold_name(n): row for row in _table() for n in row["names"]}


def known_names() -> list[str]:
    """Every short name of ``names.toml`` (for suggestions)."""
    return [n for row in _table() for n in row["names"]]


def _glob(pattern: str) -> re.Pattern[str]:
    return re.compile("(?i)^" + ".*".join(re.escape(p) for p in pattern.split("*")) + "$")


def typed_name(text: str, registry_ids: Iterable[str]) -> TypedName | None:
    """The models a short name (or an Ollama ``NAME:TAG``) may mean, or None when ``names.toml``
    does not know the name."""
    text = text.strip()
    if len(text) > 80 or "/" in text:
        return None
    m = _OLLAMA.match(text)
    if m is None:
        return None
    row = _index().get(casefold_name(m["name"]))
    if row is None:
        return None
    tag = (m["tag"] or "").lower()
    tag = "" if tag == "latest" else tag
    reason = str(row["reason"])
    include = [_glob(p) for p in row.get("models", ())]
    exclude = [_glob(p) for p in row.get("exclude", ())]
    models = tuple(i for i in registry_ids
                   if any(p.match(i) for p in include) and not any(p.match(i) for p in exclude))
    hub = tuple(row.get("hub", ()))
    if tag:
        size = _SIZE.match(tag)
        if not row.get("ollama", False) or size is None or hub:
            return TypedName(text, (), (), reason, refused=f"the tag {tag!r} of {m['name']!r} is not read as a "
                             "model of the registry; name the model's Hugging Face id")
        want = size.group(0).lower()
        models = tuple(i for i in models if want in (p.lower() for p in re.split(r"[-_]", i.partition("/")[2])))
    return TypedName(text, models, hub, reason)
