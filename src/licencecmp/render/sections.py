"""The two sections of a check report that are never judged, in the words every format shares:
placeholders (``your-org/your-model``: counted, never models, never failures) and catalogue files
(a framework's table of supported models: one entry each, judged only with ``catalogues = "judge"``).

Pure functions of the report's data (:class:`~licencecmp.scan.check.CheckReport`'s ``placeholders``
and ``catalogues``). The words are not escaped: file names and ids are attacker-controlled, so each
renderer escapes what it prints for its own format.
"""

from __future__ import annotations

from licencecmp.scan.check import CatalogueEntry, CheckReport, Mention

__all__ = ["CATALOGUES_NOTE", "MAX_LICENCES", "PLACEHOLDERS_NOTE", "catalogue_words", "licences_words",
           "mention_where", "overview_words", "placeholder_words"]

PLACEHOLDERS_NOTE = "not models, never judged"
"""What a placeholder is to the gate, in every format."""
CATALOGUES_NOTE = ('lists of models, each one entry; `catalogues = "judge"` in the policy judges every model '
                   "they name")
"""What a catalogue file is to the gate, in every format."""
MAX_LICENCES = 6
"""The licences of a catalogue's known models named in one line, most first; the rest counted."""


def licences_words(c: CatalogueEntry, limit: int = MAX_LICENCES) -> str:
    """``llama-3.1: 12, gemma: 3 and 2 more licence(s)``: the licences of the known models, most first."""
    ranked = sorted(c.licences.items(), key=lambda kv: (-kv[1], kv[0]))
    words = ", ".join(f"{lic}: {n}" for lic, n in ranked[:limit])
    return words + (f" and {len(ranked) - limit} more licence(s)" if len(ranked) > limit else "")


def catalogue_words(c: CatalogueEntry) -> str:
    """One catalogue file without its path: how many models, how many known and under which
    licences, and whether they were judged."""
    known = f"{c.known} known" + (f" ({licences_words(c)})" if c.licences else "")
    judged = 'every one judged (catalogues = "judge")' if c.judged else "listed, not judged"
    return f"a catalogue of {c.ids} model id(s), {known}; {judged}"


def mention_where(x: Mention) -> str:
    """``path:line`` of a placeholder (or any mention)."""
    return f"{x.path}:{x.line}"


def placeholder_words(x: Mention) -> str:
    """One placeholder: its id and where it is."""
    return f"{x.model} ({mention_where(x)})"


def overview_words(report: CheckReport) -> list[str]:
    """The counts of the sections not judged, one phrase each (none when both are empty):
    ``2 placeholder(s), never judged``, ``1 catalogue file(s) naming 181 model id(s) (2 known),
    listed but not judged``."""
    out: list[str] = []
    if report.placeholders:
        out.append(f"{len(report.placeholders)} placeholder(s), never judged")
    if report.catalogues:
        ids = sum(c.ids for c in report.catalogues)
        known = sum(c.known for c in report.catalogues)
        judged = sum(c.judged for c in report.catalogues)
        state = ("every model judged" if judged == len(report.catalogues) else
                 "listed but not judged" if not judged else f"{judged} judged, the others listed")
        out.append(f"{len(report.catalogues)} catalogue file(s) naming {ids} model id(s) ({known} known), {state}")
    return out
