"""The formats of a check report, listed once: :data:`REPORT_FORMATS`.

This module is light (it imports nothing of the renderers), so that the CLI's choices, the GitHub
Action's script and the docs can read the list without loading a renderer; :mod:`licencecmp.render.report`
maps each name to its renderer (and fails to import if one is missing), and the fuzz tests draw from it.
"""

from __future__ import annotations

from typing import NamedTuple

from licencecmp.errors import FormatError

__all__ = ["CHECKLIST_FORMATS", "REPORT_FORMATS", "ReportFormat", "report_format"]


class ReportFormat(NamedTuple):
    """One format of a check report."""

    name: str  # --format NAME
    suffix: str  # of a report file in this format (the GitHub Action's `report` output)
    description: str
    checklist: bool = False  # --obligations-only prints the release checklist in it


REPORT_FORMATS: tuple[ReportFormat, ...] = (
    ReportFormat("text", "txt", "for a terminal", checklist=True),
    ReportFormat("json", "json", "every field (schema_version, findings, models)", checklist=True),
    ReportFormat("sarif", "sarif", "SARIF 2.1.0, for code scanning"),
    ReportFormat("junit", "xml", "JUnit XML, one test case per model and action"),
    ReportFormat("github", "txt", "GitHub workflow commands (annotations on the files)"),
    ReportFormat("markdown", "md", "a job summary or pull-request comment", checklist=True),
    ReportFormat("brief", "txt", "one line per finding"),
)
"""Every format of a check report, in the order ``--help`` lists them."""

CHECKLIST_FORMATS: tuple[str, ...] = tuple(f.name for f in REPORT_FORMATS if f.checklist)
"""The formats ``--obligations-only`` prints."""

_BY_NAME = {f.name: f for f in REPORT_FORMATS}


def report_format(name: str) -> ReportFormat:
    """The format named ``name``; an unknown one is a :class:`FormatError`."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise FormatError(f"unknown report format {name!r}; use one of "
                          f"{', '.join(_BY_NAME)}") from None
