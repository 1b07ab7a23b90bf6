"""Text normalisation shared by the evidence checks and licence identification."""

from __future__ import annotations

import re

__all__ = ["normalise", "normalise_loose"]

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
