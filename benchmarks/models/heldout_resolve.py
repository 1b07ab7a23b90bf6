"""What licencecmp answers, offline, for the ids of a coverage list before its licences are read.

    python benchmarks/models/heldout_resolve.py --list benchmarks/models/coverage-sglang.csv --json before.json

The held-out figure of a new list is taken before any registry entry is written from it, when most of
its rows still have canonical ``?`` (so ``coverage_measure.py``, which counts a ``?`` row as "licence not
established" and never as resolved, cannot give it). This script resolves every id of the list that no
earlier list has (``--earlier``, repeatable; default the lists built before it, in the order of
``coverage_measure.BUILT``, compared case-insensitively, as ``coverage_measure.py`` does) through
``licencecmp.resolve`` with nothing online (``HF_HUB_OFFLINE=1``, an empty Hugging Face cache),
whatever the row's canonical says, and prints how
many resolve and by which step (registry entry, family rule, inferred re-upload), how many the registry
puts under a licence the catalogue names but has not encoded, and how many stay unresolved. With
``--json`` it also writes each id's answer, so that every answer can be checked against the card once
the card is read (a different licence is a wrong answer).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent


def answer(mid: str) -> dict[str, str | None]:
    """licencecmp's offline answer for one id: the licence and the step, or why there is none."""
    import licencecmp
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.errors import LicencecmpError

    try:
        r = licencecmp.resolve(mid)
    except LicencecmpError as exc:
        return {"id": mid, "licence": None, "step": f"error: {type(exc).__name__}", "rule": None}
    if r.licence is not None:
        return {"id": mid, "licence": r.licence, "step": r.source, "rule": r.rule}
    from coverage_measure import named_not_encoded  # the same test as the measure's: the id or its inferred base

    why = named_not_encoded(default_catalogue(), mid, r)
    if why is not None:
        return {"id": mid, "licence": why[0].name, "step": "named, not encoded", "rule": None}
    return {"id": mid, "licence": None, "step": "unresolved", "rule": None}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", dest="path", type=Path, required=True, help="the new coverage list")
    parser.add_argument("--earlier", type=Path, action="append", default=None,
                        help="a list whose ids are not counted again (repeatable; default: the lists built "
                             "before this one, coverage_measure.BUILT)")
    parser.add_argument("--json", type=Path, default=None, help="also write each id's answer here")
    args = parser.parse_args(argv)
    # by default the lists built before this one (coverage_measure.BUILT, beside this script); an id is
    # counted in the first list that has it, as coverage_measure counts it
    from coverage_measure import default_lists, offline, read_lists
    built = default_lists()
    earlier = args.earlier or (built[:[p.name for p in built].index(args.path.name)]
                               if args.path.name in {p.name for p in built} else built)
    lists, _ = read_lists([*earlier, args.path])
    ids = [row["id"].strip() for row in lists[args.path.name]]
    with offline():
        answers = [answer(mid) for mid in ids]
    steps = Counter(str(a["step"]) for a in answers)
    resolved = sum(a["licence"] is not None and a["step"] != "named, not encoded" for a in answers)
    print(f"{len(ids)} ids not in an earlier list")
    print(f"resolved offline: {resolved} ({resolved / len(ids):.1%})" if ids else "resolved offline: 0")
    for step, n in sorted(steps.items()):
        print(f"  {step:20} {n}")
    for a in answers:
        if a["licence"] is not None:
            rule = f" (rule {a['rule']})" if a["rule"] else ""
            print(f"  {a['id']}: {a['licence']} [{a['step']}{rule}]")
    if args.json:
        args.json.write_text(json.dumps({"ids": len(ids), "resolved": resolved, "by_step": dict(steps),
                                         "answers": answers}, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
