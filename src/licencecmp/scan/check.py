"""``licencecmp check``: the models a repository uses, judged against its policy.

:func:`run_check` scans a tree (:mod:`licencecmp.scan.refs`), gathers every place each model is
found, resolves the licences that bind it (its own, declared ones, and those of its base models
through the registry), decides every action the policy names, and applies the policy's allow and
deny lists and waivers: the judge. The result is a :class:`CheckReport`, whose data model is
:mod:`licencecmp.scan.report` (its names are re-exported here); renderers turn it into text, JSON,
SARIF, JUnit, GitHub annotations or Markdown.

Exit codes (:attr:`CheckReport.exit_code`): 0 all fine (obligations may exist), 1 at least one
violation, 2 a file that could not be understood.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from licencecmp.data.catalogue import Catalogue, default_catalogue
from licencecmp.data.records import Licence, Lineage, ModelEntry
from licencecmp.engine import Decision, combine_decisions
from licencecmp.errors import ExitCode, LicencecmpError
from licencecmp.scan.files import relative_path
from licencecmp.scan.lock import Lock
from licencecmp.scan.owned import own_excludes
from licencecmp.scan.policy import POLICY_FACTS, Policy, PolicySource, declared_terms
from licencecmp.scan.refs import scan
from licencecmp.scan.report import (
    CHECK_SCHEMA_VERSION,
    RULES,
    ActionResult,
    BaselineUse,
    CatalogueEntry,
    CheckReport,
    FileError,
    Finding,
    Level,
    Location,
    Mention,
    ModelResult,
    SkippedFile,
    Status,
    Summary,
)
from licencecmp.scan.resolution import Resolver
from licencecmp.scan.results import CatalogueFile, Found, ScanResult
from licencecmp.scenario import Scenario
from licencecmp.vocab import Action, Verdict

__all__ = [  # the report's data model (scan/report.py) is re-exported: callers import it from here too
    "CHECK_SCHEMA_VERSION",
    "RULES",
    "ActionResult",
    "BaselineUse",
    "CatalogueEntry",
    "CheckReport",
    "FileError",
    "Finding",
    "Level",
    "Licensing",
    "Location",
    "Mention",
    "ModelResult",
    "ModelUse",
    "SkippedFile",
    "Status",
    "Summary",
    "collect_models",
    "licensing_of",
    "run_check",
]

# -- gathering ----------------------------------------------------------------------------------


@dataclass
class ModelUse:
    """Every place one model was found, and what each place says about its licence."""

    name: str
    entry: ModelEntry | None = None
    found: list[Found] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.name.casefold()

    def locations(self) -> tuple[Location, ...]:
        seen: dict[tuple[str, int, int | None], Location] = {}
        for f in self.found:
            seen.setdefault((f.path, f.line, f.column), Location(path=f.path, line=f.line, column=f.column,
                                                                  source=f.source, as_written=f.written))
        return tuple(seen.values())


def collect_models(res: ScanResult, policy: Policy, source: PolicySource, cat: Catalogue,
                   root: Path) -> list[ModelUse]:
    """Group what the scan found (and the policy's explicit models) by model."""
    found = list(res.found)
    if source.path is not None:
        rel = relative_path(source.path, root)
        for i, decl in enumerate(policy.models):
            line = source.line_of(("models", i)) or 1
            licence = declared_terms(decl.licence, cat) if decl.licence is not None else None
            found.append(Found(decl.id, "policy", rel, line, licence=licence,
                               registry=cat.find_model(decl.id) is not None))
    uses: dict[str, ModelUse] = {}
    for f in found:
        # Every name is looked up, cards included: a card named like a registry model joins it (a
        # different licence on the card is a licence-mismatch), whatever the order of the files.
        entry = cat.find_model(f.model)
        name = entry.id if entry is not None else f.model
        use = uses.get(name.casefold())
        if use is None:
            use = uses[name.casefold()] = ModelUse(name, entry)
        use.found.append(f)
    return sorted(uses.values(), key=lambda u: u.key)


# -- licences of one model ----------------------------------------------------------------------


@dataclass
class Licensing:
    """The licences that bind one model: its own, its upstream models', and what files declare."""

    own: list[str] = field(default_factory=list)  # canonical ids or expressions
    upstream: list[str] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)  # why a declared licence could not be resolved
    unknown_upstream: list[str] = field(default_factory=list)  # base models whose licence is not known
    notes: list[tuple[str, str]] = field(default_factory=list)  # (rule, message)
    modality: Any = None
    resolution: str = "unknown"
    inferred_from: str | None = None
    sha: str | None = None
    rule: str | None = None
    bases: list[str] = field(default_factory=list)  # the model's direct base models, each once
    relation: str | None = None  # how it derives from them
    lineage: tuple[Lineage, ...] = ()  # its base models, transitively

    @property
    def terms(self) -> list[str]:
        return list(dict.fromkeys([*self.own, *self.upstream]))


def _resolve_found(cat: Catalogue, f: Found) -> tuple[str | None, str | None]:
    """(canonical licence, why it is unknown) for what one place declares."""
    from licencecmp.scan.resolution import declared_licence

    return declared_licence(cat, f.licence, f.licence_name, f.licence_link, f"{f.path}:{f.line}")


REPOSITORY_DECLARED = ("model-card", "sbom")
"""Sources of a licence the scanned repository declares for itself (with its lock): trusted only as far
as :func:`licencecmp.scan.resolution.own_resolver` agrees, and not at all with ``trust_repository = false``."""


def licensing_of(use: ModelUse, cat: Catalogue, resolver: Resolver | None = None, *,
                 trust_repository: bool = True) -> Licensing:
    """The licences that bind one model, and which source of the resolution chain answered
    (:mod:`licencecmp.scan.resolution`). A licence the repository declares (a card, an SBOM, the
    lock) never loosens what licencecmp itself knows or infers offline: both are applied; with
    ``trust_repository`` false it is ignored."""
    from licencecmp.scan.resolution import own_resolver

    out = Licensing()
    if use.entry is not None:
        _from_registry(out, use.entry, cat)
    sources, no_licence, ignored = _from_places(out, use, cat, resolver, trust_repository)
    if use.entry is None:
        if "policy" in sources:
            out.resolution = "override"
        elif _from_lock(out, use, resolver, bool(sources)):
            pass
        elif sources:
            out.resolution = "card" if "model-card" in sources else "sbom" if "sbom" in sources else "card"
        elif not out.unknown and resolver is not None and _from_resolver(out, use, resolver):
            no_licence = []
    if use.entry is None and out.resolution in ("lock", "card", "sbom"):
        _bound_by_own_answer(out, use.name, own_resolver(resolver, cat).resolve(use.name))
    if not out.own and not out.unknown:
        if ignored:
            no_licence = [f"the licence declared at {', '.join(ignored[:3])} is ignored (trust_repository = "
                          "false)"]
            out.unknown.append(no_licence[0])
        else:
            out.unknown.append("no licence is declared where it is found (" + ", ".join(no_licence[:3]) + ")"
                               if no_licence else "no licence is declared")
    if not out.own:
        out.resolution = "unknown"
    out.upstream = [u for u in dict.fromkeys(out.upstream) if u not in out.own]
    if resolver is not None and out.bases:
        out.lineage = resolver.lineage(use.name, out.bases, out.relation)
    return out


def _from_registry(out: Licensing, entry: ModelEntry, cat: Catalogue) -> None:
    out.modality = entry.modality
    out.resolution = "registry"
    try:
        if entry.licence in cat.unavailable:
            cat.resolve(entry.id)  # raises LicenceNotInCatalogueError, naming the licence
        upstream = [lic.id for lic in cat.upstream_licences(entry)]
    except LicencecmpError as exc:
        # A licence the catalogue has no text for (or an upstream under one): reported by
        # name as an unknown licence, never passed.
        out.unknown.append(str(exc))
        out.resolution = "unknown"
    else:
        out.own.append(entry.licence)
        out.upstream += upstream
    out.bases += entry.upstream
    out.relation = entry.relation


def _from_places(out: Licensing, use: ModelUse, cat: Catalogue, resolver: Resolver | None,
                 trust_repository: bool = True) -> tuple[set[str], list[str], list[str]]:
    """What the places that found the model declare (cards, SBOMs, the policy), and their base models:
    (the kinds of place that named a known licence, the places that named none, the places whose
    licence was ignored because the policy does not trust the repository)."""
    no_licence: list[str] = []
    ignored: list[str] = []
    sources: set[str] = set()
    for f in use.found:
        if f.source in ("code", "config", "space"):
            continue  # a reference declares no licence: the registry says it
        if not trust_repository and f.source in REPOSITORY_DECLARED:
            if f.licence or f.licence_name:
                ignored.append(f"{f.path}:{f.line}")
            for base in f.base_models:  # a base model only adds terms
                _add_base(out, use, f, base, None, cat, resolver)
            continue
        if f.licence:
            out.declared.append(f.licence)
        canonical, why = _resolve_found(cat, f)
        if canonical is not None:
            sources.add(f.source)
            if use.entry is not None and canonical not in out.own:
                out.notes.append(("licence-mismatch",
                                  f"{f.path}:{f.line} declares {canonical} for {use.name}, the registry says "
                                  f"{use.entry.licence}; both are applied"))
            if canonical not in out.own:
                out.own.append(canonical)
        elif why:
            out.unknown.append(why)
        elif use.entry is None:
            no_licence.append(f"{f.path}:{f.line}")
        out.relation = out.relation or (f.relation if f.base_models else None)
        for base in f.base_models:
            out.bases.append(base)
            _add_base(out, use, f, base, canonical, cat, resolver)
    return sources, no_licence, ignored


def _from_lock(out: Licensing, use: ModelUse, resolver: Resolver | None, declared: bool) -> bool:
    """The licences ``licencecmp.lock`` pins for the model, if it does."""
    pinned = resolver.from_lock(use.name) if resolver is not None else None
    if pinned is None:
        return False
    out.resolution = "lock"
    out.own += [x for x in pinned.licences if x not in out.own]
    out.upstream += list(pinned.upstream)
    out.inferred_from, out.sha = pinned.inferred_from, pinned.sha
    out.bases += pinned.base_models
    out.relation = out.relation or ("quantized" if pinned.inferred_from else None)
    out.unknown = [u for u in out.unknown if declared]
    return True


def _from_resolver(out: Licensing, use: ModelUse, resolver: Resolver) -> bool:
    """The resolution chain's answer for a model nothing else licenses; True when it answered (a
    licence, or why there is none)."""
    locked = resolver.resolve(use.name)
    out.resolution, out.rule = locked.resolution, locked.rule
    out.bases += locked.base_models
    out.relation = out.relation or locked.relation
    if locked.licences:
        out.own += list(locked.licences)
        out.upstream += list(locked.upstream)
        out.inferred_from, out.sha = locked.inferred_from, locked.sha
        for c in locked.conflicts:
            out.notes.append(_conflict_note(use.name, c, locked.where or locked.resolution))
        out.notes += [("unresolved-base-model", f"{use.name}: {n}") for n in locked.notes]
        if locked.inferred_from:
            out.notes.append(("inferred-licence", f"{use.name}: licence inferred from "
                              f"{locked.inferred_from}, of which this looks like a re-upload"))
        return True
    if locked.reason:
        out.unknown.append(locked.reason)
        return True
    return False


def _bound_by_own_answer(out: Licensing, model: str, own: Any) -> None:
    """What licencecmp knows or infers of a model offline (a family rule, a re-upload of a registry
    model, the HF cache) binds it too when the repository declares another licence: both apply."""
    extra = [x for x in own.licences if x not in out.own]
    if not extra:
        return
    out.notes.append(("licence-mismatch", f"the repository declares {' + '.join(out.own)} for {model} "
                      f"({out.resolution}); licencecmp's own answer is {' + '.join(own.licences)} "
                      f"({own.resolution}{f', from {own.inferred_from}' if own.inferred_from else ''}); both "
                      "are applied"))
    out.own += extra
    out.upstream += [x for x in own.upstream if x not in out.upstream]
    out.inferred_from = out.inferred_from or own.inferred_from


def _conflict_note(model: str, c: Any, where: str) -> tuple[str, str]:
    return ("licence-conflict", f"{model}: {where} declares {c.licence}, which cannot carry the terms of its base "
            f"model {c.base_model} ({c.base_licence}; {c.verdict}): {c.reason}; the base model's licence still "
            "binds")


def _add_base(out: Licensing, use: ModelUse, f: Found, base: str, canonical: str | None, cat: Catalogue,
              resolver: Resolver | None) -> None:
    """A base model a card names: its licences bind the model too; a declared licence that cannot
    carry them is a licence-conflict."""
    entry = cat.find_model(base)
    if entry is not None:
        base_licences = [entry.licence]
        try:
            if entry.licence in cat.unavailable:
                cat.resolve(entry.id)  # raises LicenceNotInCatalogueError, naming the licence
            upstream = [entry.licence, *(lic.id for lic in cat.upstream_licences(entry))]
        except LicencecmpError as exc:
            # The base model's licence binds but has no text here: the model's terms are not
            # known, whatever its own licence says (issue 22: this aborted the run with exit 2).
            out.unknown_upstream.append(f"{f.path}:{f.line}: base model {entry.id}: {exc}")
            return
        if out.modality is None:
            out.modality = entry.modality
    elif resolver is not None and resolver.resolve(base).licences:
        res = resolver.resolve(base)
        base_licences = list(res.licences)
        upstream = [*res.licences, *res.upstream]
    else:
        why = resolver.resolve(base).reason if resolver is not None else None
        out.notes.append(("unresolved-base-model",
                          f"{f.path}:{f.line}: base model {base!r} is not in the registry; its licence "
                          f"was not checked" + (f" ({why})" if why else "")))
        return
    out.upstream += upstream
    if canonical is not None:
        from licencecmp.scan.resolution import licence_conflicts

        for c in licence_conflicts(cat, [canonical], base, base_licences):
            out.notes.append(_conflict_note(use.name, c, f"{f.path}:{f.line}"))


# -- allow and deny lists -----------------------------------------------------------------------


def is_open_source(licence: Licence, cat: Catalogue | None = None) -> bool:
    """Openness for the policy's allow/deny lists, computed by :mod:`licencecmp.openness`."""
    from licencecmp.reasoning.openness import openness

    return bool(openness(licence, cat).open_source)


def _matches(sel: Any, lic: Licence, cat: Catalogue) -> str | None:
    """Why a selector matches a licence, or None."""
    for name in sel.licences:
        if cat.get(name).id == lic.id:
            return f"licence {lic.id} is listed"
    if lic.kind in sel.kinds:
        return f"its kind is {lic.kind.value}"
    if sel.open_source is not None and is_open_source(lic, cat) == sel.open_source:
        return "it is open source" if sel.open_source else "it is not open source"
    return None


def _leaf_verdict(policy: Policy, lic: Licence, cat: Catalogue) -> str | None:
    """None if the policy accepts this licence, else the reason it does not."""
    why = _matches(policy.deny, lic, cat)
    if why:
        return f"{lic.id} is on the policy's deny list ({why})"
    if not policy.allow.empty() and _matches(policy.allow, lic, cat) is None:
        return f"{lic.id} is not on the policy's allow list"
    return None


def _term_refusal(policy: Policy, term: str, cat: Catalogue) -> str | None:
    from licencecmp.reasoning.expression import is_expression, parse_expression

    if not is_expression(term):
        return _leaf_verdict(policy, cat.licence(term), cat)
    from license_expression import AND, OR

    def walk(node: Any) -> str | None:
        if isinstance(node, AND):
            for arg in node.args:
                why = walk(arg)
                if why:
                    return why
            return None
        if isinstance(node, OR):
            whys = [walk(arg) for arg in node.args]
            return None if any(w is None for w in whys) else "; ".join(w for w in whys if w)
        return _leaf_verdict(policy, cat.licence(node.key), cat)

    return walk(parse_expression(term, cat))


def _licence_ids(term: str, cat: Catalogue) -> set[str]:
    from licencecmp.reasoning.expression import is_expression, parse_expression

    if not is_expression(term):
        return {term}
    return {sym.key for sym in parse_expression(term, cat).symbols}


# -- deciding -----------------------------------------------------------------------------------


def _decide(term: str, action: Action, scenario: Scenario, cat: Catalogue) -> Decision:
    from licencecmp.reasoning.expression import decide_name

    return decide_name(term, action, scenario, cat)


def _reason_for(d: Decision) -> str:
    for r in d.reasons:
        if d.verdict.value in r:
            return r
    return d.reasons[0] if d.reasons else ""


@dataclass
class _Ctx:
    policy: Policy
    source: PolicySource
    cat: Catalogue
    scenario: Scenario
    today: _dt.date
    resolver: Resolver | None = None
    used_waivers: set[int] = field(default_factory=set)

    def waiver_for(self, model: str, licences: set[str], action: Action | None) -> str | None:
        for i, w in enumerate(self.policy.waivers):
            if w.expired(self.today):
                continue
            if w.model is not None and w.model.casefold() != model.casefold():
                continue
            if w.licence is not None and self.cat.get(w.licence).id not in licences:
                continue
            if w.actions is not None and (action is None or action not in w.actions):
                continue
            self.used_waivers.add(i)
            return f"{w.reason} (waiver until {w.expires.isoformat()})"
        return None


MAX_FINDING_LOCATIONS = 20
"""A finding lists at most this many places (the model's result lists them all): many identical
cards must not make the report grow with the square of their number."""
MAX_NOTES = 20


def _bounded(items: list[str]) -> list[str]:
    return items if len(items) <= MAX_NOTES else [*items[:MAX_NOTES], f"and {len(items) - MAX_NOTES} more"]


def _bounded_notes(notes: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """At most MAX_NOTES notes per rule, then one that counts the rest."""
    out: list[tuple[str, str]] = []
    counts: dict[str, int] = {}
    for rule, message in dict.fromkeys(notes):
        counts[rule] = counts.get(rule, 0) + 1
        if counts[rule] <= MAX_NOTES:
            out.append((rule, message))
    out += [(rule, f"and {n - MAX_NOTES} more {rule} finding(s) like these") for rule, n in counts.items()
            if n > MAX_NOTES]
    return out


class _Judgement:
    """One model judged: its licences, a result per action the policy names, and the findings."""

    def __init__(self, use: ModelUse, ctx: _Ctx) -> None:
        self.use, self.ctx = use, ctx
        self.lic = licensing_of(use, ctx.cat, ctx.resolver, trust_repository=ctx.policy.trust_repository)
        self.locs = use.locations()
        self.findings: list[Finding] = []
        self.all_ids: set[str] = set()
        for term in self.lic.terms:
            self.all_ids |= _licence_ids(term, ctx.cat)

    def add(self, rule: str, message: str, action: Action | None = None, licence: str | None = None,
            level: Level | None = None) -> Finding:
        lvl = level or RULES[rule][1]
        waived = self.ctx.waiver_for(self.use.name, self.all_ids, action) if lvl == "error" else None
        f = Finding(rule=rule, level=lvl, model=self.use.name, action=action, licence=licence, message=message,
                    locations=self.locs[:MAX_FINDING_LOCATIONS], waived_by=waived)
        self.findings.append(f)
        return f

    def licence_findings(self) -> None:
        """What the licences found say before any action: notes, unknown licences, the policy's lists."""
        lic, policy, name = self.lic, self.ctx.policy, self.use.name
        for rule, message in _bounded_notes(lic.notes):
            self.add(rule, message, level="warning" if rule == "licence-conflict" and "; unclear)" in message else None)
        lic.unknown = _bounded(lic.unknown)
        if lic.unknown and not lic.own:
            level: Level = "warning" if policy.unknown_warns else "error"
            # (how to clear it is said once per kind by the report, render.summary.REMEDIES)
            self.add("unknown-licence", f"{name}: licence unknown: {'; '.join(lic.unknown)}", level=level)
        if lic.own and lic.unknown_upstream:
            level = "warning" if policy.unknown_warns else "error"
            self.add("unknown-licence", f"{name}: the licence of a base model is unknown, and it binds this model "
                     f"too: {'; '.join(_bounded(lic.unknown_upstream))}", level=level)
        if lic.unknown and lic.own:
            self.add("licence-mismatch", f"{name}: " + "; ".join(lic.unknown) + " (the other licences are applied)",
                     level="warning")
        for term in lic.terms:
            why = _term_refusal(policy, term, self.ctx.cat)
            if why:
                self.add("denied-by-policy", f"{name}: {why}", licence=term)

    def action_result(self, action: Action, scenario: Scenario, primary: str | None) -> ActionResult:
        """One action decided under every licence that binds the model, with its finding if it fails."""
        policy, name, terms = self.ctx.policy, self.use.name, self.lic.terms
        if primary is None:
            status: Status = "warn" if policy.unknown_warns else "fail"
            if not policy.unknown_warns and self.ctx.waiver_for(name, self.all_ids, action):
                status = "waived"
            return ActionResult(action=action, verdict=None, status=status)
        decisions = [_decide(t, action, scenario, self.ctx.cat) for t in terms]
        d = (combine_decisions(decisions, licence=primary, model=name) if len(decisions) > 1
             else decisions[0].model_copy(update={"model": name}))
        status = "pass"
        if d.verdict in (Verdict.PROHIBITED, Verdict.NEEDS_PERMISSION) or (
                d.verdict is Verdict.UNCLEAR and policy.fail_on_unclear):
            f = self.add(d.verdict.value, f"{name}: {action.value} is {d.verdict.value} under "
                         f"{' + '.join(terms)}: {_reason_for(d)}", action=action, licence=primary, level="error")
            status = "waived" if f.waived_by else "fail"
        elif d.verdict is Verdict.UNCLEAR:
            self.add("unclear", f"{name}: {action.value} is unclear under {' + '.join(terms)}: "
                     f"{_reason_for(d)}", action=action, licence=primary)
            status = "warn"
        if self.lic.unknown_upstream and status == "pass":  # a base model's terms are not known: never a pass
            status = "warn" if policy.unknown_warns else "fail"
        return ActionResult(action=action, verdict=d.verdict, status=status, decision=d)

    def status(self, results: list[ActionResult]) -> Status:
        """The model's status: the worst of its results' and its findings'."""
        statuses = {r.status for r in results} | {("fail" if f.failing else "waived" if f.waived_by else
                                                   "warn" if f.level == "warning" else "pass") for f in self.findings}
        return next(s for s in ("fail", "waived", "warn", "pass") if s in statuses or s == "pass")


def _judge(use: ModelUse, ctx: _Ctx) -> tuple[ModelResult, list[Finding]]:
    j = _Judgement(use, ctx)
    j.licence_findings()
    lic = j.lic
    scenario = ctx.scenario
    if scenario.modality is None and lic.modality is not None:
        scenario = scenario.model_copy(update={"modality": lic.modality})
    primary = lic.own[0] if lic.own else (lic.terms[0] if lic.terms else None)
    results = [j.action_result(action, scenario, primary) for action in ctx.policy.actions_for(use.name)]
    obligations = list(dict.fromkeys(o for r in results if r.decision is not None and (
        r.decision.verdict.permits or r.status == "waived") for o in r.decision.obligations))
    if obligations:
        todo = "; ".join(o.text for o in obligations[:3]) + (f"; and {len(obligations) - 3} more"
                                                             if len(obligations) > 3 else "")
        j.add("obligations", f"{use.name}: {len(obligations)} obligation(s): {todo}", licence=primary)
    verdicts = [r.verdict for r in results if r.verdict is not None]
    result = ModelResult(
        model=use.name, registry=use.entry is not None, licences=tuple(lic.own), upstream=tuple(lic.upstream),
        declared=tuple(dict.fromkeys(lic.declared)),
        verdict=Verdict.strictest(verdicts) if verdicts else None, status=j.status(results), locations=j.locs,
        results=tuple(results), obligations=tuple(obligations), resolution=lic.resolution,
        inferred_from=lic.inferred_from, sha=lic.sha, rule=lic.rule if lic.resolution == "family" else None,
        base_models=lic.lineage,
        reason="; ".join(lic.unknown) if lic.unknown and not lic.own else None,
    )
    return result, j.findings


def _unjudged(use: ModelUse, ctx: _Ctx, exc: LicencecmpError) -> tuple[ModelResult, list[Finding]]:
    """A model whose terms could not be decided (a licence with no text the resolution did not
    foresee): an unknown-licence finding, never a pass and never an aborted run."""
    warns = ctx.policy.unknown_warns
    waived = None if warns else ctx.waiver_for(use.name, set(), None)
    locs = use.locations()
    finding = Finding(rule="unknown-licence", level="warning" if warns else "error", model=use.name,
                      message=f"{use.name}: its terms could not be decided: {exc}",
                      locations=locs[:MAX_FINDING_LOCATIONS], waived_by=waived)
    status: Status = "warn" if warns else ("waived" if waived else "fail")
    result = ModelResult(model=use.name, registry=use.entry is not None, licences=(), upstream=(),
                         verdict=None, status=status, locations=locs, results=(), reason=str(exc))
    return result, [finding]


# -- the whole check ----------------------------------------------------------------------------


def _check_policy_models(policy: Policy, source: PolicySource, uses: list[ModelUse], cat: Catalogue) -> None:
    known = {u.key for u in uses} | {m.id.casefold() for m in policy.models}
    for kind, items in (("overrides", policy.overrides), ("waivers", policy.waivers)):
        for i, item in enumerate(items):
            model = getattr(item, "model", None)
            if model is None or model.casefold() in known or cat.find_model(model) is not None:
                continue
            from licencecmp.text import nearest

            hint = nearest(model, sorted({u.name for u in uses} | {m.id for m in cat.models()}))
            extra = f"; did you mean {', '.join(hint)}?" if hint else ""
            raise source.error((kind, i, "model"), f"unknown model {model!r}: not found in the repository, "
                               f"not in the policy's models, not in the registry{extra}")


def _scenario(policy: Policy, source: PolicySource, cat: Catalogue) -> Scenario:
    from licencecmp.scenario import make_scenario

    try:
        return make_scenario(cat=cat, **{f.name: getattr(policy, f.name) for f in POLICY_FACTS})
    except LicencecmpError as exc:  # pragma: no cover - check_ids catches these first
        raise source.error((), str(exc)) from None


def _scan_findings(res: ScanResult, policy: Policy) -> list[Finding]:
    """What the scan could not see: skipped files that could name a model (by their name, as
    scripts, as submodules not checked out), a listing without git."""
    from licencecmp.scan.reading import could_hold_model_at

    level: Level = "error" if policy.strict else "warning"
    out = [Finding(rule="incomplete-scan", level=level, message=n) for n in res.notices]
    for s in res.skipped:
        if s.could_hold_model or could_hold_model_at(os.path.join(res.root, s.path), s.path):
            out.append(Finding(rule="unscanned-file", level=level, locations=(Location(path=s.path, source="scan"),),
                               message=f"{s.path} was not scanned ({s.reason}); it could name or declare a model"))
    return out


def run_check(
    root: Path,
    policy: Policy | None = None,
    source: PolicySource | None = None,
    *,
    cat: Catalogue | None = None,
    today: _dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    max_file_size: int | None = None,
    online: bool = False,
    locked: bool = False,
    include_comments: bool = False,
    cache_dir: Path | None = None,
    lock: Lock | None = None,
    written: Sequence[Path] = (),
    since: str | None = None,
) -> CheckReport:
    """Scan ``root`` and judge every model found against ``policy``.

    Each model is resolved through the chain of :mod:`licencecmp.scan.resolution`; ``online``
    (or ``online = true`` in the policy, or ``LICENCECMP_ONLINE=1``) lets it ask the Hub;
    ``lock`` is read from ``licencecmp.lock`` (found at the repository root) when not given;
    ``locked`` fails the check (``lock-stale``) when the lock and the models used differ;
    ``cache_dir`` is the Hugging Face cache (default: from the environment); ``written``: files
    licencecmp wrote (a baseline), never scanned, as the lock is not (:mod:`licencecmp.scan.owned`);
    ``since``: judge only the models referenced on lines added or changed since this git revision
    (:mod:`licencecmp.scan.since`)."""
    from licencecmp._version import __version__
    from licencecmp.scan.hub import online_requested
    from licencecmp.scan.lock import check_lock_licences, find_lock, read_lock

    cat = cat or default_catalogue()
    policy = policy or Policy()
    source = source or PolicySource(None)
    today = today or _dt.date.today()
    root = Path(root)
    if lock is None:
        lock_path = find_lock(root)
        lock = read_lock(lock_path) if lock_path is not None else None
    if lock is not None:
        check_lock_licences(lock, cat)
    res = _scan_tree(root, cat, policy, source, lock, written, max_file_size, progress, include_comments)
    if not policy.inline_ignores:  # only waivers count: what an inline comment suppresses is judged
        res.found.extend(res.suppressed)
        res.suppressed.clear()
    uses = collect_models(res, policy, source, cat, root)
    _check_policy_models(policy, source, uses, cat)
    all_uses = uses
    if since is not None:
        uses = _changed_uses(uses, root, since)
    scenario = _scenario(policy, source, cat)
    resolver = Resolver(cat, online=online_requested(online, policy.online), cache_dir=cache_dir,
                        lock=lock if policy.trust_repository else None)
    resolver.prefetch(_to_prefetch(uses))
    ctx = _Ctx(policy, source, cat, scenario, today, resolver)
    models: list[ModelResult] = []
    findings: list[Finding] = []
    for use in uses:
        try:
            result, fs = _judge(use, ctx)
        except LicencecmpError as exc:  # what reaches judging yields a finding, never an aborted run
            result, fs = _unjudged(use, ctx, exc)
        models.append(result)
        findings += fs
    findings += _report_findings(ctx, resolver, res, lock if locked else None, all_uses, root,
                                 judged_all=since is None)
    errors = tuple(FileError(path=p.path, line=p.line, message=p.message) for p in res.problems)
    failing = [f for f in findings if f.failing]
    exit_code = ExitCode.USAGE if errors else (ExitCode.REFUSED if failing else ExitCode.OK)
    return CheckReport(
        tool_version=__version__, root=str(root), policy=str(source.path) if source.path else None,
        policies_ignored=tuple(str(p) for p in source.ignored), git=res.git,
        scenario=scenario, actions=tuple(policy.actions), models=tuple(models), findings=tuple(findings),
        skipped=tuple(SkippedFile(path=s.path, reason=s.reason) for s in res.skipped), errors=errors,
        mentions=tuple(_mention(f) for f in res.mentions) if include_comments else (),
        suppressed=tuple(_mention(f) for f in res.suppressed),
        placeholders=tuple(_mention(f) for f in res.placeholders),
        catalogues=tuple(_catalogue_entry(c, cat, policy.catalogues == "judge") for c in res.catalogues),
        lock=relative_path(lock.path, root) if lock is not None and lock.path is not None else None,
        online=resolver.online, summary=_summary(models, findings, res, len(errors)), exit_code=exit_code,
        since=since,
    )


def _scan_tree(root: Path, cat: Catalogue, policy: Policy, source: PolicySource, lock: Lock | None,
               written: Sequence[Path], max_file_size: int | None,
               progress: Callable[[int, int], None] | None, mentions: bool = True) -> ScanResult:
    """The scan of ``root``. The policy and the lock name models: they are read as such, not scanned as
    references; nor is any file licencecmp writes (a baseline: scan/owned.py). With ``catalogues =
    "judge"``, every model a catalogue file names is judged."""
    skip = [relative_path(p, root) for p in (source.path, lock.path if lock else None) if p is not None]
    res = scan(root, cat, max_file_size=max_file_size or policy.max_file_size,
               exclude=own_excludes(root, policy.exclude, written), skip=skip, progress=progress,
               mentions=mentions)
    if policy.catalogues == "judge":
        res.found.extend(f for c in res.catalogues for f in c.found)
    return res


def _report_findings(ctx: _Ctx, resolver: Resolver, res: ScanResult, locked: Lock | None, uses: list[ModelUse],
                     root: Path, *, judged_all: bool) -> list[Finding]:
    """The findings that are not one model's: the lock against the models used (``check --locked``),
    the waivers, what the scan could not see, the policies set aside."""
    policy, source = ctx.policy, ctx.source
    findings: list[Finding] = []
    if locked is not None:
        findings += _stale(locked, uses, root)
        if policy.trust_repository:
            findings += _lock_disagrees(locked, uses, root, resolver)
    findings += _waiver_findings(policy, source, root, ctx.today, ctx.used_waivers if judged_all else None)
    findings += _scan_findings(res, policy)
    findings += _ignored_policies(source, root)
    findings += _suppressions(res)
    return findings


def _suppressions(res: ScanResult) -> list[Finding]:
    """A note per model whose references a `licencecmp: ignore` comment suppresses, so that every
    format counts and lists them."""
    by_model: dict[str, list[Found]] = {}
    for f in res.suppressed:
        by_model.setdefault(f.model, []).append(f)
    return [Finding(rule="suppressed-reference", level="note", model=model,
                    locations=tuple(Location(path=f.path, line=f.line, column=f.column, source=f.source)
                                    for f in found[:MAX_FINDING_LOCATIONS]),
                    message=f"{model}: {len(found)} reference(s) suppressed by `licencecmp: ignore` and not judged "
                            "(inline_ignores = false in the policy judges them)")
            for model, found in by_model.items()]


def _ignored_policies(source: PolicySource, root: Path) -> list[Finding]:
    """A note for each policy found for the folder checked and not applied."""
    used = str(source.path) if source.path is not None else "the default policy"
    return [Finding(rule="ignored-policy", level="note",
                    locations=(Location(path=relative_path(p, root), source="policy"),),
                    message=f"{relative_path(p, root)} was not applied: the policy used is {used} (pin one "
                            "with --policy, --policy-root or root = true)") for p in source.ignored]


def _to_prefetch(uses: list[ModelUse]) -> list[str]:
    """The models the resolver will be asked about: those only references name, and every base model."""
    return ([u.name for u in uses if u.entry is None and all(
        f.source in ("code", "config", "space", "sbom") for f in u.found)]
        + [b for u in uses for f in u.found for b in f.base_models])


def _mention(f: Found) -> Mention:
    return Mention(model=f.model, path=f.path, line=f.line, column=f.column, source=f.source)


def _summary(models: list[ModelResult], findings: list[Finding], res: ScanResult, errors: int) -> Summary:
    return Summary(
        models=len(models),
        passed=sum(m.status == "pass" for m in models),
        failed=sum(m.status == "fail" for m in models),
        warned=sum(m.status == "warn" for m in models),
        waived=sum(m.status == "waived" for m in models),
        violations=sum(f.failing for f in findings),
        warnings=sum(f.level == "warning" for f in findings),
        obligations=sum(len(m.obligations) for m in models),
        files_scanned=res.files_scanned, bytes_scanned=res.bytes_scanned,
        files_skipped=len(res.skipped), errors=errors, seconds=round(res.seconds, 3),
        placeholders=len(res.placeholders), catalogues=len(res.catalogues),
    )


def _waiver_findings(policy: Policy, source: PolicySource, root: Path, today: _dt.date,
                     used: set[int] | None) -> list[Finding]:
    """An expired waiver fails the check; an unused one is noted (``used`` None: not every model was
    judged, as with ``--since``, so none is said to be unused)."""
    findings: list[Finding] = []
    policy_rel = relative_path(source.path, root) if source.path is not None else None
    for i, w in enumerate(policy.waivers):
        loc = (Location(path=policy_rel, line=source.line_of(("waivers", i)), source="policy"),) \
            if policy_rel else ()
        if w.expired(today):
            findings.append(Finding(
                rule="expired-waiver", level="error", model=w.model, licence=w.licence, locations=loc,
                message=f"the waiver for {w.subject} expired on {w.expires.isoformat()} ({w.reason}); "
                        "renew it with a new date or remove it"))
        elif used is not None and i not in used:
            findings.append(Finding(rule="unused-waiver", level="note", model=w.model, licence=w.licence,
                                    locations=loc, message=f"the waiver for {w.subject} matches no finding"))
    return findings


def _catalogue_entry(c: CatalogueFile, cat: Catalogue, judged: bool) -> CatalogueEntry:
    """One catalogue file: how many models it names, how many the registry knows, under which licences."""
    models = {f.model.casefold(): f.model for f in c.found}
    licences: dict[str, int] = {}
    known = 0
    for name in models.values():
        entry = cat.find_model(name)
        if entry is not None:
            known += 1
            licences[entry.licence] = licences.get(entry.licence, 0) + 1
    return CatalogueEntry(path=c.path, ids=len(models), known=known, licences=dict(sorted(licences.items())),
                          judged=judged)


def _changed_uses(uses: list[ModelUse], root: Path, since: str) -> list[ModelUse]:
    """``check --since``: the models referenced on a line added or changed since ``since`` (every
    place each is found still counts, for its licence)."""
    from licencecmp.scan.since import changes_since

    changes = changes_since(root, since)
    return [u for u in uses if any(changes.touches(f.path, f.line) for f in u.found)]


def _stale(lock: Lock | None, uses: list[ModelUse], root: Path) -> list[Finding]:
    """``check --locked``: lock-stale findings for models used but not locked, and locked but unused."""
    from licencecmp.scan.lock import LOCK_FILE

    if lock is None:
        return [Finding(rule="lock-stale", level="error", message=f"--locked: no {LOCK_FILE} found; run "
                        "`licencecmp lock` and commit it")]
    rel = relative_path(lock.path, root) if lock.path is not None else LOCK_FILE
    out = []
    used = {u.key: u for u in uses}
    for u in uses:
        if lock.get(u.name) is None:
            out.append(Finding(rule="lock-stale", level="error", model=u.name, locations=u.locations(),
                               message=f"{u.name} is used but {rel} does not list it; run `licencecmp lock`"))
    for mid in lock.ids():
        if mid.casefold() not in used:
            out.append(Finding(rule="lock-stale", level="error", model=mid,
                               locations=(Location(path=rel, source="lock"),),
                               message=f"{rel} lists {mid}, which the repository no longer uses; run "
                                       "`licencecmp lock`"))
    return out


def _lock_disagrees(lock: Lock | None, uses: list[ModelUse], root: Path, resolver: Resolver) -> list[Finding]:
    """``check --locked``: lock-stale findings for locked licences that leave out what licencecmp
    itself derives offline for the model (a family rule, a re-upload of a registry model, the HF cache)."""
    from licencecmp.scan.lock import LOCK_FILE
    from licencecmp.scan.resolution import own_resolver

    if lock is None:
        return []
    rel = relative_path(lock.path, root) if lock.path is not None else LOCK_FILE
    own = own_resolver(resolver, resolver.cat)
    out = []
    for u in uses:
        entry = lock.get(u.name)
        if u.entry is not None or entry is None:
            continue
        derived = own.resolve(u.name)
        missing = [x for x in derived.licences if x not in entry.licences]
        if missing:
            out.append(Finding(
                rule="lock-stale", level="error", model=u.name, locations=(Location(path=rel, source="lock"),),
                message=f"{rel} locks {u.name} as {' + '.join(entry.licences) or 'no licence'}, but licencecmp "
                        f"derives {' + '.join(derived.licences)} ({derived.resolution}"
                        f"{f' from {derived.inferred_from}' if derived.inferred_from else ''}); both are applied; "
                        "run `licencecmp lock` and review the change"))
    return out
