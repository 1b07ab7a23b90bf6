"""How many Hugging Face model ids of the coverage lists licencecmp answers for offline, and how.

    python benchmarks/models/coverage_measure.py                    # every benchmarks/models/coverage*.csv
    python benchmarks/models/coverage_measure.py --list other.csv --json figures.json --show unresolved,wrong

Each list (``coverage.csv``, ``coverage-vllm.csv``, ...: id, card_licence, canonical, id_source,
licence_source, read) was gathered from sources outside the registry (see README.md beside it), each
id with the licence its card or its maker states. By default every ``coverage*.csv`` beside this
script is read (in the order the lists were built, :data:`BUILT`); ``--list FILE``, repeatable, reads
those instead. An id already in an earlier list (compared case-insensitively) is measured once, in
the first list that has it. Figures are printed for each list and, when there are several, for all of them together.

Each id is resolved through the Python API (``licencecmp.resolve``) with nothing online:
``HF_HUB_OFFLINE=1`` and an empty Hugging Face cache, so that only the registry (exact entries and family
rules) and re-upload inference can answer. It prints how many resolve, by which step (registry entry,
family rule, inferred re-upload), and how many resolve to a licence other than the one the list gives
(wrong). Ids the registry puts under a licence the catalogue names but has not encoded
(licences/_unavailable.toml: the model's own licence or an upstream model's, or, for a re-upload that
inference takes to be a build of a registry model, that model's) are counted apart, in their own row, and
never as resolved: every command reports them by that licence's name and fails them. Ids whose listed
licence the catalogue does not encode and that nothing names are counted apart too (they cannot resolve
until the licence is encoded). Ids whose card licence the list could not establish (canonical ``?``, the
reason in licence_source) are counted apart as "licence not established": never resolved, never wrong,
but in the total (so the share is over every id of the list). A row whose licence is only a third party's
transcription (MTEB's ``ModelMeta.license``) of a card nobody could read is marked so in licence_source
(:data:`TRANSCRIPTION_ONLY`) and counted apart the same way: the transcription was wrong for about one
card in twenty-five of those read, so it is no established card licence. Both shares are printed: over
the established ids, and counting the transcriptions as established.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BUILT = ("coverage.csv", "coverage-vllm-mm.csv", "coverage-vllm.csv", "coverage-sglang.csv",
         "coverage-diffusers-st.csv", "coverage-reuploads.csv", "coverage-realcode.csv",
         "coverage-realcode2.csv")
"""The lists in the order they were built: an id in two lists counts in the earlier one, so a new list
never takes ids from the lists measured before it. Lists not named here come after, by name."""


def default_lists() -> list[Path]:
    """Every coverage*.csv beside this script, in the order they were built."""
    rank = {name: i for i, name in enumerate(BUILT)}
    return sorted(HERE.glob("coverage*.csv"), key=lambda p: (rank.get(p.name, len(BUILT)), p.name))


NOT_ESTABLISHED = "?"
TRANSCRIPTION_ONLY = "card not read:"
"""In licence_source: the row's licence is a third party's transcription; the card itself was not read."""


def transcription_only(row: dict[str, str]) -> bool:
    return row["canonical"].strip() != NOT_ESTABLISHED and TRANSCRIPTION_ONLY in row.get("licence_source", "")


def _id_source(text: str) -> str:
    """The kind of source an id came from: a known key, else its id_source up to the first parenthesis."""
    for key, label in (("MTEB", "MTEB model registry"), ("unsloth", "unsloth mapper"),
                       ("classic", "classic ids"), ("README", "makers' READMEs")):
        if key in text:
            return label
    return text.split("(", 1)[0].strip() or "other"


@contextlib.contextmanager
def offline() -> Iterator[None]:
    """Nothing online and an empty Hugging Face cache, so that only the registry (exact entries and family
    rules) and re-upload inference can answer."""
    with tempfile.TemporaryDirectory() as empty:
        os.environ.update({"HF_HUB_OFFLINE": "1", "HF_HOME": empty, "HF_HUB_CACHE": empty})
        os.environ.pop("LICENCECMP_ONLINE", None)
        yield


def read_lists(paths: list[Path]) -> tuple[dict[str, list[dict[str, str]]], dict[str, int]]:
    """The rows of each list, by file name, each id once over all lists (case-insensitively, first list wins),
    and how many rows each list lost to an earlier one."""
    seen: set[str] = set()
    lists: dict[str, list[dict[str, str]]] = {}
    dropped: dict[str, int] = {}
    for path in paths:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        kept = []
        for row in rows:
            key = row["id"].strip().lower()
            if key in seen:
                continue
            seen.add(key)
            kept.append(row)
        lists[path.name] = kept
        dropped[path.name] = len(rows) - len(kept)
    return lists, dropped


def named_not_encoded(cat: Any, mid: str, answered: Any) -> tuple[Any, str] | None:
    """Why an unanswered id has no licence when the reason is a licence the catalogue names but has not
    encoded: the error and the registry model it is about (the id itself, or the registry model that
    re-upload inference took it to be a build of, whose licence binds the build). None otherwise."""
    from licencecmp.errors import LicencecmpError, LicenceNotInCatalogueError

    held = [mid]
    inferred = getattr(answered, "inferred_from", None)
    if inferred and inferred != mid:
        held.append(inferred)
    for model in held:
        try:
            cat.resolve(model)
        except LicenceNotInCatalogueError as exc:
            return exc, model
        except LicencecmpError:
            continue
    return None


def measure(rows: list[dict[str, str]]) -> dict[str, Any]:
    import licencecmp
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.errors import LicencecmpError

    cat = default_catalogue()
    by: Counter[str] = Counter()
    per_list: dict[str, Counter[str]] = {}
    wrong: list[dict[str, str]] = []
    unresolved: list[dict[str, str]] = []
    not_encoded: list[dict[str, str]] = []
    named: list[dict[str, str]] = []
    not_established: list[dict[str, str]] = []
    transcribed: list[dict[str, str]] = []
    for row in rows:
        mid, want = row["id"], row["canonical"]
        apart = ("transcription_only", "transcription only", transcribed) if transcription_only(row) else (
            ("not_established", "licence not established", not_established) if want.strip() == NOT_ESTABLISHED
            else None)
        if apart is not None:
            # No card licence to check an answer against (it could not be read, or only a third party's
            # transcription of it is known): counted apart, in the total, never as resolved nor as wrong;
            # what licencecmp says is kept for reading.
            key, label, kept = apart
            try:
                said = licencecmp.resolve(mid).licence
            except LicencecmpError as exc:
                said = f"error: {type(exc).__name__}"
            kind = per_list.setdefault(_id_source(row["id_source"]), Counter())
            kind["ids"] += 1
            kind[key] += 1
            by[label] += 1
            kept.append({**row, "got": str(said), "source": row.get("licence_source", "")})
            continue
        answered: Any = None
        try:
            answered = licencecmp.resolve(mid)
            got, source = answered.licence, answered.source
        except LicencecmpError as exc:
            got, source = None, f"error: {type(exc).__name__}"
        kind = per_list.setdefault(_id_source(row["id_source"]), Counter())
        kind["ids"] += 1
        kind["resolved"] += got is not None
        kind["wrong"] += got is not None and got != want
        if got is None:
            why_named = named_not_encoded(cat, mid, answered)
            if why_named is not None:
                # The registry names the licence (the model's own, an upstream model's, or that of the
                # model an inferred re-upload is a build of) but the catalogue has no text for it:
                # reported by name, never passed; not resolved.
                named_error, held = why_named
                entry = cat.find_model(held)
                own = entry.licence if entry is not None else named_error.name
                kind["named_not_encoded"] += 1
                by["named, not encoded"] += 1
                via = f", inferred from {held}" if held != mid else ""
                named.append({**row, "got": named_error.name,
                              "source": f"named: {named_error.name} (of {named_error.model}{via})",
                              "wrong": str(want not in {named_error.name, own})})
                continue
            (not_encoded if want not in cat.ids() else unresolved).append({**row, "source": source})
            by["unresolved"] += 1
            continue
        by[source] += 1
        if got != want:
            wrong.append({**row, "got": got, "source": source})
    total = len(rows)
    resolved = total - by["unresolved"] - by["named, not encoded"] - by["licence not established"] - len(transcribed)
    established = total - len(not_established) - len(transcribed)
    transcribed_answered = [r for r in transcribed if not r["got"].startswith("error:") and r["got"] != "None"]
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
        "licence_not_established": len(not_established),
        # the share the target is about: of the ids whose card licence the list could read
        "resolved_share_of_established": round(resolved / established, 4) if established else 0.0,
        "transcription_only": len(transcribed),
        "transcription_only_answered": len(transcribed_answered),
        "transcription_only_disagreeing": sum(r["got"] != r["canonical"] for r in transcribed_answered),
        # the share if the transcriptions were taken as the cards' licences (answers that agree count as resolved)
        "resolved_share_counting_transcriptions": (
            round((resolved + sum(r["got"] == r["canonical"] for r in transcribed_answered))
                  / (established + len(transcribed)), 4) if established + len(transcribed) else 0.0),
        # what licencecmp answers where the list has nothing to check the answer against
        "answered_not_established": sum(not r["got"].startswith("error:") and r["got"] != "None"
                                        for r in not_established),
        "by_id_source": {k: dict(v) for k, v in sorted(per_list.items())},
        "wrong_ids": wrong,
        "unresolved_ids": unresolved,
        "not_encoded_ids": not_encoded,
        "named_not_encoded_ids": named,
        "licence_not_established_ids": not_established,
        "transcription_only_ids": transcribed,
        "registry_organisations": len({m.id.split("/", 1)[0] for m in cat.models()}),
        "registry_entries": len(cat.models()),
        "family_rules": len(cat.families()) if hasattr(cat, "families") else 0,
    }


SKIPPED = ("unresolved", "named, not encoded", "licence not established", "transcription only")


def report(figures: dict[str, Any]) -> None:
    """The figures of one list (or of all lists together), as lines of text."""
    print(f"{figures['ids']} ids from {figures['organisations']} organisations")
    print(f"resolved offline: {figures['resolved']} ({figures['resolved_share']:.1%})")
    for source, n in figures["by_source"].items():
        if source not in SKIPPED:
            print(f"  {source:12} {n}")
    print(f"resolved to a licence the catalogue names but has not encoded: {figures['named_not_encoded']} "
          f"(not counted as resolved; reported by that licence's name, never passed; "
          f"{figures['named_not_encoded_wrong']} against the list)")
    print(f"licence not established (the list could not read the card's licence; in the total, "
          f"not counted as resolved nor wrong): {figures['licence_not_established']}")
    if figures["transcription_only"]:
        print(f"licence only from a third party's transcription (card not read; in the total, not counted as "
              f"resolved nor wrong): {figures['transcription_only']}; licencecmp answers for "
              f"{figures['transcription_only_answered']} of them ({figures['transcription_only_disagreeing']} "
              f"unlike the transcription)")
    established = figures["ids"] - figures["licence_not_established"] - figures["transcription_only"]
    if established != figures["ids"]:
        print(f"  of the {established} ids whose card licence is established: "
              f"{figures['resolved']} resolved ({figures['resolved_share_of_established']:.1%}); licencecmp "
              f"answers for {figures['answered_not_established']} of the `?` ids (unchecked)")
    if figures["transcription_only"]:
        print(f"  counting the transcriptions as the cards' licences: "
              f"{figures['resolved_share_counting_transcriptions']:.1%} resolved")
    print(f"unresolved: {figures['by_source'].get('unresolved', 0)}")
    print(f"wrong (a licence other than the list's): {figures['wrong']}")
    print(f"unresolved, licence in the catalogue: {figures['unresolved_licence_encoded']}; "
          f"licence not encoded: {figures['unresolved_licence_not_encoded']}")
    for kind, c in figures["by_id_source"].items():
        named_here = f", {c['named_not_encoded']} named, not encoded" if c.get("named_not_encoded") else ""
        open_here = f", {c['not_established']} licence not established" if c.get("not_established") else ""
        open_here += f", {c['transcription_only']} transcription only" if c.get("transcription_only") else ""
        print(f"  ids from {kind}: {c.get('resolved', 0)}/{c['ids']} resolved{named_here}{open_here}, "
              f"{c.get('wrong', 0)} wrong")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", "--csv", dest="lists", type=Path, action="append", default=None,
                        help="a coverage list to read (repeatable; default: every coverage*.csv beside this script)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    parser.add_argument("--show", default="wrong",
                        help="lists to print: wrong, unresolved, not-encoded, named, not-established, "
                             "transcription-only (comma-separated)")
    args = parser.parse_args(argv)
    paths = args.lists or default_lists()
    lists, dropped = read_lists(paths)
    with offline():
        per_list = {name: measure(rows) for name, rows in lists.items()}
        figures = measure([row for rows in lists.values() for row in rows]) if len(lists) > 1 else \
            next(iter(per_list.values()))
    if len(lists) > 1:
        for name, part in per_list.items():
            again = f" ({dropped[name]} ids already in an earlier list left out)" if dropped[name] else ""
            print(f"== {name}{again}")
            report(part)
            print()
        print(f"== all lists together ({', '.join(lists)})")
    report(figures)
    print(f"registry: {figures['registry_entries']} entries from {figures['registry_organisations']} organisations, "
          f"{figures['family_rules']} family rules")
    shown = {s.strip() for s in args.show.split(",") if s.strip()}
    for name, key in (("wrong", "wrong_ids"), ("unresolved", "unresolved_ids"), ("not-encoded", "not_encoded_ids"),
                      ("named", "named_not_encoded_ids"), ("not-established", "licence_not_established_ids"),
                      ("transcription-only", "transcription_only_ids")):
        if name in shown and figures[key]:
            print(f"\n{name}:")
            for row in figures[key]:
                print(f"  {row['id']}: list {row['canonical']}, got {row.get('got', '-')} ({row['source']})")
    if args.json:
        out = {**figures, "lists": {name: {**part, "left_out_as_earlier": dropped[name]}
                                     for name, part in per_list.items()}}
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
