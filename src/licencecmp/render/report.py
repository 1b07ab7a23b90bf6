"""Renderings of a check report: text, JSON, Markdown (PR comment), GitHub annotations, JUnit XML,
and the obligations checklist. Pure functions from a :class:`~licencecmp.scan.check.CheckReport` to a string
(:func:`render_report`), or to the same string in pieces (:func:`render_report_parts`: a large JSON report is
written as it is encoded, never held whole)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

from licencecmp.data.plain import jsonable
from licencecmp.engine import DecisionObligation
from licencecmp.errors import ExitCode, FormatError
from licencecmp.render import escape as esc
from licencecmp.render.common import scenario_line, wrap
from licencecmp.render.formats import CHECKLIST_FORMATS, report_format
from licencecmp.render.formats import REPORT_FORMATS as FORMATS
from licencecmp.render.style import PLAIN, Style
from licencecmp.scan.check import ActionResult, CheckReport, Finding, Location, ModelResult
from licencecmp.vocab import COMPONENT_RELATION

__all__ = [
    "REPORT_FORMATS",
    "obligations_json",
    "obligations_markdown",
    "obligations_text",
    "render_report",
    "render_report_parts",
    "report_brief",
    "report_github",
    "report_json",
    "report_json_parts",
    "report_junit",
    "report_markdown",
    "report_text",
    "result_line",
]

MAX_LOCATIONS = 5
MAX_ONE_LINE = 18  # failures listed one line each on the first screen of a large report
_STATUS_WORD = {"pass": "ok", "fail": "FAIL", "warn": "warning", "waived": "waived", "known": "known"}
_STATUS_COLOUR = {"pass": "green", "fail": "red", "warn": "magenta", "waived": "yellow", "known": "yellow"}
_LEVEL_MARK = {"error": "✗", "warning": "!", "note": "i"}


def loc_str(loc: Location) -> str:
    """``path:line:column`` (the path as found: escape it for the output format)."""
    out = loc.path
    if loc.line:
        out += f":{loc.line}"
        if loc.column:
            out += f":{loc.column}"
    return out


def _locs(locs: Iterable[Location], limit: int = MAX_LOCATIONS) -> str:
    items = list(locs)
    shown = [f"{esc.text(loc_str(loc))} ({loc.source})" for loc in items[:limit]]
    if len(items) > limit:
        shown.append(f"and {len(items) - limit} more")
    return ", ".join(shown)


def _licence_label(m: ModelResult) -> str:
    own = " + ".join(m.licences) if m.licences else "licence unknown"
    label = own + (f"; also bound by {', '.join(m.upstream)}" if m.upstream else "")
    if m.inferred_from:
        label += f"; licence inferred from {m.inferred_from}, of which this looks like a re-upload"
    if m.licences and m.resolution == "family" and m.rule:
        label += f"; from the registry's family rule {m.rule}"
    elif m.licences and m.resolution not in ("registry", "unknown"):
        label += f"; from {m.resolution}"
    direct = [b for b in m.base_models if b.of == m.model]
    for word, group in (("base model", [b for b in direct if b.relation != COMPONENT_RELATION]),
                        ("component", [b for b in direct if b.relation == COMPONENT_RELATION])):
        if group:
            label += f"; {word} " + ", ".join(f"{b.id} ({', '.join(b.licences) or 'licence unknown'})"
                                              for b in group[:3]) + (f" and {len(group) - 3} more"
                                                                     if len(group) > 3 else "")
    return esc.text(label)


def _verdict_label(m: ModelResult, style: Style) -> str:
    if m.verdict is None:
        return style("? unknown", "bold", "magenta")
    return style.verdict(m.verdict)


def _obligation_line(o: DecisionObligation) -> str:
    when = f" ({o.when})" if o.when else ""
    wording = f" — wording: “{o.wording}”" if o.wording else ""
    src = o.evidence[0].label if o.evidence else o.licence
    return f"{o.text}{when}{wording} [{o.id}; {src}]"


def _model_findings(report: CheckReport, m: ModelResult) -> list[Finding]:
    return [f for f in report.findings if f.model == m.model and f.rule != "obligations"]


SMALL = 12
"""A report with at most this many models needing attention prints their detail without --verbose."""
SMALL_PASSING = 20
"""... and with at most this many passing models, lists them and their obligations."""


def report_text(report: CheckReport, style: Style = PLAIN, *, explain: bool = False, verbose: bool = False) -> str:
    """The overview first (counts, top causes, failures by kind one line each), then the detail of
    each model that needs attention (behind ``verbose`` for a large report)."""
    from licencecmp.render.summary import failures_by_kind, summary_lines

    s = report.summary
    t = esc.text
    lines = [style(f"licencecmp check: {s.models} model(s) in {t(report.root)}", "bold")
             + f" ({s.files_scanned:,} files scanned{', git' if report.git else ''})",
             f"  actions: {', '.join(a.value for a in report.actions)}"
             + (f"; policy: {t(report.policy)}" if report.policy else "; no policy file (defaults)")]
    if report.policies_ignored:
        lines.append(f"  policies found and ignored: {', '.join(t(p) for p in report.policies_ignored[:5])}"
                     + (f" and {len(report.policies_ignored) - 5} more" if len(report.policies_ignored) > 5 else "")
                     + " (pin one with --policy, --policy-root or root = true)")
    if report.scenario.stated():
        lines.append("  scenario: " + scenario_line(report.scenario))
    attention = [m for m in report.models if m.status not in ("pass", "known")]
    detail = verbose or explain or len(attention) <= SMALL
    lines += ["", *summary_lines(report, style)]
    by_kind = failures_by_kind(report, style, limit=None if detail else MAX_ONE_LINE)
    if by_kind:
        lines += ["", *by_kind]
    passing = [m for m in report.models if m.status == "pass"]
    list_passing = verbose or len(passing) <= SMALL_PASSING
    hidden = ([f"the {len(attention)} model(s) that need attention"] if not detail else []) + (
        [f"the {len(passing)} passing model(s) and their obligations"] if not list_passing else [])
    if hidden:
        lines += ["", f"Details of {' and of '.join(hidden)}: --verbose (or --format json; the release "
                  "checklist: --obligations-only)."]
    failing = [m for m in report.models if m.status != "pass" and (verbose or m.status != "known")]
    for m in (failing if not explain else report.models) if detail else ():
        lines += _model_text(report, m, style, explain)
    if passing and not explain and list_passing:
        lines += _passing_text(report, passing, style)
    lines += _tail_text(report, style, verbose)
    lines += ["", result_line(report, style)]
    return "\n".join(lines) + "\n"


def _model_text(report: CheckReport, m: ModelResult, style: Style, explain: bool) -> list[str]:
    """One model that does not simply pass (every model, with --explain): its results, findings, to-dos."""
    t = esc.text
    status = style(_STATUS_WORD[m.status], "bold", _STATUS_COLOUR[m.status])
    lines = ["", f"{_verdict_label(m, style)}  {style(t(m.model), 'bold')}  [{_licence_label(m)}]  {status}",
             wrap(f"found at {_locs(m.locations)}", "      ", "    ")]
    for r in m.results:
        verdict = style.verdict(r.verdict) if r.verdict is not None else "? unknown"
        lines.append(f"    {verdict:<22} {r.action.value}{'  (waived)' if r.status == 'waived' else ''}")
        if r.decision is not None and r.verdict is not None and not r.verdict.permits:
            reason = next((x for x in r.decision.reasons if r.verdict.value in x), r.decision.reasons[0])
            lines.append(wrap(t(reason), "          ", "          "))
        if r.decision is not None and r.decision.conditions:
            lines += [wrap(t(c), "          ", "          condition: ") for c in r.decision.conditions]
    for f in _model_findings(report, m):
        if f.rule in ("prohibited", "needs-permission") and not f.waived_by:
            continue  # shown with the action above
        mark = "~" if f.waived_by or f.baseline else _LEVEL_MARK[f.level]
        text = f.message + (f" — waived: {f.waived_by}" if f.waived_by else "") + (
            " — known (baseline)" if f.baseline else "")
        lines.append(wrap(t(text), "        ", f"    {mark} {f.rule}: "))
    if m.obligations:
        lines.append("    To do:")
        lines += [wrap(_obligation_line(o), "          ", "      [ ] ") for o in m.obligations]
    if explain:
        cites = [c for r in m.results if r.decision is not None for c in r.decision.evidence]
        if cites:
            lines.append("    Clauses:")
            for c in dict.fromkeys(cites):
                lines += [f"      {style(c.label, 'cyan')}", wrap(f"“{c.quote}”", "          ", "          ")]
    return lines


def _passing_text(report: CheckReport, passing: list[ModelResult], style: Style) -> list[str]:
    """The models that pass, one line each, and their obligations once."""
    t = esc.text
    lines = ["", style(f"Passing ({len(passing)}):", "bold")]
    for m in passing:
        todo = f"; {len(m.obligations)} obligation(s)" if m.obligations else ""
        first = f" ({t(loc_str(m.locations[0]))})" if m.locations else ""
        lines.append(f"  {style('ok', 'green')} {t(m.model)} [{_licence_label(m)}]{todo}{first}")
    once = [(o, ms) for o, ms in _obligations_once(report) if set(ms) & {m.model for m in passing}]
    if once:
        lines += ["", style(f"To do ({len(once)} obligation(s) of the passing models):", "bold")]
        lines += [wrap(_obligation_line(o) + f" (for {', '.join(t(x) for x in ms)})", "        ", "  [ ] ")
                  for o, ms in once]
    return lines


def _tail_text(report: CheckReport, style: Style, verbose: bool = False) -> list[str]:
    """What follows the models: catalogue files and placeholders (never judged), suppressed and mentioned
    references, policy findings, skipped files, errors."""
    t = esc.text
    lines = _sections_text(report, style, verbose)
    if report.suppressed:
        lines += ["", style(f"Suppressed ({len(report.suppressed)}, `licencecmp: ignore`):", "bold")]
        lines += [f"  - {t(x.model)} ({t(x.path)}:{x.line})" for x in report.suppressed[:20]]
    if report.mentions:
        lines += ["", style(f"Mentioned in comments ({len(report.mentions)}, not judged):", "bold")]
        lines += [f"  - {t(x.model)} ({t(x.path)}:{x.line})" for x in report.mentions[:50]]
    policy_findings = [f for f in report.findings if f.model is None or f.rule in ("expired-waiver", "unused-waiver")]
    if policy_findings:
        lines += ["", style("Policy:", "bold")]
        for f in policy_findings:
            where = f" ({loc_str(f.locations[0])})" if f.locations else ""
            lines.append(wrap(t(f.message + where), "      ", f"  {_LEVEL_MARK[f.level]} {f.rule}: "))
    if report.skipped:
        lines += ["", style(f"Skipped {len(report.skipped)} file(s):", "bold")]
        lines += [f"  - {t(sk.path)}: {t(sk.reason)}" for sk in report.skipped[:10]]
        if len(report.skipped) > 10:
            lines.append(f"  - and {len(report.skipped) - 10} more (see --format json)")
    if report.errors:
        lines += ["", style(f"Errors ({len(report.errors)} file(s) could not be understood):", "bold", "red")]
        lines += [wrap(t(f"{e.path}{f':{e.line}' if e.line else ''}: {e.message}"), "      ", "  ✗ ")
                  for e in report.errors]
    return lines


MAX_SECTION_LINES = 10
"""Catalogue files and placeholders listed one line each without --verbose; the rest counted."""


def _sections_text(report: CheckReport, style: Style, verbose: bool) -> list[str]:
    """The catalogue files (one entry each) and the placeholders (counted, a few named): never judged."""
    from licencecmp.render.sections import CATALOGUES_NOTE, PLACEHOLDERS_NOTE, catalogue_words, placeholder_words

    t = esc.text
    lines: list[str] = []
    limit = None if verbose else MAX_SECTION_LINES
    for title, note, items in (
            ("Catalogue files", CATALOGUES_NOTE, [f"{c.path}: {catalogue_words(c)}" for c in report.catalogues]),
            ("Placeholders", PLACEHOLDERS_NOTE, [placeholder_words(x) for x in report.placeholders])):
        if not items:
            continue
        heading = wrap(f"{title} ({len(items)}, {note}):", "    ", "")  # styled after wrapping: fits the width
        lines += ["", *(style(part, "bold") for part in heading.split("\n"))]
        shown = items if limit is None else items[:limit]
        lines += [wrap(t(item), "      ", "  - ") for item in shown]
        if len(items) > len(shown):
            lines.append(f"  - and {len(items) - len(shown)} more (--verbose, --format brief or json)")
    return lines


def report_brief(report: CheckReport) -> str:
    """One line per finding: ``path:line: severity kind model licence message``, then the result."""
    out: list[str] = []
    for f in report.findings:
        if f.rule == "obligations":
            continue
        t = esc.text
        loc = loc_str(f.locations[0]) if f.locations else (report.policy or ".")
        severity = "waived" if f.waived_by else "known" if f.baseline else f.level
        message = " ".join(f.message.split())
        out.append(t(f"{loc}: {severity} {f.kind or f.rule} {f.model or '-'} {f.licence or '-'} {message}"))
    out += _sections_brief(report)
    for e in report.errors:
        out.append(esc.text(f"{e.path}{f':{e.line}' if e.line else ''}: error input-error - - "
                            f"{' '.join(e.message.split())}"))
    out.append(result_line(report, PLAIN))
    return "\n".join(out) + "\n"


def _sections_brief(report: CheckReport) -> list[str]:
    """A line per catalogue file and per placeholder, in the shape of a finding's line, as notes."""
    from licencecmp.render.sections import catalogue_words

    out = [esc.text(f"{c.path}: note catalogue-file - - {catalogue_words(c)}") for c in report.catalogues]
    out += [esc.text(f"{loc_str(Location(path=x.path, line=x.line, column=x.column, source=x.source))}: note "
                     f"placeholder {x.model} - a placeholder, not a model: never judged") for x in report.placeholders]
    return out


def result_line(report: CheckReport, style: Style) -> str:
    s = report.summary
    if report.exit_code is ExitCode.USAGE:
        return style(f"Result: ERROR — {s.errors} file(s) could not be understood (exit 2)", "bold", "red")
    if report.exit_code is ExitCode.REFUSED:
        where = f" in {s.failed} of {s.models} model(s)" if s.failed else ""
        return style(f"Result: FAIL — {s.violations} violation(s){where} (exit 1)", "bold", "red")
    extra = f"; {s.obligations} obligation(s) to meet" if s.obligations else ""
    extra += f"; {s.warnings} warning(s)" if s.warnings else ""
    extra += f"; {s.waived} waived" if s.waived else ""
    extra += f"; {s.known} known (baseline)" if s.known else ""
    return style(f"Result: OK — {s.models} model(s){extra} (exit 0)", "bold", "green")


PRETTY_JSON_MAX = 256 * 1024
"""A JSON report up to this size (compact) is printed indented; a larger one compact, on one line (the C
encoder: the indenting one is pure Python, a fifth of a 10,000-file check), readable through ``jq .``."""


def report_json(report: CheckReport) -> str:
    return "".join(report_json_parts(report))


def report_json_parts(report: CheckReport) -> Iterator[str]:
    """:func:`report_json` in pieces, as the report is encoded (a model, a finding, a file at a time): a
    report larger than :data:`PRETTY_JSON_MAX` is never held whole, as text or as data. The pieces are held
    only until they pass that size, which decides whether the report is printed indented."""
    pieces = chain(report.json_parts(), ("\n",))
    held: list[str] = []
    size = 0
    for piece in pieces:
        piece = esc.scrub_json(piece)  # each piece is whole JSON tokens: a surrogate is never split
        held.append(piece)
        size += len(piece)
        if size > PRETTY_JSON_MAX:
            break
    else:
        yield esc.json_text(json.loads("".join(held)), indent=2) + "\n"
        return
    yield "".join(held)
    held.clear()
    for piece in pieces:
        yield esc.scrub_json(piece)


# -- markdown -----------------------------------------------------------------------------------

_MD_STATUS = {"pass": "✅ ok", "fail": "❌ fail", "warn": "⚠️ warning", "waived": "🟡 waived", "known": "🟡 known"}


def _md_cell(text: str) -> str:
    return esc.markdown(text)


def _markdown_head(report: CheckReport) -> list[str]:
    """The heading (the result), the counts, and what was found but not judged."""
    from licencecmp.render.sections import overview_words

    s = report.summary
    head = {ExitCode.OK: "✅ passed", ExitCode.REFUSED: f"❌ {s.violations} violation(s)",
            ExitCode.USAGE: f"❌ {s.errors} file error(s)"}[report.exit_code]
    lines = [f"### licencecmp check: {head}", "",
             f"{s.models} model(s) found in {s.files_scanned:,} files; actions checked: "
             f"{', '.join(f'`{a.value}`' for a in report.actions)}.", ""]
    sections = overview_words(report)  # counts only: nothing to escape
    if sections:
        lines += ["Also found: " + "; ".join(sections) + ".", ""]
    return lines


def report_markdown(report: CheckReport, *, explain: bool = False) -> str:
    s = report.summary
    lines = _markdown_head(report)
    if report.models:
        lines += ["| status | model | licence | verdicts | found in |", "|---|---|---|---|---|"]
        for m in report.models:
            verdicts = "; ".join(f"{r.action.value}: {r.verdict.value if r.verdict else 'unknown'}"
                                 for r in m.results)
            found = ", ".join(esc.markdown_code(loc_str(loc)) for loc in m.locations[:3]) + (
                f" +{len(m.locations) - 3}" if len(m.locations) > 3 else "")
            lines.append(f"| {_MD_STATUS[m.status]} | {esc.markdown_code(m.model)} | {_md_cell(_licence_label(m))} | "
                         f"{_md_cell(verdicts)} | {found} |")
        lines.append("")
    problems = [f for f in report.findings if f.rule not in ("obligations",) and (f.level != "note")]
    if problems:
        lines += ["**Findings**", ""]
        for f in problems:
            mark = "🟡" if f.waived_by or f.baseline else {"error": "❌", "warning": "⚠️", "note": "ℹ️"}[f.level]
            where = f" ({esc.markdown_code(loc_str(f.locations[0]))})" if f.locations else ""
            waived = (f" — waived: {_md_cell(f.waived_by)}" if f.waived_by
                      else " — known (baseline)" if f.baseline else "")
            lines.append(f"- {mark} **{f.rule}**: {_md_cell(f.message)}{where}{waived}")
        lines.append("")
    if report.errors:
        lines += ["**Files that could not be understood**", ""]
        lines += [f"- {esc.markdown_code(e.path + (f':{e.line}' if e.line else ''))}: {_md_cell(e.message)}"
                  for e in report.errors]
        lines.append("")
    obligations = obligations_markdown(report, heading=False)
    if obligations.strip():
        lines += [f"<details><summary>Obligations ({s.obligations})</summary>", "", obligations.rstrip(), "",
                  "</details>", ""]
    if explain:
        lines += ["<details><summary>Clauses</summary>", ""]
        for m in report.models:
            for r in m.results:
                for c in r.decision.evidence if r.decision else ():
                    lines.append(f"- **{_md_cell(c.label)}** ({_md_cell(m.model)}, {r.action.value}): "
                                 f"“{_md_cell(c.quote)}”")
        lines += ["", "</details>", ""]
    lines += _sections_markdown(report)
    if report.suppressed:
        lines += [f"**Suppressed** ({len(report.suppressed)}, `licencecmp: ignore`, not judged)", ""]
        lines += [f"- {_md_cell(x.model)} ({esc.markdown_code(f'{x.path}:{x.line}')})"
                  for x in report.suppressed[:MAX_LOCATIONS]]
        lines.append("")
    if report.skipped:
        lines.append(f"<sub>{len(report.skipped)} file(s) skipped (binary, too large or symlinks).</sub>")
    lines.append("<sub>licencecmp reads the licence texts carefully; it is not legal advice.</sub>")
    return "\n".join(lines) + "\n"


MAX_MD_CATALOGUES = 20
"""Catalogue files in the Markdown table (a job summary or a comment has a size limit); the rest counted."""


def _sections_markdown(report: CheckReport) -> list[str]:
    """The catalogue files as a table, one row each; the placeholders counted, the first few named."""
    from licencecmp.render.sections import CATALOGUES_NOTE, PLACEHOLDERS_NOTE, licences_words

    lines: list[str] = []
    if report.catalogues:
        lines += [f"**Catalogue files** ({len(report.catalogues)}: {CATALOGUES_NOTE})", "",  # our words: no escaping
                  "| file | model ids | known | licences of the known ones | judged |", "|---|---|---|---|---|"]
        lines += [f"| {esc.markdown_code(c.path)} | {c.ids} | {c.known} | {_md_cell(licences_words(c)) or '—'} | "
                  f"{'yes' if c.judged else 'no'} |" for c in report.catalogues[:MAX_MD_CATALOGUES]]
        if len(report.catalogues) > MAX_MD_CATALOGUES:
            lines.append(f"| and {len(report.catalogues) - MAX_MD_CATALOGUES} more (`--format json`) | | | | |")
        lines.append("")
    if report.placeholders:
        lines += [f"**Placeholders** ({len(report.placeholders)}: {PLACEHOLDERS_NOTE})", ""]
        lines += [f"- {esc.markdown_code(x.model)} ({esc.markdown_code(f'{x.path}:{x.line}')})"
                  for x in report.placeholders[:MAX_LOCATIONS]]
        if len(report.placeholders) > MAX_LOCATIONS:
            lines.append(f"- and {len(report.placeholders) - MAX_LOCATIONS} more")
        lines.append("")
    return lines


# -- GitHub workflow commands ---------------------------------------------------------------------


_gh_data = esc.github_data
_gh_prop = esc.github_prop


def report_github(report: CheckReport) -> str:
    """Workflow commands (``::error file=...,line=...::message``) for a GitHub Actions log."""
    out: list[str] = []
    for f in report.findings:
        if f.waived_by:
            cmd, msg = "notice", f"{f.message} (waived: {f.waived_by})"
        elif f.baseline:
            cmd, msg = "notice", f"{f.message} (known: in the baseline)"
        else:
            cmd, msg = {"error": "error", "warning": "warning", "note": "notice"}[f.level], f.message
        props = []
        if f.locations:
            loc = f.locations[0]
            props.append(f"file={_gh_prop(loc.path)}")
            if loc.line:
                props.append(f"line={loc.line}")
            if loc.column:
                props.append(f"col={loc.column}")
        props.append(f"title={_gh_prop('licencecmp ' + f.rule)}")
        others = f.locations[1:]
        if others:
            msg += f" (also at {', '.join(loc_str(x) for x in others[:MAX_LOCATIONS])}" + (
                ", ..." if len(others) > MAX_LOCATIONS else "") + ")"
        out.append(f"::{cmd} {','.join(props)}::{_gh_data(msg)}")
    out += _sections_github(report)
    for e in report.errors:
        props = [f"file={_gh_prop(e.path)}"] + ([f"line={e.line}"] if e.line else [])
        out.append(f"::error {','.join(props)},title=licencecmp input error::{_gh_data(e.message)}")
    out.append(result_line(report, PLAIN))
    return "\n".join(out) + "\n"


def _sections_github(report: CheckReport) -> list[str]:
    """A notice on each catalogue file, and one notice counting the placeholders (a few named): never
    an error or a warning."""
    from licencecmp.render.sections import PLACEHOLDERS_NOTE, catalogue_words, placeholder_words

    out = [f"::notice file={_gh_prop(c.path)},title={_gh_prop('licencecmp catalogue-file')}::"
           f"{_gh_data(f'{c.path}: {catalogue_words(c)}')}" for c in report.catalogues]
    if report.placeholders:
        named = ", ".join(placeholder_words(x) for x in report.placeholders[:MAX_LOCATIONS])
        more = ", ..." if len(report.placeholders) > MAX_LOCATIONS else ""
        out.append(f"::notice title={_gh_prop('licencecmp placeholder')}::"
                   f"{_gh_data(f'{len(report.placeholders)} placeholder(s), {PLACEHOLDERS_NOTE}: {named}{more}')}")
    return out


# -- JUnit ------------------------------------------------------------------------------------------


def _junit_case(suite: Any, report: CheckReport, m: ModelResult, r: ActionResult, general: list[Finding]) -> int:
    """The testcase of one model and action; 1 if it fails."""
    import xml.etree.ElementTree as ET

    first = m.locations[0] if m.locations else None
    attrs = {"classname": m.model, "name": r.action.value}
    if first is not None:
        attrs["file"] = first.path
        if first.line:
            attrs["line"] = str(first.line)
    case = ET.SubElement(suite, "testcase", attrs)
    mine = [f for f in report.findings if f.model == m.model and f.action == r.action and f.level == "error"] + general
    failing = [f for f in mine if f.failing]
    if failing:
        fail = ET.SubElement(case, "failure", message=failing[0].message, type=failing[0].rule)
        fail.text = "\n".join(f"{f.rule}: {f.message}" for f in failing) + f"\nfound at: {_locs(m.locations)}"
    out = [f"verdict: {r.verdict.value if r.verdict else 'unknown (licence not determined)'}"]
    out += [f"waived: {f.message} ({f.waived_by})" for f in mine if f.waived_by]
    if r.decision is not None:
        out += [f"obligation: {_obligation_line(o)}" for o in r.decision.obligations]
    ET.SubElement(case, "system-out").text = "\n".join(out)
    return 1 if failing else 0


MAX_JUNIT_PLACEHOLDERS = 50
"""Placeholders named in the output of their skipped test case; the rest counted."""


def _junit_sections(suite: Any, props: Any, report: CheckReport) -> int:
    """What is never judged, as skipped test cases (never failures): one per catalogue file not judged
    (a judged one is a property: its models are test cases), and one for the placeholders, which
    counts and names them; each also a property. Returns how many test cases were skipped."""
    import xml.etree.ElementTree as ET

    from licencecmp.render.sections import PLACEHOLDERS_NOTE, catalogue_words, placeholder_words

    skipped = 0
    for c in report.catalogues:
        ET.SubElement(props, "property", name="catalogue-file", value=esc.text(f"{c.path}: {catalogue_words(c)}"))
        if not c.judged:
            skipped += 1
            case = ET.SubElement(suite, "testcase", classname="catalogue-file", name=c.path, file=c.path)
            ET.SubElement(case, "skipped", message=f"{catalogue_words(c)} (catalogues = \"judge\" judges each)")
    if report.placeholders:
        skipped += 1
        n = len(report.placeholders)
        case = ET.SubElement(suite, "testcase", classname="placeholder", name="placeholders")
        ET.SubElement(case, "skipped", message=f"{n} placeholder(s), {PLACEHOLDERS_NOTE}")
        named = [esc.text(placeholder_words(x)) for x in report.placeholders[:MAX_JUNIT_PLACEHOLDERS]]  # a line each
        more = [f"and {n - MAX_JUNIT_PLACEHOLDERS} more"] if n > MAX_JUNIT_PLACEHOLDERS else []
        ET.SubElement(case, "system-out").text = "\n".join(named + more)
    return skipped


def report_junit(report: CheckReport) -> str:
    """JUnit XML: one testcase per model x action (plus policy and file-error cases), as the suite's
    name says; its properties count per model, as the text report does (models, failed models,
    violations), so that "3 failures" of one model's three actions is not read as three models."""
    import xml.etree.ElementTree as ET

    suites = ET.Element("testsuites", name="licencecmp")
    suite = ET.SubElement(suites, "testsuite", name="licencecmp check (one test case per model and action)")
    props = ET.SubElement(suite, "properties")
    s = report.summary
    for name, value in (("models", s.models), ("failed-models", s.failed), ("violations", s.violations),
                        ("known-models", s.known), ("passed-models", s.passed),
                        ("suppressed-references", len(report.suppressed)), ("placeholders", len(report.placeholders)),
                        ("catalogue-files", len(report.catalogues))):
        ET.SubElement(props, "property", name=name, value=str(value))
    for x in report.suppressed[:MAX_LOCATIONS]:  # `licencecmp: ignore`: never judged, always named
        ET.SubElement(props, "property", name="suppressed", value=esc.text(f"{x.model} ({x.path}:{x.line})"))
    tests = failures = errors = 0
    for m in report.models:
        general = [f for f in report.findings if f.model == m.model and f.action is None and f.level == "error"]
        for r in m.results:
            tests += 1
            failures += _junit_case(suite, report, m, r, general)
    for f in report.findings:
        if f.rule not in ("expired-waiver",):
            continue
        tests += 1
        case = ET.SubElement(suite, "testcase", classname="policy", name=f"waiver for {f.model or f.licence}")
        if f.failing:
            failures += 1
            ET.SubElement(case, "failure", message=f.message, type=f.rule).text = f.message
    for e in report.errors:
        tests += 1
        errors += 1
        case = ET.SubElement(suite, "testcase", classname="scan", name=e.path)
        ET.SubElement(case, "error", message=e.message, type="input-error").text = \
            f"{e.path}{f':{e.line}' if e.line else ''}: {e.message}"
    skipped = _junit_sections(suite, props, report)
    tests += skipped
    for el in (suite, suites):
        el.set("tests", str(tests))
        el.set("failures", str(failures))
        el.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    suite.set("time", f"{report.summary.seconds:.3f}")
    for el in suites.iter():  # untrusted names and messages: no control characters XML 1.0 forbids
        if el.text:
            el.text = esc.junit(el.text)
        for k, v in el.attrib.items():
            el.attrib[k] = esc.junit(v)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


# -- obligations checklist -----------------------------------------------------------------------


def _obligations_by_model(report: CheckReport) -> list[tuple[ModelResult, list[DecisionObligation]]]:
    return [(m, list(m.obligations)) for m in report.models if m.obligations]


def _obligations_once(report: CheckReport) -> list[tuple[DecisionObligation, list[str]]]:
    """Each distinct obligation once, with the models it comes from."""
    seen: dict[str, tuple[DecisionObligation, list[str]]] = {}
    for m, obs in _obligations_by_model(report):
        for o in obs:
            key = _obligation_line(o)
            if key not in seen:
                seen[key] = (o, [])
            if m.model not in seen[key][1]:
                seen[key][1].append(m.model)
    return list(seen.values())


def obligations_text(report: CheckReport, style: Style = PLAIN) -> str:
    groups = _obligations_by_model(report)
    if not groups:
        return "No obligations: the models found ask nothing in return for what the project does.\n"
    once = _obligations_once(report)
    lines = [style(f"Release checklist: {len(once)} obligation(s) for {len(groups)} model(s)", "bold")]
    for o, models in once:
        lines.append("")
        lines.append(wrap(_obligation_line(o), "      ", "  [ ] "))
        lines.append(wrap("for " + ", ".join(esc.text(m) for m in models), "      ", "      "))
    if report.exit_code:
        lines += ["", result_line(report, style)]
    return "\n".join(lines) + "\n"


def obligations_markdown(report: CheckReport, *, heading: bool = True) -> str:
    lines = ["### Release checklist (licencecmp)", ""] if heading else []
    for m, obs in _obligations_by_model(report):
        lines.append(f"**{esc.markdown_code(m.model)}** ({_md_cell(_licence_label(m))})")
        lines.append("")
        lines += [f"- [ ] {_md_cell(_obligation_line(o))}" for o in obs]
        lines.append("")
    if heading and len(lines) == 2:
        lines.append("No obligations.")
    return "\n".join(lines) + "\n"


def obligations_json(report: CheckReport) -> str:
    data = {
        "schema_version": report.schema_version,
        "obligations": [
            {"model": m.model, "licences": list(m.licences), "upstream": list(m.upstream),
             "obligations": [jsonable(o) for o in obs]}
            for m, obs in _obligations_by_model(report)
        ],
        "exit_code": report.exit_code,
    }
    return json.dumps(esc.json_value(data), indent=2, ensure_ascii=False) + "\n"



def _sarif(report: CheckReport, style: Style, explain: bool, verbose: bool) -> str:
    from licencecmp.render.sarif import report_sarif

    return report_sarif(report)


_RENDERERS: dict[str, Callable[[CheckReport, Style, bool, bool], str]] = {
    "text": lambda report, style, explain, verbose: report_text(report, style, explain=explain, verbose=verbose),
    "json": lambda report, style, explain, verbose: report_json(report),
    "sarif": _sarif,
    "junit": lambda report, style, explain, verbose: report_junit(report),
    "github": lambda report, style, explain, verbose: report_github(report),
    "markdown": lambda report, style, explain, verbose: report_markdown(report, explain=explain),
    "brief": lambda report, style, explain, verbose: report_brief(report),
}
_CHECKLISTS: dict[str, Callable[[CheckReport, Style], str]] = {
    "text": obligations_text,
    "markdown": lambda report, style: obligations_markdown(report),
    "json": lambda report, style: obligations_json(report),
}
# Each format of the list (render/formats.py) has its renderer: a format listed without one fails here.
_REPORT_FORMATS = {f.name: _RENDERERS[f.name] for f in FORMATS}
_CHECKLIST_FORMATS = {name: _CHECKLISTS[name] for name in CHECKLIST_FORMATS}
REPORT_FORMATS = tuple(_REPORT_FORMATS)
"""The names of the formats of a check report (:data:`licencecmp.render.formats.REPORT_FORMATS`)."""


def render_report(report: CheckReport, fmt: str, style: Style = PLAIN, *, explain: bool = False,
                  obligations_only: bool = False, verbose: bool = False) -> str:
    """A check report in one of :data:`REPORT_FORMATS`; with ``obligations_only``, only what the project
    must do (a release checklist), in one of the formats that have one; ``verbose``: the text report's
    detail of every model, however large the report."""
    report_format(fmt)  # an unknown format: FormatError naming the known ones
    if obligations_only:
        checklist = _CHECKLIST_FORMATS.get(fmt)
        if checklist is None:
            raise FormatError(f"--obligations-only prints {', '.join(CHECKLIST_FORMATS)}, not {fmt}")
        return checklist(report, style)
    return _REPORT_FORMATS[fmt](report, style, explain, verbose)


def render_report_parts(report: CheckReport, fmt: str, style: Style = PLAIN, *, explain: bool = False,
                        obligations_only: bool = False, verbose: bool = False) -> Iterator[str]:
    """:func:`render_report`'s text in pieces whose concatenation is that text: the JSON report as it is
    encoded (:func:`report_json_parts`), every other format in one piece."""
    if fmt == "json" and not obligations_only:
        return report_json_parts(report)
    return iter((render_report(report, fmt, style, explain=explain, obligations_only=obligations_only,
                               verbose=verbose),))
