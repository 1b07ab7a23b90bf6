"""What every renderer shares: wrapping to the terminal width, the scenario line, escaping."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from licencecmp.scenario import Scenario
from licencecmp.vocab import COMPONENT_RELATION, Verdict

if TYPE_CHECKING:
    from collections.abc import Sequence

    from licencecmp.data.records import Provenance
    from licencecmp.reasoning.comparison import Comparison

__all__ = ["NOTE", "WIDTH", "caption", "legend", "lineage_line", "provenance_lines", "scenario_line", "unique_ids",
           "wrap"]

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
            label = "component: " if b.relation == COMPONENT_RELATION else "base model: "
            lines.append(wrap(lineage_line(b, p.model), indent + "    ", indent + label))
    return lines


def lineage_line(b: Any, model: str | None) -> str:
    """One base model of ``model`` in words, escaped: its id, licences, how it was resolved, its
    relation, and which model it is the base of when that is not ``model`` itself."""
    facts = [", ".join(b.licences) or "licence unknown", b.resolution]
    if b.relation:
        facts.append(b.relation)
    if b.of != model:
        facts.append(f"base of {b.of}")
    from licencecmp.render.escape import text as escape_text

    return escape_text(f"{b.id} ({'; '.join(facts)})")


def unique_ids(sep: str) -> Callable[[str], str]:
    """A function that makes ids unique within one document: the first ``base`` is itself, the next
    ``base{sep}2``, and so on (two models of one name in an SBOM, one licence text twice)."""
    taken: set[str] = set()

    def unique(base: str) -> str:
        out, n = base, 2
        while out in taken:
            out, n = f"{base}{sep}{n}", n + 1
        taken.add(out)
        return out

    return unique
