"""Model cards: the YAML front matter of a Markdown file (``license``, ``license_name``,
``license_link``, ``base_model``), read with bounds on size, depth and alias expansion."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from licencecmp.errors import InputError
from licencecmp.scan.results import Found, ScanProblem, ScanResult, Skipped

__all__ = [
    "CARD_KEYS",
    "MAX_FRONT_MATTER",
    "MAX_YAML_DEPTH",
    "MAX_YAML_NODES",
    "YamlError",
    "front_matter",
    "load_yaml_bounded",
    "scan_card",
]

MAX_FRONT_MATTER = 1024 * 1024
MAX_YAML_NODES = 100_000
MAX_YAML_DEPTH = 200
CARD_KEYS = frozenset({"license", "license_name", "license_link", "base_model"})
MODEL_CARD_KEYS = frozenset({"base_model", "pipeline_tag", "library_name", "model-index", "model_name"})
"""Keys only a model card has: Markdown other than a README.md is a model card only with one of them (an
agent's SKILL.md, a blog post or a Jekyll page with ``license:`` is not)."""


def _front_matter(text: str) -> tuple[str, int] | None:
    """The YAML front matter of a Markdown file and the line it starts on, or None."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text.startswith("---"):
        return None
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != "---":
        return None
    m = re.search(r"^(?:---|\.\.\.)[ \t]*\r?$", text[first_nl + 1:], re.MULTILINE)
    if m is None:
        return None
    return text[first_nl + 1:first_nl + 1 + m.start()], 2


def front_matter(text: str) -> tuple[str, int] | None:
    """The YAML front matter of a Markdown file and the line it starts on, or None."""
    return _front_matter(text)


class _TooBig(Exception):
    pass


def _count_nodes(obj: Any, budget: list[int]) -> None:
    """Walk a loaded YAML value, counting nodes with aliases expanded ("billion laughs" guard)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooBig
    if isinstance(obj, dict):
        for k, v in obj.items():
            _count_nodes(k, budget)
            _count_nodes(v, budget)
    elif isinstance(obj, list):
        for v in obj:
            _count_nodes(v, budget)


def load_yaml_bounded(text: str, *, max_bytes: int = MAX_FRONT_MATTER, max_nodes: int = MAX_YAML_NODES) -> Any:
    """``yaml.safe_load`` with bounds on size and alias expansion. Raises :class:`InputError` (a ValueError)."""
    import yaml

    if len(text) > max_bytes:
        raise InputError(f"YAML larger than {max_bytes // 1024} KiB")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_depth(yaml, text, loader)
        data = yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise YamlError(str(problem), line) from None
    try:
        _count_nodes(data, [max_nodes])
    except (_TooBig, RecursionError):
        raise InputError(f"YAML expands to more than {max_nodes} nodes (alias bomb?)") from None
    return data


def _check_depth(yaml: Any, text: str, loader: Any) -> None:
    """Refuse YAML nested deeper than MAX_YAML_DEPTH, from the parser's events (an iterative
    parse): composing very deep YAML recurses in C and can overflow the stack (a segfault)."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise InputError(f"YAML nested deeper than {MAX_YAML_DEPTH} levels")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


class YamlError(InputError):
    def __init__(self, problem: str, line: int | None) -> None:
        super().__init__(problem)
        self.line = line


def _str_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def _key_line(front: str, key: str, offset: int) -> int:
    m = re.search(rf"^{re.escape(key)}\s*:", front, re.MULTILINE)
    return offset + front.count("\n", 0, m.start()) if m else offset - 1


def _card_name(meta: dict[str, Any], rel: str, root: Path) -> str:
    index = meta.get("model-index")
    if isinstance(index, list) and index and isinstance(index[0], dict) and isinstance(index[0].get("name"), str):
        return str(index[0]["name"])
    if isinstance(meta.get("model_name"), str):
        return str(meta["model_name"])
    parent = str(Path(rel).parent.as_posix())
    return root.resolve().name if parent == "." else parent


def scan_card(text: str, rel: str, root: Path, readme: bool, res: ScanResult) -> None:
    fm = _front_matter(text)
    if fm is None:
        return
    front, offset = fm
    try:
        meta = load_yaml_bounded(front)
    except YamlError as exc:
        line = offset + exc.line - 1 if exc.line else 1
        if readme:
            res.problems.append(ScanProblem(rel, line, f"invalid YAML front matter: {exc}"))
        else:
            res.skipped.append(Skipped(rel, f"front matter is not valid YAML (line {line}); not a model card"))
        return
    except ValueError as exc:
        if readme:
            res.problems.append(ScanProblem(rel, 1, f"front matter rejected: {exc}"))
        else:
            res.skipped.append(Skipped(rel, f"front matter rejected: {exc}"))
        return
    if not isinstance(meta, dict):
        return
    # A Hugging Face Space: its licence is the app's; the models it uses are listed in `models`.
    if "sdk" in meta:
        line = _key_line(front, "models", offset)
        for mid in _str_list(meta.get("models")):
            res.found.append(Found(mid, "space", rel, line))
        return
    if not CARD_KEYS & meta.keys():
        return
    if not readme and not MODEL_CARD_KEYS & meta.keys():
        return  # front matter with a licence, but not a model card
    licence = _str_list(meta.get("license"))
    name = _str_list(meta.get("license_name"))
    link = _str_list(meta.get("license_link"))
    bases = _str_list(meta.get("base_model"))
    relation = _str_list(meta.get("base_model_relation"))
    key = "license" if "license" in meta else ("base_model" if bases else next(iter(CARD_KEYS & meta.keys())))
    res.found.append(Found(
        model=_card_name(meta, rel, root), source="model-card", path=rel, line=_key_line(front, key, offset),
        licence=" AND ".join(licence) if licence else None,
        licence_name=name[0] if name else None, licence_link=link[0] if link else None,
        base_models=tuple(bases), relation=relation[0] if relation else None,
    ))


# -- what a card says (a card in the tree, in the local cache, or the Hub's card data) ---------


@dataclass(frozen=True)
class CardFacts:
    """What a model card (or the Hub's card data) declares about licensing."""

    licence: str | None = None
    licence_name: str | None = None
    licence_link: str | None = None
    base_models: tuple[str, ...] = ()
    relation: str | None = None
    where: str = ""
    sha: str | None = None


def _strs(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, (list, tuple)):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    return []


def facts_from_meta(meta: Mapping[str, Any], where: str, *, tags: Iterable[str] = (),
                    sha: str | None = None) -> CardFacts:
    """Card facts from a card's front matter (or the Hub's ``cardData``) and its tags
    (``license:...``, ``base_model:...``)."""
    licence = _strs(meta.get("license"))
    bases = _strs(meta.get("base_model"))
    relation = _strs(meta.get("base_model_relation"))
    for tag in tags:
        if not isinstance(tag, str):
            continue
        if tag.startswith("license:") and not licence:
            licence = [tag[len("license:"):]]
        elif tag.startswith("base_model:"):
            rest = tag[len("base_model:"):]
            kind, _, mid = rest.partition(":")
            if mid and kind in ("finetune", "adapter", "quantized", "merge"):
                relation = relation or [kind]
                rest = mid
            if rest not in bases:
                bases.append(rest)
    return CardFacts(
        licence=" AND ".join(licence) if licence else None,
        licence_name=next(iter(_strs(meta.get("license_name"))), None),
        licence_link=next(iter(_strs(meta.get("license_link"))), None),
        base_models=tuple(bases), relation=relation[0] if relation else None, where=where, sha=sha)
