"""Text and JSON renderings of decisions, licences and the catalogue."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from licencecmp.data.catalogue import Catalogue
from licencecmp.data.plain import SCHEMA_VERSION, jsonable
from licencecmp.engine import Decision
from licencecmp.reasoning.lookup import Binding
from licencecmp.render.common import provenance_lines, scenario_line, wrap
from licencecmp.render.style import PLAIN, Style
from licencecmp.vocab import Action

if TYPE_CHECKING:
    from licencecmp.data.records import Licence


def decision_text(d: Decision, style: Style = PLAIN) -> str:
    subject = d.licence if d.model is None else f"{d.model} ({d.licence})"
    lines = [f"{style.verdict(d.verdict)}  {d.action.value} under {style(subject, 'bold')}"]
    if d.upstream:
        lines.append(f"  also bound by: {', '.join(d.upstream)}")
    lines += provenance_lines(d.resolved)
    if d.scenario.stated():
        lines.append("  scenario: " + scenario_line(d.scenario))
    if d.conditions:
        lines.append("")
        lines.append(style("Conditions (facts not stated):", "bold"))
        lines += [wrap(c, "    ", "  - ") for c in d.conditions]
    lines.append("")
    lines.append(style("Why:", "bold"))
    lines += [wrap(r, "    ", "  - ") for r in d.reasons]
    if d.obligations:
        lines.append("")
        lines.append(style("Obligations:", "bold"))
        for o in d.obligations:
            when = f" ({o.when})" if o.when else ""
            src = ", ".join(c.label for c in o.evidence[:1])
            lines.append(wrap(f"[ ] {o.text}{when} [{o.id}; {src}]", "      ", "  "))
            if o.wording:
                lines.append(wrap(f"required wording: “{o.wording}”", "      ", "      "))
    if d.evidence:
        lines.append("")
        lines.append(style("Clauses:", "bold"))
        for c in d.evidence:
            lines.append(f"  {style(c.label, 'cyan')}")
            lines.append(wrap(f"“{c.quote}”", "      ", "      "))
    return "\n".join(lines) + "\n"


def decision_json(d: Decision) -> str:
    return json.dumps(jsonable(d), indent=2, ensure_ascii=False) + "\n"


def licence_text(lic: Licence, cat: Catalogue, style: Style = PLAIN) -> str:
    from licencecmp.engine import evaluate

    head = f"{style(lic.id, 'bold')}  {lic.title}"
    meta = [f"kind: {lic.kind.label}", f"spdx: {lic.spdx}"]
    if lic.version:
        meta.append(f"version: {lic.version}")
    if lic.release_date:
        meta.append(f"released: {lic.release_date.isoformat()}")
    lines = [head, "  " + "; ".join(meta), f"  publisher: {lic.publisher}", f"  url: {lic.url}"]
    if lic.aliases:
        lines.append(f"  aliases: {', '.join(lic.aliases)}")
    if lic.superseded_by:
        lines.append(f"  superseded by: {lic.superseded_by}")
    if lic.source_fidelity:
        lines.append(wrap(f"source fidelity: {lic.source_fidelity}", "    ", "  "))
    lines += ["", wrap(lic.summary, "  ", "  "), ""]
    for action in Action:
        rule = lic.actions[action]
        d = evaluate(lic, action, territories=cat.territories, cat=cat)
        lines.append(f"{style.verdict(d.verdict):<28} {style(action.value, 'bold')}")
        lines.append(wrap(rule.summary, "      ", "      "))
        for c in d.conditions:
            lines.append(wrap(c, "        ", "      condition: "))
        for o in d.obligations:
            lines.append(wrap(f"{o.text}{f' ({o.when})' if o.when else ''}", "        ", "      [ ] "))
        for e in rule.evidence:
            lines.append(wrap(f"§{e.section}{'' if e.text == 'licence' else f' ({e.text})'}: “{e.quote}”",
                               "        ", "      "))
        lines.append("")
    if lic.limits:
        lines.append(style("Limits:", "bold"))
        for lim in lic.limits:
            scope = f" [{lim.modality.value} models]" if lim.modality else ""
            counts = getattr(lim, "counts", None)
            whose = f" [counts: {counts.value}]" if counts is not None else ""
            verdict = f" -> {lim.verdict.value}" if lim.verdict else ""
            lines.append(wrap(f"only if {lim.condition}{scope}{whose}{verdict}", "        ", "  - "))
            timing = getattr(lim, "timing", None)
            if timing:
                lines.append(wrap(f"counted {timing}: the condition stays whatever figure is stated",
                                  "        ", "      "))
            for e in lim.evidence:
                lines.append(wrap(f"§{e.section}: “{e.quote}”", "        ", "      "))
            for co in lim.carve_outs:
                lines.append(wrap(f"not for {co.role.value}s (--end-user): {co.text}", "        ", "      "))
                for e in co.evidence:
                    lines.append(wrap(f"§{e.section}: “{e.quote}”", "        ", "        "))
    return "\n".join(lines).rstrip() + "\n"


def licence_json(lic: Licence) -> str:
    data = {"schema_version": SCHEMA_VERSION, **jsonable(lic)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def binding_text(b: Binding, cat: Catalogue, style: Style = PLAIN) -> str:
    """``show`` for any name: the licence alone, or for a model or expression a header saying
    which licences bind it, then each licence in full."""
    if len(b.licences) == 1 and b.model is None and b.provenance is None:
        return licence_text(b.licence, cat, style)
    head: list[str] = []
    if b.model is not None:
        head.append(f"{style(b.model.id, 'bold')}  model ({b.model.modality.value}), licence {b.licence.id}")
        if b.upstream:
            head.append(f"  also bound by its upstream licences: {', '.join(lic.id for lic in b.upstream)}")
        for change in b.model.licence_history:
            head.append(f"  earlier licence: {change.licence} until {change.until.isoformat()} ({change.source})")
    elif b.provenance is not None:
        modality = f"model ({b.modality.value})" if b.modality is not None else "model"
        head.append(f"{style(b.label, 'bold')}  {modality}, licence " + " OR ".join(
            "(" + " AND ".join(lic.id for lic in c) + ")" if len(c) > 1 else c[0].id for c in b.choices))
    else:
        head.append(f"{style(b.label, 'bold')}  " + " OR ".join(
            "(" + " AND ".join(lic.id for lic in c) + ")" if len(c) > 1 else c[0].id for c in b.choices))
    if b.provenance is not None:
        head += provenance_lines((b.provenance,))
    parts = ["\n".join(head) + "\n"] + [licence_text(lic, cat, style) for lic in b.licences]
    return "\n".join(parts)


def binding_json(b: Binding) -> str:
    """``show --format json``: the licence as before; for a model or expression, its keys plus
    ``model``, ``choices`` (licence ids) and ``bound_with`` (every other licence, in full)."""
    if len(b.licences) == 1 and b.model is None and b.provenance is None:
        return licence_json(b.licence)
    data = {"schema_version": SCHEMA_VERSION, **jsonable(b.licence),
            "model": jsonable(b.model) if b.model is not None else None,
            "choices": [[lic.id for lic in c] for c in b.choices],
            "bound_with": [jsonable(lic) for lic in b.upstream],
            "resolved": [jsonable(b.provenance)] if b.provenance is not None else []}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
