"""Text and JSON renderings of decisions, licences and the catalogue."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable

from ..catalogue import Catalogue
from ..engine import Citation, Decision
from ..model import SCHEMA_VERSION, Licence
from ..vocab import Action
from .style import PLAIN, Style

WIDTH = 100


def _wrap(text: str, indent: str, first: str | None = None) -> str:
    return textwrap.fill(text, width=WIDTH, initial_indent=first if first is not None else indent,
                         subsequent_indent=indent, break_on_hyphens=False)


def _cite(c: Citation) -> str:
    part = "" if c.text == "licence" else f" ({c.text})"
    return f"{c.licence} §{c.section}{part}"


def decision_text(d: Decision, style: Style = PLAIN) -> str:
    subject = d.licence if d.model is None else f"{d.model} ({d.licence})"
    lines = [f"{style.verdict(d.verdict)}  {d.action.value} under {style(subject, 'bold')}"]
    if d.upstream:
        lines.append(f"  also bound by: {', '.join(d.upstream)}")
    stated = d.scenario.stated()
    if stated:
        lines.append("  scenario: " + ", ".join(f"{k}={v if not isinstance(v, list) else ','.join(v)}"
                                                  for k, v in stated.items()))
    if d.conditions:
        lines.append("")
        lines.append(style("Conditions (facts not stated):", "bold"))
        lines += [_wrap(c, "    ", "  - ") for c in d.conditions]
    lines.append("")
    lines.append(style("Why:", "bold"))
    lines += [_wrap(r, "    ", "  - ") for r in d.reasons]
    if d.obligations:
        lines.append("")
        lines.append(style("Obligations:", "bold"))
        for o in d.obligations:
            when = f" ({o.when})" if o.when else ""
            src = ", ".join(_cite(c) for c in o.evidence[:1])
            lines.append(_wrap(f"[ ] {o.text}{when} [{o.id}; {src}]", "      ", "  "))
            if o.wording:
                lines.append(_wrap(f"required wording: “{o.wording}”", "      ", "      "))
    if d.evidence:
        lines.append("")
        lines.append(style("Clauses:", "bold"))
        for c in d.evidence:
            lines.append(f"  {style(_cite(c), 'cyan')}")
            lines.append(_wrap(f"“{c.quote}”", "      ", "      "))
    return "\n".join(lines) + "\n"


def decision_json(d: Decision) -> str:
    from ..model import jsonable

    return json.dumps(jsonable(d), indent=2, ensure_ascii=False) + "\n"


def licence_text(lic: Licence, cat: Catalogue, style: Style = PLAIN) -> str:
    from ..engine import evaluate

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
        lines.append(_wrap(f"source fidelity: {lic.source_fidelity}", "    ", "  "))
    lines += ["", _wrap(lic.summary, "  ", "  "), ""]
    for action in Action:
        rule = lic.actions[action]
        d = evaluate(lic, action, territories=cat.territories)
        lines.append(f"{style.verdict(d.verdict):<28} {style(action.value, 'bold')}")
        lines.append(_wrap(rule.summary, "      ", "      "))
        for c in d.conditions:
            lines.append(_wrap(c, "        ", "      condition: "))
        for o in d.obligations:
            lines.append(_wrap(f"{o.text}{f' ({o.when})' if o.when else ''}", "        ", "      [ ] "))
        for e in rule.evidence:
            lines.append(_wrap(f"§{e.section}{'' if e.text == 'licence' else f' ({e.text})'}: “{e.quote}”",
                               "        ", "      "))
        lines.append("")
    if lic.limits:
        lines.append(style("Limits:", "bold"))
        for lim in lic.limits:
            scope = f" [{lim.modality.value} models]" if lim.modality else ""
            verdict = f" -> {lim.verdict.value}" if lim.verdict else ""
            lines.append(_wrap(f"only if {lim.condition}{scope}{verdict}", "        ", "  - "))
            for e in lim.evidence:
                lines.append(_wrap(f"§{e.section}: “{e.quote}”", "        ", "      "))
    return "\n".join(lines).rstrip() + "\n"


def licence_json(lic: Licence) -> str:
    data = {"schema_version": SCHEMA_VERSION, **lic.model_dump(mode="json")}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def catalogue_rows(licences: Iterable[Licence]) -> list[dict[str, object]]:
    return [
        {"id": lic.id, "title": lic.title, "version": lic.version,
         "release_date": lic.release_date.isoformat() if lic.release_date else None,
         "kind": lic.kind.value, "spdx": lic.spdx, "superseded_by": lic.superseded_by}
        for lic in licences
    ]
