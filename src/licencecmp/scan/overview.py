"""The overview of a check report: counts by status and by kind of finding, and the top causes
(where the failing models are found, which organisations publish them).

A large repository's report opens with this, so that the first screen says what is wrong and
where, before any detail (issue 22). ``licencecmp policy init --from-scan`` uses the same areas
to propose excludes. Pure functions of a :class:`~licencecmp.scan.check.CheckReport`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from licencecmp.scan.check import RULES, CheckReport, Finding, ModelResult

__all__ = ["AREAS", "KindCount", "Overview", "area_of", "is_local", "organisation_of", "overview"]

AREAS: tuple[str, ...] = ("tests", "test", "testing", "examples", "example", "docs", "doc", "fixtures",
                          "benchmarks", "notebooks", "samples", "demo", "demos")
"""Folder names a repository usually does not ship: a model found only there is rarely a model
the project uses (``policy init --from-scan`` proposes to exclude them)."""

TOP = 3


def area_of(path: str) -> str:
    """Where a file is, for counting: the path up to the first folder named in :data:`AREAS`
    (``src/pkg/tests/``), else its top-level folder (``src/``), else ``(root)``."""
    parts = path.split("/")[:-1]
    for i, part in enumerate(parts):
        if part.casefold() in AREAS:
            return "/".join(parts[: i + 1]) + "/"
    return parts[0] + "/" if parts else "(root)"


def organisation_of(model: str, local: bool = False) -> str:
    """The organisation of a Hub id (``meta-llama`` of ``meta-llama/Llama-3.1-8B``); a local model
    (named after a card's folder) is ``(local)``."""
    return model.split("/", 1)[0] if "/" in model and not local else "(local)"


def is_local(m: ModelResult) -> bool:
    """A model named after the folder of its model card, not a Hub id."""
    return any(loc.source == "model-card" and loc.path.rsplit("/", 1)[0] == m.model for loc in m.locations)


@dataclass(frozen=True)
class KindCount:
    """The failing (or known, or warning) findings of one kind, and their top causes."""

    kind: str
    description: str
    count: int
    models: int
    areas: tuple[tuple[str, int], ...]  # (area, models), most first
    organisations: tuple[tuple[str, int], ...]
    licences: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Overview:
    models: int
    by_status: tuple[tuple[str, int], ...]  # (status, models), in the order fail, known, waived, warn, pass
    failing: tuple[KindCount, ...]  # kinds of failing findings, most first
    warnings: tuple[KindCount, ...]
    known: tuple[KindCount, ...] = ()  # in the baseline
    areas: tuple[tuple[str, int], ...] = field(default=())  # where the failing models are, most first


def _top(counter: Counter[str], n: int = TOP) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n])


def _model_areas(m: ModelResult | None, f: Finding) -> set[str]:
    locs = m.locations if m is not None else f.locations
    return {area_of(loc.path) for loc in locs} or {"(root)"}


def _kinds(findings: list[Finding], models: dict[str, ModelResult], n: int) -> tuple[KindCount, ...]:
    groups: dict[str, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.kind or f.rule, []).append(f)
    out: list[KindCount] = []
    for kind, fs in groups.items():
        names = {f.model for f in fs if f.model is not None}
        areas: Counter[str] = Counter()
        orgs: Counter[str] = Counter()
        licences: Counter[str] = Counter()
        for name in sorted(names):
            m = models.get(name)
            first = next(f for f in fs if f.model == name)
            areas.update(_model_areas(m, first))
            orgs[organisation_of(name, m is not None and is_local(m))] += 1
        for f in fs:
            if f.licence:
                licences[f.licence] += 1
        for f in fs:
            if f.model is None:
                areas.update({area_of(loc.path) for loc in f.locations[:1]})
        out.append(KindCount(kind=kind, description=RULES.get(kind, ("", ""))[0], count=len(fs), models=len(names),
                             areas=_top(areas, n), organisations=_top(orgs, n), licences=_top(licences, n)))
    return tuple(sorted(out, key=lambda k: (-k.count, k.kind)))


def overview(report: CheckReport, top: int = TOP) -> Overview:
    """Counts by status and by kind of finding, with the top ``top`` causes of each."""
    models = {m.model: m for m in report.models}
    statuses: Counter[str] = Counter(m.status for m in report.models)
    order = ("fail", "known", "waived", "warn", "pass")
    failing = [f for f in report.findings if f.failing]
    known = [f for f in report.findings if f.baseline and f.level == "error"]
    warnings = [f for f in report.findings if f.level == "warning" and not f.waived_by]
    areas: Counter[str] = Counter()
    for m in report.models:
        if m.status == "fail":
            areas.update({area_of(loc.path) for loc in m.locations})
    return Overview(models=len(report.models), by_status=tuple((s, statuses[s]) for s in order if statuses[s]),
                    failing=_kinds(failing, models, top), warnings=_kinds(warnings, models, top),
                    known=_kinds(known, models, top), areas=_top(areas, top))
