"""The first screen of a text check report: the overview (counts by status and by kind, the top
causes), then the failures grouped by kind, one line each, each kind's explanation and remedy
printed once. Pure functions of a :class:`~licencecmp.scan.check.CheckReport`."""

from __future__ import annotations

from licencecmp.render import escape as esc
from licencecmp.render.common import wrap
from licencecmp.render.style import PLAIN, Style
from licencecmp.scan.check import CheckReport, Finding
from licencecmp.scan.overview import KindCount, overview

__all__ = ["REMEDIES", "SCREEN_LINES", "failures_by_kind", "summary_lines"]

SCREEN_LINES = 40
"""The overview and the one-line failures fit in this many lines (one screen), whatever the size
of the repository; the rest is behind ``--verbose`` or in ``--format brief``."""
MAX_LISTED = 18  # one-line failures on the first screen, over every kind
MIN_PER_KIND = 2

REMEDIES: dict[str, str] = {
    "unknown-licence": "name the licence in the policy's [[models]], run `licencecmp lock --online`, "
                       "exclude the folder, set unknown = \"warn\", add a waiver, or accept it in a baseline "
                       "(`licencecmp baseline`)",
    "prohibited": "stop the action (remove it from the policy's actions or the model's override), use "
                  "another model, or add a waiver with an expiry date",
    "needs-permission": "get the licensor's grant, then record it as a waiver with an expiry date",
    "denied-by-policy": "use another model, or change the policy's allow/deny lists",
    "licence-conflict": "release the derivative under terms that carry its base model's licence",
    "lock-stale": "run `licencecmp lock` and commit licencecmp.lock",
    "expired-waiver": "renew the waiver with a new date, or remove it",
    "unscanned-file": "exclude the file, or raise max_file_size",
    "incomplete-scan": "run the check inside a git work tree with git on PATH",
}
"""How to clear a failing finding of each kind: printed once per kind, never once per model."""

_STATUS_LABEL = {"fail": "failing", "known": "known (baseline)", "waived": "waived", "warn": "warning",
                 "pass": "passing"}


def _cause(k: KindCount) -> str:
    what = f"{k.models} model(s)" if k.models else f"{k.count} finding(s)"
    parts = [f"{k.count} {k.kind} ({what})"]
    if k.areas:
        parts.append("; ".join([", ".join(f"{n} in {esc.text(a)}" for a, n in k.areas)]))
    if k.organisations and k.models:
        parts.append("most from " + ", ".join(f"{esc.text(o)} ({n})" for o, n in k.organisations))
    if k.licences and k.kind != "unknown-licence":
        parts.append("under " + ", ".join(f"{esc.text(lic)} ({n})" for lic, n in k.licences))
    return ": ".join(parts[:2]) + ("; " + "; ".join(parts[2:]) if len(parts) > 2 else "")


def summary_lines(report: CheckReport, style: Style = PLAIN) -> list[str]:
    """The overview: models by status, the placeholders and catalogue files (never judged), findings by
    kind with their top causes, and the baseline."""
    ov = overview(report)
    lines = [style("Summary", "bold") + ": " + f"{ov.models} model(s)" + (": " if ov.by_status else "") + ", ".join(
        f"{n} {_STATUS_LABEL[s]}" for s, n in ov.by_status)]
    from licencecmp.render.sections import overview_words

    lines += [wrap(words, "      ", "  ") for words in overview_words(report)]  # counts only: nothing to escape
    if report.since:
        lines.append(f"  only references added or changed since {esc.text(report.since)} were judged")
    b = report.baseline
    if b is not None:
        lines.append(f"  baseline {esc.text(b.path)}: {b.known} known finding(s) (not failing), {b.new} new"
                     + (f", {len(b.fixed)} fixed (run `licencecmp baseline` to drop them)" if b.fixed else ""))
    if ov.failing:
        lines.append(f"  failing: {sum(k.count for k in ov.failing)} finding(s) of {len(ov.failing)} kind(s)")
        lines += [wrap(_cause(k), "        ", "    ") for k in ov.failing]
    if ov.known:
        lines.append("  known (baseline): " + ", ".join(f"{k.count} {k.kind}" for k in ov.known))
    if ov.warnings:
        lines.append("  warnings: " + ", ".join(f"{k.count} {k.kind}" for k in ov.warnings))
    return lines


def _one_line(f: Finding) -> str:
    loc = f.locations[0] if f.locations else None
    where = f"{loc.path}:{loc.line}" if loc is not None and loc.line else (loc.path if loc else "")
    more = f" (+{len(f.locations) - 1} more)" if len(f.locations) > 1 else ""
    subject = f.model or where or "-"
    extra = [x for x in (f.action.value if f.action else "", f.licence or "") if x]
    return esc.text(f"{subject}{' ' + '/'.join(extra) if extra else ''}  {where}{more}" if f.model else
                    " ".join(f.message.split())[:160])


def failures_by_kind(report: CheckReport, style: Style = PLAIN, *, limit: int | None = MAX_LISTED) -> list[str]:
    """The failing findings grouped by kind, one line each (at most ``limit`` over every kind, the
    rest counted), each kind's description and remedy once."""
    groups: dict[str, list[Finding]] = {}
    for f in report.findings:
        if f.failing:
            groups.setdefault(f.kind or f.rule, []).append(f)
    if not groups:
        return []
    from licencecmp.scan.check import RULES

    order = sorted(groups, key=lambda k: (-len(groups[k]), k))
    share = None if limit is None else max(MIN_PER_KIND, limit // len(order))
    lines = [style(f"Failures by kind ({sum(len(v) for v in groups.values())}):", "bold")]
    for kind in order:
        fs = groups[kind]
        lines.append(f"  {style(kind, 'bold', 'red')} ({len(fs)}): {RULES.get(kind, ('', ''))[0]}")
        if kind in REMEDIES:
            lines.append(wrap(f"to clear: {REMEDIES[kind]}", "      ", "    "))
        shown = fs if share is None else fs[:share]
        lines += [f"    - {_one_line(f)}" for f in shown]
        if len(fs) > len(shown):
            lines.append(f"    - and {len(fs) - len(shown)} more (--verbose, or --format brief for every line)")
    return lines
