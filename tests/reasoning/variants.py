"""Reformatted copies of a licence text, as people paste them: straight quotes, rewrapped, Markdown."""

from __future__ import annotations

import re
import textwrap

__all__ = ["markdown", "rewrap", "straighten"]


def straighten(text: str) -> str:
    return text.translate(str.maketrans("“”’‘", "\"\"''"))


def rewrap(text: str) -> str:
    """Paragraphs refilled to another width. Only whitespace changes: no word (URL) is cut."""
    paras = re.split(r"\n\s*\n", text)
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width=57, break_long_words=False,
                                     break_on_hyphens=False) for p in paras)


def markdown(text: str) -> str:
    lines = text.splitlines()
    return "# " + lines[0].strip() + "\n\n" + "\n".join(f"**{ln}**" if ln.isupper() and ln.strip() else ln
                                                      for ln in lines[1:])
