"""What every renderer shares: wrapping to the terminal width, the scenario line, escaping."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from licencecmp.scenario import Scenario
from licencecmp.vocab import Verdict

if TYPE_CHECKING:
    from licencecmp.reasoning.comparison import Comparison

__all__ = ["NOTE", "WIDTH", "caption", "legend", "scenario_line", "wrap"]

WIDTH = 100


def wrap(text: str, indent: str, first: str | None = None, width: int = WIDTH) -> str:
    """Fill ``text`` to ``width`` columns; ``first`` prefixes the first line (default: ``indent``).
    Long words (URLs, ids) are never broken."""
    return textwrap.fill(text, width=width, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_on_hyphens=False, break_long_words=False)


def scenario_line(scenario: Scenario) -> str:
    """The stated facts as ``key=value`` pairs, lists joined by commas: ``mau=800000000, used_in=DE,FR``.
    Empty when nothing is stated."""
    return ", ".join(f"{k}={','.join(str(x) for x in v) if isinstance(v, list) else v}"
                     for k, v in scenario.stated().items())


NOTE = "Not legal advice: each cell is a reading of the licence text; check the quoted clauses."


def legend() -> str:
    """One line naming each verdict symbol."""
    parts = [f"{v.symbol} {v.value} ({v.meaning})" for v in sorted(Verdict, key=lambda v: v.severity)]
    return "Legend: " + ", ".join(parts) + "."


def caption(comp: Comparison) -> str:
    """The scenario a comparison was made under, as a sentence."""
    return f"Scenario: {comp.scenario_text}."
