"""Renderings of compatibility results, the matrix, combinations and openness reports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from licencecmp.data.plain import SCHEMA_VERSION, jsonable
from licencecmp.render.common import provenance_lines, scenario_line, wrap
from licencecmp.render.style import PLAIN, Style

if TYPE_CHECKING:  # the answer path (`compat`) imports none of these: they are pydantic models
    from licencecmp.data.records import CompatResult, Licence, Provenance
    from licencecmp.engine import DecisionObligation
    from licencecmp.reasoning.combination import Combination
    from licencecmp.reasoning.openness import OpennessReport
    from licencecmp.vocab import CompatVerdict

_COMPAT_COLOUR = {"compatible": "green", "conditional": "yellow", "incompatible": "red", "unclear": "magenta"}


def compat_json(r: CompatResult) -> str:
    """The result as JSON, byte for byte pydantic's ``model_dump_json(indent=2)`` (without pydantic)."""
    import json

    return json.dumps(jsonable(r), indent=2, ensure_ascii=False) + "\n"


def compat_text(r: CompatResult, style: Style = PLAIN) -> str:
    head = style(f"{r.verdict.symbol} {r.verdict.value}", "bold", _COMPAT_COLOUR[r.verdict.value])
    lines = [f"{head}  a derivative of {style(r.upstream, 'bold')} released under {style(r.outbound, 'bold')}", ""]
    if r.resolved:
        lines[-1:-1] = provenance_lines(r.resolved)
    for reason in r.reasons:
        lines.append(wrap(f"[{reason.effect.value}] {reason.text}", "      ", "  - "))
        lines.append(wrap(f"{reason.licence} §{reason.section}: “{reason.quote}”", "        ", "      "))
    return "\n".join(lines) + "\n"


LEGEND = ("Legend: ✓ compatible  ◐ conditional (keep notices/licence copy)  ✗ incompatible  ? unclear. "
          "Rows: upstream; columns: outbound.")


def _ids(licences: Sequence[Licence | str]) -> list[str]:
    """Row and column labels: licence ids, or the names (model ids, expressions) as resolved."""
    return [x if isinstance(x, str) else x.id for x in licences]


def _grid(licences: Sequence[Licence | str], results: Sequence[CompatResult]) -> dict[tuple[str, str], CompatVerdict]:
    return {(r.upstream, r.outbound): r.verdict for r in results}


def matrix_table(licences: Sequence[Licence | str], results: Sequence[CompatResult], fmt: str = "simple") -> str:
    from tabulate import tabulate

    grid = _grid(licences, results)
    ids = _ids(licences)
    rows = [[up] + [grid[(up, down)].symbol for down in ids] for up in ids]
    sources = provenance_lines(matrix_resolved(results), "")
    return (tabulate(rows, headers=["upstream \\ outbound", *ids], tablefmt=fmt) + "\n\n" + LEGEND + "\n"
            + "".join(line + "\n" for line in sources))


def matrix_resolved(results: Sequence[CompatResult]) -> tuple[Provenance, ...]:
    """The provenance of every model in a matrix, each once."""
    seen: dict[str, Provenance] = {}
    for r in results:
        for p in r.resolved:
            seen.setdefault(p.model, p)
    return tuple(seen.values())


def matrix_json(licences: Sequence[Licence | str], results: Sequence[CompatResult]) -> str:
    """Every cell of the matrix with its verdict and reasons (``schema_version``)."""
    import json

    data = {"schema_version": results[0].schema_version if results else SCHEMA_VERSION,
            "licences": _ids(licences),
            "cells": [{"upstream": r.upstream, "outbound": r.outbound, "verdict": r.verdict.value,
                       "reasons": [x.model_dump(mode="json") for x in r.reasons]} for r in results],
            "resolved": [jsonable(p) for p in matrix_resolved(results)]}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def matrix_csv(licences: Sequence[Licence | str], results: Sequence[CompatResult]) -> str:
    import csv
    import io

    grid = _grid(licences, results)
    ids = _ids(licences)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["upstream", *ids])
    for up in ids:
        w.writerow([up, *[grid[(up, down)].value for down in ids]])
    return buf.getvalue()


def combination_text(c: Combination, style: Style = PLAIN) -> str:
    inputs = ", ".join(f"{i.role.value} {i.licence}" for i in c.inputs)
    lines = [style(f"Combined terms for a model built from: {inputs}", "bold")]
    lines += provenance_lines(c.resolved)
    if c.scenario.stated():
        lines.append("  scenario: " + scenario_line(c.scenario))
    lines.append("")
    conditions: list[str] = []
    for action, d in c.decisions.items():
        lines.append(f"  {style.verdict(d.verdict):<24} {action.value}")
        conditions += [cond for cond in d.conditions if cond not in conditions]
    if conditions:
        lines += ["", style("Conditions (facts not stated):", "bold")]
        lines += [wrap(cond, "      ", "  - ") for cond in conditions]
    if c.conflicts:
        lines += ["", style("Conflicts:", "bold", "red")]
        for conflict in c.conflicts:
            lines.append(wrap(f"[{conflict.kind}] {conflict.text} ({', '.join(conflict.licences)})", "      ", "  - "))
            for e in conflict.evidence:
                lines.append(wrap(f"{e.label}: “{e.quote}”", "        ", "      "))
    if c.settled:
        lines += ["", style("Settled by a clause of the licences:", "bold")]
        for conflict in c.settled:
            lines.append(wrap(f"[{conflict.kind}] {conflict.text} ({', '.join(conflict.licences)})", "      ", "  - "))
            for e in conflict.evidence:
                lines.append(wrap(f"{e.label}: “{e.quote}”", "        ", "      "))
    obligations: dict[tuple[str, str], DecisionObligation] = {}
    for d in c.decisions.values():
        for o in d.obligations:
            obligations.setdefault((o.licence, o.key), o)
    if obligations:
        lines += ["", style("Obligations (each with the licence it comes from):", "bold")]
        for (_, _), o in sorted(obligations.items()):
            when = f" ({o.when})" if o.when else ""
            lines.append(wrap(f"[ ] [{o.licence}] {o.text}{when}", "        ", "  "))
            if o.wording:
                lines.append(wrap(f"required wording: “{o.wording}”", "        ", "        "))
            cite = o.evidence[0]
            lines.append(wrap(f"§{cite.section}: “{cite.quote}”", "        ", "        "))
    if c.thresholds:
        lines += ["", style("Tightest thresholds:", "bold")]
        for t in c.thresholds:
            beyond = t.verdict.value if t.verdict else "more obligations"
            lines.append(f"  - {t.metric} {'≤' if t.inclusive else '<'} {t.max:,} ({t.licence}; beyond: {beyond})")
    if c.exclusions:
        lines += ["", style("Territorial exclusions:", "bold")]
        for ex in c.exclusions:
            scope = f", {ex.modality} models" if ex.modality else ""
            lines.append(f"  - {ex.fact} in {', '.join(ex.excluded)} ({ex.licence}{scope})")
    return "\n".join(lines) + "\n"


def openness_text(r: OpennessReport, style: Style = PLAIN) -> str:
    from licencecmp.reasoning.openness import CRITERIA, SOURCE_RULE

    verdict = style("✓ open source", "bold", "green") if r.open_source else style("✗ not open source", "bold", "red")
    lines = [f"{verdict}  {style(r.licence, 'bold')}  (OSI approved: {'yes' if r.osi_approved else 'no'})"]
    lines.append(wrap("open source: this tool's reading of the OSD against the licence's terms; OSI approved: "
                      "a fact recorded in the data, not derived from the reading", "    ", "  "))
    lines.append("  freedoms granted without asking: " + ", ".join(
        f"{k} {'✓' if v else '✗'}" for k, v in r.freedoms.items()))
    lines.append(f"  training data disclosed: {r.training_data}")
    lines += provenance_lines(r.resolved)
    if r.reasons:
        lines += ["", style("Failing criteria of the Open Source Definition:", "bold")]
        for c in r.reasons:
            lines.append(wrap(f"[{c.criterion}] {c.text}", "      ", "  - "))
            lines.append(wrap(f"({CRITERIA[c.criterion]})", "      ", "      "))
            lines.append(wrap(f"{c.licence} §{c.section}: “{c.quote}”", "        ", "      "))
    if r.unsettled:
        lines += ["", style("Open questions for weights (not failing criteria of the OSD reading):", "bold")]
        lines.append(wrap(SOURCE_RULE, "    ", "  "))
        for c in r.unsettled:
            lines.append(wrap(f"[{c.criterion}] {c.text}", "      ", "  - "))
            lines.append(wrap(f"{c.licence} §{c.section}: “{c.quote}”", "        ", "      "))
    return "\n".join(lines) + "\n"
