"""``licencecmp policy init --from-scan``: a starter policy proposed from a first scan.

It proposes the excludes a repository usually wants (folders named like ``tests``, ``examples``,
``docs``, ``fixtures``: :data:`~licencecmp.scan.overview.AREAS`) with the number of models each
would remove, lists the models left to decide on (a licence to name, an action to drop), and
writes a commented waiver with an expiry date for each, for the maintainer to uncomment or
delete. Nothing in it is decided for the maintainer: the excludes are the only active lines, and
each says what it removes.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from dataclasses import dataclass

from licencecmp.scan.check import CheckReport, ModelResult
from licencecmp.scan.overview import AREAS, area_of
from licencecmp.scan.owned import literal_pattern

__all__ = ["WAIVER_DAYS", "Proposal", "proposal_text", "propose_policy"]

WAIVER_DAYS = 90
MAX_LISTED = 500  # models listed to decide on; the rest are counted


@dataclass(frozen=True)
class Proposal:
    excludes: tuple[tuple[str, int, int], ...]  # (pattern, models it removes, of which failing)
    decide: tuple[ModelResult, ...]  # failing models outside the excluded folders
    expires: _dt.date


def _areas(m: ModelResult) -> set[str]:
    return {area_of(loc.path) for loc in m.locations}


def _is_area(area: str) -> bool:
    return area.endswith("/") and area.rstrip("/").rsplit("/", 1)[-1].casefold() in AREAS


def propose_policy(report: CheckReport, today: _dt.date) -> Proposal:
    """The excludes worth proposing and the failing models left once they apply."""
    only: Counter[str] = Counter()
    failing: Counter[str] = Counter()
    for m in report.models:
        areas = _areas(m)
        if len(areas) == 1 and _is_area(next(iter(areas))):
            area = next(iter(areas))
            only[area] += 1
            failing[area] += m.status == "fail"
    excludes = tuple(sorted(((a, n, failing[a]) for a, n in only.items()), key=lambda x: (-x[1], x[0])))
    excluded = {a for a, _, _ in excludes}
    decide = tuple(m for m in report.models if m.status == "fail" and not _areas(m) <= excluded)
    return Proposal(excludes=excludes, decide=decide, expires=today + _dt.timedelta(days=WAIVER_DAYS))


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    """Text safe inside a TOML comment: no line break or control character can end the comment."""
    return "".join(c if c.isprintable() else "?" for c in text)


def _why(report: CheckReport, m: ModelResult) -> str:
    kinds = sorted({f.kind or f.rule for f in report.findings if f.model == m.model and f.failing})
    return ", ".join(kinds) or "fails"


def proposal_text(report: CheckReport, p: Proposal) -> str:
    """The proposed ``licencecmp.toml``: it validates as it is; the models and waivers are comments."""
    fail = sum(m.status == "fail" for m in report.models)
    removed = sum(n for _, n, _ in p.excludes)
    lines = [
        "# licencecmp.toml proposed by `licencecmp policy init --from-scan` from a scan of "
        f"{len(report.models)} model(s) ({fail} failing).",
        "# Review every line: the excludes are the only active settings; the models and waivers below are",
        "# comments to complete (a licence, a reason) or delete. See `licencecmp policy init` for every key.",
        "",
        f"actions = [{', '.join(_q(a.value) for a in report.actions)}]",
        "",
    ]
    if p.excludes:
        lines.append(f"# Folders that hold models the project does not ship: {removed} model(s) found only there.")
        lines.append("exclude = [")
        for pattern, n, failing in p.excludes:
            lines.append(f"  {_q(literal_pattern(pattern))},  # removes {n} model(s), {failing} failing")
        lines.append("]")
    else:
        lines.append("# exclude = []  # no tests/, examples/, docs/ or fixtures/ folder holds a model on its own")
    lines += ["", f"# Models to decide on ({len(p.decide)}): name the licence of a model whose licence is unknown",
              "# (from its card or LICENSE), or drop the action it refuses.", "# models = ["]
    for m in p.decide[:MAX_LISTED]:
        where = m.locations[0].path + (f":{m.locations[0].line}" if m.locations and m.locations[0].line else "") \
            if m.locations else ""
        if m.licences:  # the licence is known and refuses an action: nothing to name
            lines.append(f"#   ({_comment(m.model)}: {_why(report, m)} under {_comment(' + '.join(m.licences))}; "
                         f"found at {_comment(where)}: drop the action, get a grant, or waive it below)")
        else:
            lines.append(f"#   {{ id = {_q(m.model)}, licence = \"?\" }},  # {_why(report, m)}; found at "
                         f"{_comment(where)}")
    if len(p.decide) > MAX_LISTED:
        lines.append(f"#   ... and {len(p.decide) - MAX_LISTED} more (`licencecmp check --format brief`)")
    lines += ["# ]", "", f"# Or accept them for now, each until {p.expires.isoformat()} (an expired waiver fails "
              "the check):"]
    for m in p.decide[:MAX_LISTED]:
        lines += ["", "# [[waivers]]", f"# model = {_q(m.model)}",
                  f"# reason = {_q('TODO: why this is accepted (' + _why(report, m) + ')')}",
                  f"# expires = {p.expires.isoformat()}"]
    return "\n".join(lines) + "\n"
