"""SARIF 2.1.0 for a check report: one result per finding, located where the model was found.

Waived findings are results with an external suppression (and the waiver's reason); with a
baseline, every result has a ``baselineState`` (``unchanged`` for a known finding, ``new`` for
the others). Files that could not be understood are tool execution notifications. Paths are
relative to ``%SRCROOT%``. Each rule carries its help (what it means, how to clear it); its
``helpUri`` is the rule's section of the project's docs page (``docs/rules.md``) when the caller
says where the docs are (the GitHub Action does: the action's own repository at the commit it
runs), and is left out otherwise, never a guessed address.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from licencecmp.errors import ExitCode
from licencecmp.render import escape as esc
from licencecmp.scan.check import RULES, CheckReport, Finding, Location
from licencecmp.scan.report_plain import dump

__all__ = ["RULES_PAGE", "SARIF_SCHEMA", "docs_url", "report_sarif", "sarif_log"]

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
RULES_PAGE = "docs/rules.md"
"""The docs page with one section per rule, relative to the project's repository."""


def docs_url(server: str, repository: str, ref: str) -> str:
    """The rules page of the project at ``ref`` on a git host (``https://github.com``, ``owner/name``)."""
    return f"{server.rstrip('/')}/{repository}/blob/{ref}/{RULES_PAGE}"


def _uri(path: str) -> str:
    return esc.uri_path(path)


def _location(loc: Location) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.path), "uriBaseId": "%SRCROOT%"}}
    if loc.line:
        region: dict[str, Any] = {"startLine": loc.line}
        if loc.column:
            region["startColumn"] = loc.column
        physical["region"] = region
    return {"physicalLocation": physical, "message": {"text": f"found in {loc.source}"}}


def _result(f: Finding, index: dict[str, int], baseline: bool = False) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": index[f.rule],
        "level": f.level,
        "kind": "fail" if f.level != "note" else "informational",
        "message": {"text": f.message},
        "locations": [_location(loc) for loc in f.locations[:1]],
        "properties": {"model": f.model, "action": f.action.value if f.action else None, "licence": f.licence},
        "partialFingerprints": {
            "licencecmp/v1": "/".join(str(x) for x in (f.rule, f.model, f.action.value if f.action else "",
                                                       f.licence or "")),
        },
    }
    if len(f.locations) > 1:
        result["relatedLocations"] = [{"id": i, **_location(loc)} for i, loc in enumerate(f.locations[1:], 1)]
    if f.waived_by:
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": f.waived_by}]
    if baseline:
        result["baselineState"] = "unchanged" if f.baseline else "new"
    return result


MAX_PLACEHOLDERS = 100
"""Placeholders named in the run's properties (all are counted)."""


def _catalogue_results(report: CheckReport, index: dict[str, int]) -> list[dict[str, Any]]:
    """A note on each catalogue file (``catalogue-file``, kind informational): one alert per file,
    never one per model it lists, never an error or a warning."""
    from licencecmp.render.sections import catalogue_words

    out: list[dict[str, Any]] = []
    for c in report.catalogues:
        result: dict[str, Any] = {
            "ruleId": "catalogue-file",
            "ruleIndex": index["catalogue-file"],
            "level": "note",
            "kind": "informational",
            "message": {"text": f"{c.path}: {catalogue_words(c)}"},
            "locations": [_location(Location(path=c.path, source="catalogue"))],
            "properties": {"ids": c.ids, "known": c.known, "licences": dict(c.licences), "judged": c.judged},
            "partialFingerprints": {"licencecmp/v1": f"catalogue-file/{c.path}"},
        }
        if report.baseline is not None:
            result["baselineState"] = "new"  # never in a baseline: a baseline lists findings
        out.append(result)
    return out


def _placeholders(report: CheckReport) -> dict[str, Any]:
    """The placeholders as a run property: counted, the first :data:`MAX_PLACEHOLDERS` named; never
    results (they are not models: code scanning shows no alert for them)."""
    if not report.placeholders:
        return {}
    return {"placeholders": {
        "count": len(report.placeholders),
        "note": "not models, never judged",
        "first": [{"model": x.model, "uri": _uri(x.path), "line": x.line}
                  for x in report.placeholders[:MAX_PLACEHOLDERS]],
    }}


def _rule(rid: str, desc: str, level: str, docs: str | None) -> dict[str, Any]:
    from licencecmp.render.summary import REMEDIES

    help_text = desc + (f" To clear it: {REMEDIES[rid]}." if rid in REMEDIES else "")
    rule: dict[str, Any] = {
        "id": rid,
        "name": "".join(part.capitalize() for part in rid.split("-")),
        "shortDescription": {"text": desc},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": level},
    }
    if docs:
        rule["helpUri"] = f"{docs}#{rid}"
    return rule


def sarif_log(report: CheckReport, docs: str | None = None) -> dict[str, Any]:
    """The SARIF log; ``docs``: the URL of the project's rules page (see :func:`docs_url`), if known."""
    rule_ids = list(RULES)
    index = {rid: i for i, rid in enumerate(rule_ids)}
    rules = [_rule(rid, desc, level, docs) for rid, (desc, level) in RULES.items()]
    root_uri = Path(report.root).resolve().as_uri().rstrip("/") + "/"
    notifications = [
        {
            "level": "error",
            "message": {"text": e.message},
            "locations": [_location(Location(path=e.path, line=e.line, source="scan"))],
        }
        for e in report.errors
    ]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "licencecmp", "version": report.tool_version,
                                    **({"informationUri": docs} if docs else {}), "rules": rules}},
                "originalUriBaseIds": {"%SRCROOT%": {"uri": root_uri}},
                "invocations": [{
                    "executionSuccessful": report.exit_code is not ExitCode.USAGE,
                    "exitCode": report.exit_code,
                    "toolExecutionNotifications": notifications,
                }],
                "results": [_result(f, index, report.baseline is not None) for f in report.findings]
                + _catalogue_results(report, index),
                "properties": {"summary": dump(report.summary), **_placeholders(report)},
            }
        ],
    }


def report_sarif(report: CheckReport, docs: str | None = None) -> str:
    return json.dumps(esc.json_value(sarif_log(report, docs)), indent=2, ensure_ascii=False) + "\n"
