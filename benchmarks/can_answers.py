"""Every answer of two checkouts, compared byte for byte: proof that a speed change changed no answer.

    python benchmarks/can_answers.py --src /work/main/src --src src

In a fresh process per checkout (its ``src`` first on ``PYTHONPATH``) it writes one line per question:
the question, then the SHA-256 of the JSON of the answer (``Decision.model_dump_json()``) or of the
error it raised (class and message). The questions:

- ``licencecmp.can(name, action, **facts)`` for every name the catalogue answers (licence ids,
  aliases, registry model ids; a few SPDX expressions over them), every action, and a grid of
  facts (users, revenue, organisation figures, places, purpose, commercial, production, end user,
  release, modality, and facts that are refused);
- ``engine.evaluate(licence, action, scenario)`` for every licence x every action x a larger grid
  of scenarios (every third of the product of users, revenue, place, modality, commercial, release
  and end user: 360), with the catalogue's cached parts, and every tenth also without them.

The two dumps must be identical; otherwise the first questions that differ are answered again by
both checkouts and printed in full, and the run exits 1.
Both checkouts must have the same catalogue (the compiled data of the same licences).
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ACTIONS = ("use", "commercial-use", "modify", "distribute", "distribute-derivative", "serve", "train-on-outputs")

# Facts for can(): each alone, and mixed; a few are refused (the error is the answer).
CAN_FACTS: list[dict[str, Any]] = [
    {}, {"mau": 1_000}, {"mau": 700_000_000}, {"mau": 700_000_001}, {"mau": 800_000_000, "region": "EU"},
    {"annual_revenue": 2e9, "used_in": ["US", "CN"]}, {"annual_revenue": 1e6, "org_annual_revenue": 5e9},
    {"org_mau": 2_000_000_000, "mau": 10}, {"monthly_revenue": 1e5}, {"visits": 10_000_000},
    {"annual_revenue_cny": 1e9}, {"purpose": "research", "production": False}, {"purpose": ["commercial"]},
    {"purpose": "evaluation", "production": True}, {"commercial": False}, {"commercial": True, "mau": 5},
    {"end_user": True}, {"end_user": False, "mau": 900_000_000}, {"release": True}, {"release": False},
    {"release": True, "mau": 800_000_000}, {"modality": "multimodal", "region": "DE"}, {"modality": "text"},
    {"domicile": "CN", "used_in": ["DE"]}, {"domicile": "US", "used_in": ["EEA"]}, {"region": "GB"},
    {"used_in": []}, {"mau": -1}, {"mau": 10, "org_mau": 5}, {"purpose": "commercial", "commercial": False},
    {"region": "XX"}, {"mau": 1.5},
]
EXPRESSIONS = ("mit AND apache-2.0", "mit OR gpl-3.0", "(llama-3.1 AND apache-2.0) OR mit", "MIT and Apache-2.0")


def _questions() -> Any:
    """Every question, as JSON-able lists: ``["can", name, action, facts]`` and
    ``["evaluate", licence, action, k, with_catalogue]`` (``k`` indexes the scenario grid)."""
    from licencecmp.data.catalogue import default_catalogue

    cat = default_catalogue()
    ids = cat.ids()
    aliases = sorted({a for i in ids for a in (cat.licence(i).spdx, *cat.licence(i).aliases) if a and a != i})
    for name in [*ids, *aliases, *(m.id for m in cat.models()), *EXPRESSIONS]:
        for action in ACTIONS:
            for facts in CAN_FACTS:
                yield ["can", name, action, facts]
    for i in ids:
        for action in ACTIONS:
            for k in range(len(_grid())):
                yield from (["evaluate", i, action, k, True], *([["evaluate", i, action, k, False]] if k % 10 == 0
                                                                 else []))


def _grid() -> list[Any]:
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.scenario import make_scenario

    cat = default_catalogue()
    return cat.memo("can_answers grid", lambda: [
        make_scenario(mau=mau, annual_revenue=rev, region=place, modality=mod, commercial=com, release=rel,
                      end_user=eu)
        for mau, rev, place, mod, com, rel, eu in itertools.product(
            [None, 1_000, 800_000_000], [None, 2e9], [None, "US", "DE", "CN", "EU"], [None, "multimodal", "text"],
            [None, False], [None, True, False], [None, True])][::3])


def _answer(q: list[Any]) -> str:
    """The JSON of the answer to one question, or the error it raised."""
    import licencecmp
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.engine import evaluate

    cat = default_catalogue()
    try:
        if q[0] == "can":
            return licencecmp.can(q[1], q[2], **q[3]).model_dump_json()
        return evaluate(cat.licence(q[1]), q[2], _grid()[q[3]], territories=cat.territories,
                        cat=cat if q[4] else None).model_dump_json()
    except Exception as exc:  # the error is the answer
        return f"{type(exc).__name__}: {exc}"


def _dump(out: Path) -> None:
    """One line per question: the question, and the SHA-256 of its answer."""
    with out.open("w", encoding="utf-8") as f:
        for q in _questions():
            f.write(json.dumps(q) + "\t" + hashlib.sha256(_answer(q).encode()).hexdigest() + "\n")


def _show(path: Path) -> None:
    for q in json.loads(path.read_text(encoding="utf-8")):
        print(json.dumps(q))
        print(_answer(q))


def _env(src: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(src.resolve()))
    env.setdefault("LICENCECMP_SHARED", "/work/shared")
    return env


def _spawn(src: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(Path(__file__).resolve()), *args], env=_env(src), check=True,
                          capture_output=True, text=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, action="append", default=[], help="a checkout's src (twice)")
    ap.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--show", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _dump(args.child)
        return
    if args.show:
        _show(args.show)
        return
    if len(args.src) != 2:
        ap.error("give --src twice")
    with tempfile.TemporaryDirectory() as tmp:
        dumps = [Path(tmp) / f"answers-{k}.txt" for k in range(2)]
        # Both at once (each is one process; the machine has cores to spare for both).
        children = [subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", str(out)],
                                     env=_env(src)) for src, out in zip(args.src, dumps, strict=True)]
        if any(c.wait() != 0 for c in children):
            sys.exit("a checkout failed to answer")
        differ: list[Any] = []
        count = 0
        with dumps[0].open(encoding="utf-8") as fa, dumps[1].open(encoding="utf-8") as fb:
            for la, lb in itertools.zip_longest(fa, fb):
                count += 1
                if la != lb:
                    differ.append(json.loads((la or lb).split("\t")[0]))
        for src, d in zip(args.src, dumps, strict=True):
            print(f"{src}: sha256 of all answers {hashlib.sha256(d.read_bytes()).hexdigest()}")
        print(f"{count:,} questions")
        if not differ:
            print("every answer identical, byte for byte")
            return
        print(f"DIFFERENT: {len(differ):,} answers; the first:")
        shown = Path(tmp) / "show.json"
        shown.write_text(json.dumps(differ[:3]), encoding="utf-8")
        for src in args.src:
            print(f"== {src}")
            print(_spawn(src, "--show", str(shown)).stdout[:6000])
        sys.exit(1)


if __name__ == "__main__":
    main()
