"""Text normalisation shared by the evidence checks and licence identification."""

from __future__ import annotations

import difflib
import re

__all__ = ["casefold_name", "glob_match", "is_expression", "nearest", "normalise", "normalise_loose"]

_EMPHASIS = re.compile(r"(\*\*|__|\*|(?<!\w)_|_(?!\w))")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")
_SPACE = re.compile(r"\s+")
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")  # [^<>]: linear on "<a<a<a..."


def normalise(text: str) -> str:
    """Fold whitespace and drop Markdown emphasis and escapes; keep every word and character."""
    text = text.replace("\ufeff", "")
    text = _ESCAPE.sub(r"\1", text)
    text = _EMPHASIS.sub("", text)
    return _SPACE.sub(" ", text).strip()


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'",
                         "–": "-", "—": "-", "\u00a0": " "})


_LINK = re.compile(r"\[([^\[\]]*)\]\([^()\s]*\)")
_MARKER = re.compile(r"(?m)^[ \t]*(#{1,6}|[*+\-]|\d+[.)]|[a-z][.)]|[ivx]+[.)])\s+")


def normalise_loose(text: str) -> str:
    """For matching reformatted copies: also folds case, curly quotes, dashes, HTML tags,
    Markdown headings, list markers and link syntax."""
    text = _HTML_TAG.sub(" ", text)
    # Every pattern here runs in linear time (no scan that can restart at each of n positions and
    # run to the end): a LICENSE file of blank lines or brackets must not take minutes.
    text = _LINK.sub(r"\1", text)  # [label](url) -> label
    text = _MARKER.sub(" ", text)
    text = normalise(text).translate(_QUOTES).casefold()
    return _SPACE.sub(" ", text).strip()


_OPERATOR = re.compile(r"(^|\s)(and|or|with)(\s|$)|[()]", re.IGNORECASE)


def is_expression(name: str) -> bool:
    """True when ``name`` reads as a compound licence expression (an operator word or a bracket)
    rather than one id, alias or model (some licence titles read so: the catalogue knows which)."""
    if len(name) > 4 and "(" not in name and ")" not in name and name.split(None, 1) == [name]:
        # No bracket and no white space (the one test \s makes): an operator word would be all of it.
        return False
    return bool(_OPERATOR.search(name))


def casefold_name(name: str) -> str:
    """The form names are compared in: stripped and case-folded."""
    return name.strip().casefold()


def glob_match(pattern: str, name: str) -> bool:
    """Whether ``name`` matches ``pattern``, where ``*`` stands for any characters (none too) and
    every other character stands for itself, case-insensitively. No regular expression: the
    literal parts are found left to right, each once, so the time is linear in the name.

    >>> glob_match("Qwen3-*", "qwen3-8b"), glob_match("granite-*-instruct", "granite-3.3-8b-base")
    (True, False)
    """
    parts = pattern.casefold().split("*")
    text = name.casefold()
    if len(parts) == 1:
        return text == parts[0]
    head, tail = parts[0], parts[-1]
    if len(text) < len(head) + len(tail) or not text.startswith(head) or not text.endswith(tail):
        return False
    pos, end = len(head), len(text) - len(tail)
    for middle in parts[1:-1]:
        found = text.find(middle, pos, end)
        if found < 0:
            return False
        pos = found + len(middle)
    return True


def nearest(name: str, choices: list[str], n: int = 3, cutoff: float = 0.5, contained: bool = True) -> list[str]:
    """The known names closest to ``name`` (for "did you mean ...?"), at most ``n``.

    >>> nearest("lama-3.1", ["llama-3.1", "gemma"])
    ['llama-3.1']
    """
    folded = {casefold_name(c): c for c in choices}
    hits = difflib.get_close_matches(casefold_name(name), list(folded), n=n, cutoff=cutoff)
    if not hits and contained:  # fall back to a containment match, e.g. "llama" -> llama-2, llama-3, ...
        hits = [k for k in folded if casefold_name(name) and casefold_name(name) in k][:n]
    return [folded[h] for h in hits]
