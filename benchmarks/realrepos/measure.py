"""Precision and recall of ``licencecmp check --format json`` on a labelled corpus of real repositories.

    python benchmarks/realrepos/measure.py CORPUS [--labels benchmarks/realrepos/labels.csv] [--json OUT]

CORPUS holds one folder per repository, named as in the labels (``owner+name``), each with the sampled
files at their paths in that repository (see README.md here for how the corpus is checked out; this
script fetches nothing). Each folder is checked as one repository, with the default policy.

Units:
- a *use* label is one (repository, path, line, canonical id); it is found when a model of the report
  (its id, case-insensitive) lists that path and line among its locations; both ids are read through the
  registry's aliases (a repository moved under another name, such as ``runwayml/`` to ``stable-diffusion-v1-5/``,
  is one model), so a label stays true when the registry learns a model's new name;
- a *reported place* is one (repository, model, path, line) of the report's models; it is right when a
  use label matches it, neutral when a ``data`` label (a real Hub id handled as data by the code under
  test) matches it, and wrong otherwise (a mention, a dataset, a route string, a placeholder, a
  catalogue entry, or nothing labelled at all);
- a *catalogue* label marks a file; it is found when the report's ``catalogues`` list names the file.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def run_check(folder: Path) -> dict[str, Any]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", LICENCECMP_ONLINE="0")
    proc = subprocess.run([sys.executable, "-m", "licencecmp", "check", str(folder), "--format", "json",
                           "--include-comments", "--no-progress"], capture_output=True, text=True, env=env,
                          timeout=600, check=False)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"check failed on {folder} (exit {proc.returncode}): {proc.stderr[-2000:]}")
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def canonical(model_id: str) -> str:
    """The registry's id of ``model_id`` (an alias read as the entry it names), case-folded; any other id as
    it is."""
    from licencecmp.data.catalogue import default_catalogue

    entry = default_catalogue().find_model(model_id)
    return (entry.id if entry is not None else model_id).casefold()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--labels", type=Path, default=HERE / "labels.csv")
    ap.add_argument("--json", type=Path, help="write the figures and every miss and false hit here")
    ap.add_argument("--verbose", "-v", action="store_true", help="list misses and false hits")
    args = ap.parse_args(argv)

    labels: dict[tuple[str, str, int, str], str] = {}
    by_place: dict[tuple[str, str, int], set[str]] = defaultdict(set)
    catalogues: set[tuple[str, str]] = set()
    repos: dict[str, str] = {}
    with open(args.labels, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            repos[row["repo"]] = row["commit"]
            key = (row["repo"], row["path"], int(row["line"]), canonical(row["canonical"]))
            if row["label"] == "catalogue":
                catalogues.add((row["repo"], row["path"]))
                continue
            # a place labelled twice (the id and its URL): a use wins over anything else
            if labels.get(key) != "use":
                labels[key] = row["label"]
            by_place[key[:3]].add(row["label"])

    uses = {k for k, v in labels.items() if v == "use"}
    found_uses: set[tuple[str, str, int, str]] = set()
    right = neutral = 0
    wrong: list[tuple[str, str, int, str, str]] = []
    cat_found: set[tuple[str, str]] = set()
    seconds = 0.0
    for repo in sorted(repos):
        folder = args.corpus / repo
        if not folder.is_dir():
            raise SystemExit(f"{folder}: missing (check out {repo} at {repos[repo]} first)")
        report = run_check(folder)
        seconds += report["summary"]["seconds"]
        for cat in report.get("catalogues", ()):
            cat_found.add((repo, cat["path"]))
        places: set[tuple[str, str, int, str]] = set()
        for model in report["models"]:
            for loc in model["locations"]:
                if loc["source"] not in ("code", "config"):
                    continue
                places.add((repo, loc["path"], loc["line"], canonical(model["model"])))
        for place in places:
            label = labels.get(place)
            if label == "use":
                right += 1
                found_uses.add(place)
            elif label == "data":
                neutral += 1
            else:
                wrong.append((*place, label or "unlabelled"))
    missed = sorted(uses - found_uses)
    reported = right + len(wrong)
    figures = {
        "repositories": {r: c for r, c in sorted(repos.items())},
        "files": len({(r, p) for r, p, _, _ in labels} | catalogues),
        "uses": len(uses), "found": len(found_uses),
        "recall": round(len(found_uses) / len(uses), 4) if uses else None,
        "reported_places": reported, "right": right, "neutral": neutral, "wrong": len(wrong),
        "precision": round(right / reported, 4) if reported else None,
        "catalogue_files": len(catalogues), "catalogues_found": len(catalogues & cat_found),
        "scan_seconds": round(seconds, 3),
    }
    print(json.dumps(figures, indent=2))
    if args.verbose:
        for m in missed:
            print("MISSED", *m)
        for w in sorted(wrong):
            print("WRONG ", *w)
    if args.json:
        args.json.write_text(json.dumps({**figures, "missed": missed, "wrong": sorted(wrong)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
