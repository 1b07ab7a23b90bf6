"""How many Hugging Face model ids of a coverage list licencecmp answers for offline, and how.

    python benchmarks/models/coverage_measure.py                    # benchmarks/models/coverage.csv
    python benchmarks/models/coverage_measure.py --csv other.csv --json figures.json --show unresolved,wrong

The list (``coverage.csv``: id, card_licence, canonical, id_source, licence_source, read) was
gathered from sources outside the registry (see README.md beside it), each id with the licence its
card or its maker states. Each id is resolved through the Python API (``licencecmp.resolve``)
with nothing online: ``HF_HUB_OFFLINE=1`` and an empty Hugging Face cache, so that only the
registry (exact entries and family rules) and re-upload inference can answer. It prints how many
resolve, by which step (registry entry, family rule, inferred re-upload), and how many resolve to a
licence other than the one the list gives (wrong). Ids the registry puts under a licence the
catalogue names but has not encoded (licences/_unavailable.toml: the model's own licence or an
upstream model's) are counted apart, in their own row, and never as resolved: every command
reports them by that licence's name and fails them. Ids whose listed licence the catalogue does
not encode and that nothing names are counted apart too (they cannot resolve until the licence is
encoded).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _id_source(text: str) -> str:
    """The kind of source an id came from (the first words of its id_source)."""
    for key, label in (("MTEB", "MTEB model registry"), ("unsloth", "unsloth mapper"),
                       ("classic", "classic ids"), ("README", "makers' READMEs")):
        if key in text:
            return label
    return "other"


def measure(rows: list[dict[str, str]]) -> dict[str, Any]:
    import licencecmp
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.errors import LicencecmpError, LicenceNotInCatalogueError

    cat = default_catalogue()
    by: Counter[str] = Counter()
    per_list: dict[str, Counter[str]] = {}
    wrong: list[dict[str, str]] = []
    unresolved: list[dict[str, str]] = []
    not_encoded: list[dict[str, str]] = []
    named: list[dict[str, str]] = []
    for row in rows:
        mid, want = row["id"], row["canonical"]
        try:
            r = licencecmp.resolve(mid)
            got, source = r.licence, r.source
        except LicencecmpError as exc:
            got, source = None, f"error: {type(exc).__name__}"
        kind = per_list.setdefault(_id_source(row["id_source"]), Counter())
        kind["ids"] += 1
        kind["resolved"] += got is not None
        kind["wrong"] += got is not None and got != want
        if got is None:
            try:
                cat.resolve(mid)
            except LicenceNotInCatalogueError as exc:
                # The registry names the licence (the model's own or an upstream model's) but the
                # catalogue has no text for it: reported by name, never passed; not resolved.
                entry = cat.find_model(mid)
                own = entry.licence if entry is not None else exc.name
                kind["named_not_encoded"] += 1
                by["named, not encoded"] += 1
                named.append({**row, "got": exc.name, "source": f"named: {exc.name} (of {exc.model})",
                              "wrong": str(want not in {exc.name, own})})
                continue
            except LicencecmpError:
                pass
            (not_encoded if want not in cat.ids() else unresolved).append({**row, "source": source})
            by["unresolved"] += 1
            continue
        by[source] += 1
        if got != want:
            wrong.append({**row, "got": got, "source": source})
    total = len(rows)
    resolved = total - by["unresolved"] - by["named, not encoded"]
    orgs = {r["id"].split("/", 1)[0] for r in rows if "/" in r["id"]}
    return {
        "ids": total,
        "organisations": len(orgs),
        "resolved": resolved,
        "resolved_share": round(resolved / total, 4) if total else 0.0,
        "by_source": dict(sorted(by.items())),
        "wrong": len(wrong),
        "unresolved_licence_encoded": len(unresolved),
        "unresolved_licence_not_encoded": len(not_encoded),
        "named_not_encoded": len(named),
        "named_not_encoded_wrong": sum(r["wrong"] == "True" for r in named),
        "by_id_source": {k: dict(v) for k, v in sorted(per_list.items())},
        "wrong_ids": wrong,
        "unresolved_ids": unresolved,
        "not_encoded_ids": not_encoded,
        "named_not_encoded_ids": named,
        "registry_organisations": len({m.id.split("/", 1)[0] for m in cat.models()}),
        "registry_entries": len(cat.models()),
        "family_rules": len(cat.families()) if hasattr(cat, "families") else 0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--csv", type=Path, default=HERE / "coverage.csv")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--show", default="wrong",
                        help="lists to print: wrong, unresolved, not-encoded, named (comma-separated)")
    args = parser.parse_args(argv)
    with args.csv.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with tempfile.TemporaryDirectory() as empty:
        os.environ.update({"HF_HUB_OFFLINE": "1", "HF_HOME": empty, "HF_HUB_CACHE": empty})
        os.environ.pop("LICENCECMP_ONLINE", None)
        figures = measure(rows)
    print(f"{figures['ids']} ids from {figures['organisations']} organisations")
    print(f"resolved offline: {figures['resolved']} ({figures['resolved_share']:.1%})")
    for source, n in figures["by_source"].items():
        if source not in ("unresolved", "named, not encoded"):
            print(f"  {source:12} {n}")
    print(f"resolved to a licence the catalogue names but has not encoded: {figures['named_not_encoded']} "
          f"(not counted as resolved; reported by that licence's name, never passed; "
          f"{figures['named_not_encoded_wrong']} against the list)")
    print(f"unresolved: {figures['by_source'].get('unresolved', 0)}")
    print(f"wrong (a licence other than the list's): {figures['wrong']}")
    print(f"unresolved, licence in the catalogue: {figures['unresolved_licence_encoded']}; "
          f"licence not encoded: {figures['unresolved_licence_not_encoded']}")
    for kind, c in figures["by_id_source"].items():
        named_here = f", {c['named_not_encoded']} named, not encoded" if c.get("named_not_encoded") else ""
        print(f"  ids from {kind}: {c['resolved']}/{c['ids']} resolved{named_here}, {c.get('wrong', 0)} wrong")
    print(f"registry: {figures['registry_entries']} entries from {figures['registry_organisations']} organisations, "
          f"{figures['family_rules']} family rules")
    shown = {s.strip() for s in args.show.split(",") if s.strip()}
    for name, key in (("wrong", "wrong_ids"), ("unresolved", "unresolved_ids"), ("not-encoded", "not_encoded_ids"),
                      ("named", "named_not_encoded_ids")):
        if name in shown and figures[key]:
            print(f"\n{name}:")
            for row in figures[key]:
                print(f"  {row['id']}: list {row['canonical']}, got {row.get('got', '-')} ({row['source']})")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
