"""How many of the models `check` reports on whole repositories have a known licence, offline.

    python benchmarks/realrepos/resolved_share.py TREES [--src OTHER/src] [--json out.json]

TREES holds one folder per repository (``owner+name``), each a checkout of the repository at the
commit of ``labels.csv``. ``licencecmp check --format json`` runs on each with nothing online
(``HF_HUB_OFFLINE=1``, an empty Hugging Face cache); the script counts the models reported and those
whose licence is known (any resolution but ``unknown``), and names the unknown ones. ``--src`` runs
another checkout's source instead (to compare with an earlier commit).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path


def run(tree: Path, src: Path | None) -> dict[str, object]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", HF_HOME=tempfile.mkdtemp(prefix="lcmp-empty-hf-"),
               NO_COLOR="1")
    if src is not None:
        env["PYTHONPATH"] = str(src)
    out = subprocess.run([sys.executable, "-m", "licencecmp", "check", str(tree), "--format", "json"],
                         capture_output=True, text=True, env=env, check=False, timeout=1800)
    report = json.loads(out.stdout)
    models = report["models"]
    how = Counter(m["resolution"] for m in models)
    unknown = sorted(m["model"] for m in models if not m["licences"])
    return {"models": len(models), "known": len(models) - len(unknown), "by": dict(how), "unknown": unknown,
            "ids": sorted(m["model"] for m in models)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("trees", type=Path)
    ap.add_argument("--src", type=Path)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    total: Counter[str] = Counter()
    per: dict[str, object] = {}
    for tree in sorted(p for p in args.trees.iterdir() if p.is_dir()):
        r = run(tree, args.src)
        per[tree.name] = r
        total["models"] += r["models"]  # type: ignore[operator]
        total["known"] += r["known"]  # type: ignore[operator]
        print(f"{tree.name:45} {r['known']:4} of {r['models']:4} models with a known licence")
    share = total["known"] / total["models"] if total["models"] else 0.0
    print(f"all: {total['known']} of {total['models']} ({share:.1%})")
    if args.json:
        args.json.write_text(json.dumps({"total": dict(total), "repositories": per}, indent=1) + "\n")


if __name__ == "__main__":
    main()
