"""The baseline: today's failing findings, accepted, so that the gate fails only on what is new.

``licencecmp baseline`` writes ``licencecmp-baseline.toml`` (at the repository root): one
``[[finding]]`` table per failing finding, sorted, keyed by what the finding is about (its model,
kind, action and licence, or for a finding about a file its path), never by line numbers, so that
edits elsewhere in a file do not invalidate it, and written the same way on every run.
``licencecmp check`` reads it (``--baseline FILE``, ``baseline = "FILE"`` in the policy, or the file
at the repository root): a finding it lists is reported as *known*, counted, and does not fail;
one it does not list fails as before; an entry that matches nothing is *fixed*, noted so that the
baseline can shrink.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from licencecmp.errors import ExitCode, InputError
from licencecmp.scan.check import BaselineUse, CheckReport, Finding, ModelResult, Status, Summary
from licencecmp.scan.files import relative_path
from licencecmp.scan.lock import repository_root
from licencecmp.scan.owned import BASELINE_FILE

__all__ = [
    "BASELINE_FILE",
    "BASELINE_VERSION",
    "Baseline",
    "BaselineKey",
    "apply_baseline",
    "as_of",
    "baseline_path_for",
    "baseline_text",
    "find_baseline",
    "key_of",
    "parse_baseline",
    "read_baseline",
]

BASELINE_VERSION = 1
MAX_BASELINE_BYTES = 16 * 1024 * 1024
_FIELDS = ("model", "kind", "action", "licence", "path")


@dataclass(frozen=True, order=True)
class BaselineKey:
    """What a finding is about, without where in a file it is."""

    model: str = ""  # casefolded when compared (see key_of)
    kind: str = ""
    action: str = ""
    licence: str = ""
    path: str = ""  # only for a finding about no model (a file not scanned)

    def label(self) -> str:
        parts = [self.kind, self.model or self.path]
        parts += [x for x in (self.action, self.licence) if x]
        return " ".join(p for p in parts if p)


def key_of(f: Finding) -> BaselineKey:
    path = f.locations[0].path if f.model is None and f.locations else ""
    return BaselineKey(model=f.model or "", kind=f.kind or f.rule, action=f.action.value if f.action else "",
                       licence=f.licence or "", path=path)


def _fold(k: BaselineKey) -> BaselineKey:
    return BaselineKey(k.model.casefold(), k.kind, k.action, k.licence, k.path)


@dataclass
class Baseline:
    path: Path | None = None
    keys: set[BaselineKey] = field(default_factory=set)


def find_baseline(root: Path) -> Path | None:
    """``licencecmp-baseline.toml`` at the repository root (or at ``root`` outside git), if any."""
    for folder in dict.fromkeys((Path(root).resolve(), repository_root(root))):
        if (folder / BASELINE_FILE).is_file():
            return folder / BASELINE_FILE
    return None


def read_baseline(path: Path) -> Baseline:
    """Read a baseline; InputError (exit 2) naming the file when it is not one."""
    from licencecmp.scan.reading import ReadRefused, read_capped

    try:  # a regular file only, never through a link, read up to the cap (as the lock is)
        raw = read_capped(Path(path), MAX_BASELINE_BYTES, follow=False)
    except ReadRefused as exc:
        raise InputError(f"{path}: the baseline is not read: {exc.reason}") from None
    return parse_baseline(raw, Path(path))


def parse_baseline(raw: bytes, path: Path) -> Baseline:
    """A baseline from its bytes (``path`` names it in messages)."""
    from licencecmp.scan.reading import toml_written

    if len(raw) > MAX_BASELINE_BYTES:
        raise InputError(f"{path}: the baseline is larger than {MAX_BASELINE_BYTES // (1024 * 1024)} MiB")
    items = toml_written(path, raw, what="baseline", version=BASELINE_VERSION, rerun="licencecmp baseline",
                         array="finding")
    out = Baseline(path=path)
    for i, item in enumerate(items):
        where = f"{path}: finding[{i}]"
        if not isinstance(item, dict):
            raise InputError(f"{where}: must be a table")
        extra = set(item) - set(_FIELDS)
        if extra:
            raise InputError(f"{where}: unknown key {sorted(extra)[0]!r} (expected {', '.join(_FIELDS)})")
        values: dict[str, str] = {}
        for name in _FIELDS:
            value: Any = item.get(name, "")
            if not isinstance(value, str):
                raise InputError(f"{where}: {name} must be a string")
            values[name] = value
        if not values["kind"]:
            raise InputError(f"{where}: every [[finding]] needs a kind")
        out.keys.add(BaselineKey(**values))
    return out


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a TOML basic string


def baseline_text(findings: Iterable[Finding], tool_version: str) -> str:
    """The text of a baseline: a header, then one table per distinct key, sorted."""
    keys = sorted({key_of(f) for f in findings}, key=lambda k: (k.model.casefold(), k.model, k.kind, k.action,
                                                                 k.licence, k.path))
    lines = [
        f"# {BASELINE_FILE}: written by licencecmp {tool_version} (`licencecmp baseline`): the findings",
        "# accepted today. `licencecmp check` reports them as known and fails only on new ones; an entry",
        "# that no longer matches is reported as fixed: run `licencecmp baseline` again to drop it.",
        f"version = {BASELINE_VERSION}",
    ]
    for k in keys:
        lines += ["", "[[finding]]"]
        lines += [f"{name} = {_q(getattr(k, name))}" for name in _FIELDS if getattr(k, name)]
    return "\n".join(lines) + "\n"


def apply_baseline(report: CheckReport, baseline: Baseline, root: Path | None = None) -> CheckReport:
    """The report with every failing finding the baseline lists marked known (not failing), model
    statuses, counts and exit code recomputed, and the entries that match nothing listed as fixed."""
    keys = {_fold(k) for k in baseline.keys}
    matched: set[BaselineKey] = set()
    findings: list[Finding] = []
    for f in report.findings:
        k = _fold(key_of(f))
        if f.failing and k in keys:
            matched.add(k)
            f = f.model_copy(update={"baseline": True})
        findings.append(f)
    new = sum(f.failing for f in findings)
    models = _known_models(report.models, findings)
    judged = {m.model.casefold() for m in report.models}
    # under --since only the models judged can be fixed: the others were not looked at
    fixed = sorted(k.label() for k in keys - matched if report.since is None or k.model in judged)
    s = report.summary

    def count(status: Status) -> int:
        return sum(m.status == status for m in models)

    summary: Summary = s.model_copy(update={"failed": count("fail"), "known": count("known"),
                                            "violations": new})
    exit_code = ExitCode.USAGE if report.errors else (ExitCode.REFUSED if new else ExitCode.OK)
    where = str(baseline.path) if baseline.path is not None else "(baseline)"
    if root is not None and baseline.path is not None:
        where = relative_path(baseline.path, Path(root))
    use = BaselineUse(path=where, known=sum(f.baseline for f in findings), new=new, fixed=tuple(fixed))
    return report.model_copy(update={"findings": tuple(findings), "models": tuple(models), "summary": summary,
                                     "exit_code": exit_code, "baseline": use})


def _known_models(models: Sequence[ModelResult], findings: list[Finding]) -> list[ModelResult]:
    """The models that fail only by findings the baseline lists, marked known (with their results)."""
    known_models = {f.model for f in findings if f.baseline and f.model is not None}
    still_failing = {f.model for f in findings if f.failing and f.model is not None}
    known_actions = {(f.model, f.action) for f in findings if f.baseline}
    out = []
    for m in models:
        if m.status == "fail" and m.model in known_models and m.model not in still_failing:
            results = tuple(r.model_copy(update={"status": "known"}) if r.status == "fail" and (
                (m.model, r.action) in known_actions or (m.model, None) in known_actions) else r for r in m.results)
            m = m.model_copy(update={"status": "known", "results": results})
        out.append(m)
    return out


def baseline_path_for(root: Path, policy_baseline: str | None, policy_path: Path | None,
                      explicit: Path | None = None, *, use: bool = True) -> Path | None:
    """The baseline a check applies: ``explicit`` (``--baseline``), else the policy's ``baseline``
    (relative to the policy file's folder), else ``licencecmp-baseline.toml`` at the repository
    root if there is one; none with ``use=False`` (``--no-baseline``). A file named explicitly or in
    the policy must exist (InputError)."""
    if not use:
        return None
    named = explicit
    if named is None and policy_baseline is not None:
        named = (policy_path.parent if policy_path is not None else Path(root)) / policy_baseline
    if named is not None:
        if not Path(named).is_file():
            raise InputError(f"baseline file {str(named)!r} does not exist (write it with `licencecmp baseline`)")
        return Path(named)
    return find_baseline(root)


def as_of(baseline: Baseline, root: Path, rev: str) -> tuple[Baseline, int]:
    """``check --since REV``: the baseline as it was at the merge base of REV and HEAD (entries
    the change itself adds are not honoured: a pull request cannot accept its own new findings),
    and how many entries that drops. No baseline there: none of its entries is honoured."""
    from licencecmp.scan.since import file_at

    if baseline.path is None:
        return baseline, 0
    raw = file_at(root, rev, baseline.path, MAX_BASELINE_BYTES)
    before = parse_baseline(raw, baseline.path).keys if raw is not None else set()
    kept = {k for k in baseline.keys if _fold(k) in {_fold(b) for b in before}}
    return Baseline(path=baseline.path, keys=kept), len(baseline.keys) - len(kept)
