"""Terminal styling: colour only on a TTY, never when NO_COLOR is set to a non-empty value (no-color.org:
"present and not empty") or TERM is dumb."""

from __future__ import annotations

import os
from typing import IO

from licencecmp.vocab import Verdict

_CODES = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36", "dim": "2",
          "bold": "1"}
_VERDICT_COLOUR = {
    Verdict.ALLOWED: "green",
    Verdict.CONDITIONAL: "yellow",
    Verdict.UNCLEAR: "magenta",
    Verdict.NEEDS_PERMISSION: "red",
    Verdict.PROHIBITED: "red",
}


def wants_colour(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


class Style:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def __call__(self, text: str, *names: str) -> str:
        if not self.colour or not names:
            return text
        codes = ";".join(_CODES[n] for n in names)
        return f"\033[{codes}m{text}\033[0m"

    def verdict(self, verdict: Verdict) -> str:
        return self(f"{verdict.symbol} {verdict.value}", "bold", _VERDICT_COLOUR[verdict])


PLAIN = Style(False)
