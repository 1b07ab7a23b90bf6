"""The local Hugging Face cache: a model's card and LICENSE file, read offline.

The cache is where ``huggingface_hub`` puts it: ``$HF_HUB_CACHE``, else ``$HF_HOME/hub``, else
``$XDG_CACHE_HOME/huggingface/hub``, else ``~/.cache/huggingface/hub`` (read at each call, so that
a changed environment is seen). Files are found through ``huggingface_hub.try_to_load_from_cache``
(the ``main`` revision); ``huggingface_hub`` is imported only when the model's folder exists. The
cached ``README.md`` front matter gives ``license``, ``license_name``, ``license_link`` and
``base_model``; a cached ``LICENSE`` file is recognised with :mod:`licencecmp.reasoning.identify`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from licencecmp.data.catalogue import Catalogue
    from licencecmp.scan.cards import CardFacts

__all__ = ["LICENSE_FILES", "MAX_CARD_BYTES", "cached_facts", "hub_cache_dir", "is_repo_id"]

LICENSE_FILES = ("LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "LICENCE.md", "LICENCE.txt", "license",
                 "license.md", "license.txt")
MAX_CARD_BYTES = 1024 * 1024


_REPO_ID = re.compile(r"(?:[\w.-]{1,96}/)?[\w.-]{1,96}", re.ASCII)


def is_repo_id(text: str) -> bool:
    """Whether ``text`` may name a Hub repository, by the rule ``huggingface_hub`` validates
    (``validate_repo_id``): at most 96 characters, word characters, ``-`` and ``.``, one optional
    ``/``, no ``--`` or ``..``, not starting or ending with ``-`` or ``.``. A name that is not one is
    never looked up in the cache or on the Hub (a long name would be an overlong file name there).

    >>> is_repo_id("Qwen/Qwen3-8B"), is_repo_id("acme/" + "x" * 300), is_repo_id("a/../b")
    (True, False, False)
    """
    return (len(text) <= 96 and _REPO_ID.fullmatch(text) is not None and "--" not in text and ".." not in text
            and all(p[:1] not in "-." and p[-1:] not in "-." for p in text.split("/")))


def hub_cache_dir() -> Path:
    """The Hugging Face hub cache folder, from the environment as ``huggingface_hub.constants``
    reads it (``HF_HUB_CACHE``, ``HUGGINGFACE_HUB_CACHE``, ``HF_HOME``, ``XDG_CACHE_HOME``, with
    ``~`` and ``$VAR`` expanded). The library computes its constant once, at import; this reads the
    environment at each call (tests/scan/test_hfcache_path.py proves the two agree)."""
    def expand(value: str) -> str:
        return os.path.expandvars(os.path.expanduser(value))

    env = os.environ.get("HF_HUB_CACHE") or os.environ.get("HUGGINGFACE_HUB_CACHE")
    if env:
        return Path(expand(env))
    home = os.environ.get("HF_HOME")
    if home:
        return Path(expand(home)) / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(expand(xdg) if xdg else os.path.join(os.path.expanduser("~"), ".cache")) / "huggingface" / "hub"


def _read(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CARD_BYTES + 1)
    except OSError:
        return None
    if len(data) > MAX_CARD_BYTES or b"\0" in data[:8192]:
        return None
    return data.decode("utf-8", "replace")


def _sha_of(path: str) -> str | None:
    parts = Path(path).parts
    return parts[parts.index("snapshots") + 1] if "snapshots" in parts[:-1] else None


def cached_facts(model_id: str, cat: Catalogue, cache_dir: Path | None = None) -> CardFacts | None:
    """What the cached card (or LICENSE file) of ``model_id`` declares, or None when the model is
    not in the cache or its cached files declare nothing."""
    from licencecmp.scan.cards import CardFacts, facts_from_meta

    if not is_repo_id(model_id):
        return None
    cache = Path(cache_dir) if cache_dir is not None else hub_cache_dir()
    folder = cache / ("models--" + model_id.replace("/", "--"))
    try:
        if not folder.is_dir():
            return None
    except OSError:  # unreadable cache: the model is not in it
        return None
    from huggingface_hub import try_to_load_from_cache

    def cached(filename: str) -> str | None:
        try:
            hit = try_to_load_from_cache(model_id, filename, cache_dir=str(cache), repo_type="model")
        except Exception:  # a malformed id or cache: not in the cache
            return None
        return hit if isinstance(hit, str) else None

    base_only: CardFacts | None = None
    readme = cached("README.md")
    text = _read(readme) if readme is not None else None
    if readme is not None and text is not None:
        from licencecmp.scan.cards import front_matter, load_yaml_bounded

        fm = front_matter(text)
        meta = None
        if fm is not None:
            try:
                meta = load_yaml_bounded(fm[0])
            except ValueError:
                meta = None
        if isinstance(meta, dict):
            facts = facts_from_meta(meta, f"cached {model_id}/README.md", sha=_sha_of(readme))
            if facts.licence or facts.licence_name or facts.licence_link:
                return facts
            base_only = facts if facts.base_models else None
    for name in LICENSE_FILES:
        path = cached(name)
        if path is None:
            continue
        text = _read(path)
        if not text:
            continue
        from licencecmp.reasoning.identify import identify_text

        ident = identify_text(text, cat)
        if ident.licence is not None:
            return CardFacts(licence=ident.licence, where=f"cached {model_id}/{name}", sha=_sha_of(path),
                             base_models=base_only.base_models if base_only else ())
    return None
