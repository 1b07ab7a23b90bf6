"""mkdocs hooks. The docstrings are Google style (mkdocstrings renders Args, Returns, Raises and
Examples); older ones still hold Sphinx roles such as :class:`Decision`, which mkdocstrings would
show raw: they are rendered here as code."""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:py:)?(?:class|func|data|meth|attr|mod|exc|obj|const):<code>(~?)([^<]*)</code>")


def _code(match: re.Match[str]) -> str:
    short, target = match.group(1), match.group(2)
    return f"<code>{target.rsplit('.', 1)[-1] if short else target}</code>"


def on_page_content(html: str, **kwargs: Any) -> str:
    return _ROLE.sub(_code, html)
