"""Text and JSON renderings of the catalogue (`list`), the model registry (`models`) and an
identification (`identify`)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from licencecmp.data.catalogue import Catalogue
from licencecmp.data.plain import SCHEMA_VERSION
from licencecmp.data.records import FamilyRule, Licence, ModelEntry
from licencecmp.reasoning.identify import Identification
from licencecmp.render.style import PLAIN, Style

__all__ = [
    "catalogue_json",
    "catalogue_rows",
    "catalogue_text",
    "family_rows",
    "identification_text",
    "identifications_json",
    "identifications_text",
    "model_rows",
    "models_json",
    "models_text",
]


def catalogue_rows(licences: Iterable[Licence]) -> list[dict[str, object]]:
    return [
        {"id": lic.id, "title": lic.title, "version": lic.version,
         "release_date": lic.release_date.isoformat() if lic.release_date else None,
         "kind": lic.kind.value, "spdx": lic.spdx, "superseded_by": lic.superseded_by}
        for lic in licences
    ]


def catalogue_json(licences: Iterable[Licence]) -> str:
    return json.dumps({"schema_version": SCHEMA_VERSION, "licences": catalogue_rows(licences)}, indent=2) + "\n"


def catalogue_text(licences: Iterable[Licence]) -> str:
    from tabulate import tabulate

    table = [[r["id"], r["title"], r["version"] or "", r["release_date"] or "", r["kind"],
              f"superseded by {r['superseded_by']}" if r["superseded_by"] else ""]
             for r in catalogue_rows(licences)]
    return tabulate(table, headers=["id", "title", "version", "released", "kind", "status"], tablefmt="simple") + "\n"


def model_rows(entries: Sequence[ModelEntry], cat: Catalogue) -> list[dict[str, Any]]:
    """Each registry entry as JSON data, with the licences of its upstream models (a licence the
    catalogue names without a text among them: listed by its id, as the entry's own would be)."""
    return [{**m.model_dump(mode="json"), "upstream_licences": list(cat.upstream_licence_ids(m))}
            for m in entries]


def family_rows(rules: Sequence[FamilyRule]) -> list[dict[str, Any]]:
    """Each family rule as JSON data (organisation, name patterns, licence and the maker's statement)."""
    return [r.model_dump(mode="json") for r in rules]


def models_json(entries: Sequence[ModelEntry], cat: Catalogue, rules: Sequence[FamilyRule] = ()) -> str:
    return json.dumps({"schema_version": SCHEMA_VERSION, "models": model_rows(entries, cat),
                       "families": family_rows(rules)}, indent=2) + "\n"


def models_text(entries: Sequence[ModelEntry], cat: Catalogue, rules: Sequence[FamilyRule] = ()) -> str:
    from tabulate import tabulate

    table = [[r["id"], r["licence"], ", ".join(r["upstream_licences"]), r["modality"]]
             for r in model_rows(entries, cat)]
    text = tabulate(table, headers=["model", "licence", "also bound by", "modality"]) + "\n"
    if rules:
        fam = [[r.id, f"{r.org}/" + " | ".join(r.patterns), r.licence, r.modality.value] for r in rules]
        text += "\nFamily rules (an exact entry above wins over a rule):\n"
        text += tabulate(fam, headers=["rule", "names", "licence", "modality"]) + "\n"
    return text


def identification_text(result: Identification, style: Style = PLAIN) -> str:
    lines = []
    part = f" ({result.part})" if result.part and result.part != "licence" else ""
    if result.licence:
        lines.append(f"{style('✓ ' + result.licence, 'bold', 'green')}{part}  match, score {result.score:.2f}")
    elif result.closest:
        lines.append(f"{style('~ modified ' + result.closest, 'bold', 'yellow')}{part}  score {result.score:.2f}: "
                     f"{result.coverage:.0%} of its text found, {result.added_words} words it does not have; "
                     "not that licence as published")
    else:
        lines.append(f"{style('? no confident match', 'bold', 'magenta')}  different from every catalogue licence, "
                     f"best score {result.score:.2f}")
    lines.append("  nearest: " + ", ".join(f"{n.id} ({n.score:.2f})" for n in result.nearest))
    lines += [f"  - {d}" for d in result.differences[:10]]
    if len(result.differences) > 10:
        lines.append(f"  - ... {len(result.differences) - 10} more")
    return "\n".join(lines) + "\n"


def identifications_text(results: Sequence[tuple[str, Identification | str]], style: Style = PLAIN) -> str:
    """``identify`` of several files: each file's path (escaped), then its identification or why it
    could not be read."""
    from licencecmp.render.escape import text as escape_text

    blocks = []
    for path, result in results:
        head = style(escape_text(path), "bold") + "\n"
        blocks.append(head + (identification_text(result, style) if not isinstance(result, str)
                              else f"  ! unreadable: {escape_text(result)}\n"))
    return "\n".join(blocks)


def identifications_json(results: Sequence[tuple[str, Identification | str]]) -> str:
    """``identify --format json`` of several files: a list with, for each file, its path and the
    fields of its identification (as for one file), or its path and ``error``."""
    from licencecmp.render.escape import json_value

    data = [{"path": path, **(result.model_dump(mode="json") if not isinstance(result, str) else {"error": result})}
            for path, result in results]
    return json.dumps(json_value(data), indent=2, ensure_ascii=False) + "\n"
