"""What every renderer shares: wrapping to the terminal width, the scenario line, escaping."""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from licencecmp.scenario import Scenario
from licencecmp.vocab import Verdict

if TYPE_CHECKING:
    from collections.abc import Sequence

    from licencecmp.data.records import Provenance
    from licencecmp.reasoning.comparison import Comparison

__all__ = ["NOTE", "WIDTH", "caption", "legend", "provenance_lines", "scenario_line", "wrap"]

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
    text = f"Scenario: {comp.scenario_text}."
    if comp.resolved:
        text += " Licence sources: " + "; ".join(
            f"{p.model}: {p.resolution}" + (f" from {p.inferred_from}" if p.inferred_from else "")
            for p in comp.resolved) + "."
    return text


def provenance_lines(resolved: Sequence[Provenance], indent: str = "  ") -> list[str]:
    """Where the licence of each model came from, then each of its base models with its licences
    and how they were resolved: one wrapped line each."""
    from licencecmp.reasoning.lookup import describe
    from licencecmp.render.escape import text as escape_text

    lines: list[str] = []
    for p in resolved:
        lics = ", ".join(p.licences)
        if p.resolution == "inferred":
            text = f"{p.model}: {lics}, inferred: a re-upload of {p.inferred_from} (resolution: inferred)"
        else:
            text = (f"{p.model}: {lics}, from the {describe(p.resolution)}" + (f" ({p.source})" if p.source else "")
                    + f" (resolution: {p.resolution})")
        lines.append(wrap(escape_text(text), indent + "    ", indent + "licence source: "))
        for b in p.base_models:
            facts = [", ".join(b.licences) or "licence unknown", b.resolution]
            if b.relation:
                facts.append(b.relation)
            if b.of != p.model:
                facts.append(f"base of {b.of}")
            lines.append(wrap(escape_text(f"{b.id} ({'; '.join(facts)})"), indent + "    ", indent + "base model: "))
    return lines
