"""Scan-speed benchmark for ``licencecmp check``: a generated tree, timed beside ``grep -rE``.

    python benchmarks/scan_tree.py --files 10000        # prints a table (and --json for a dict)

``generate_tree(root, n_files, seed)`` writes a deterministic, realistic mix: Python modules,
YAML/JSON/TOML configuration, Markdown docs, a model card, an SPDX SBOM, binary blobs, a
``.gitignore``d build folder, and a few hundred references to registry repo ids. ``compare``
times the whole CLI (``licencecmp check --format json``, start-up included) against
``grep -rEniI --exclude-dir=.git`` of one alternation of every registry repo id on the same tree (best of N runs).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

__all__ = ["compare", "generate_tree", "grep_pattern"]

_WORDS = ("model", "token", "batch", "config", "request", "response", "cache", "score", "index", "layer",
          "prompt", "client", "server", "queue", "metric", "vector", "embed", "chunk", "shard", "worker")


def _registry_ids() -> list[str]:
    import licencecmp

    return [m.id for m in licencecmp.catalogue().models()]


def _py_module(rng: random.Random, ids: list[str], ref: bool) -> str:
    lines = ['"""Generated module."""', "from __future__ import annotations", "", "import os", ""]
    for i in range(rng.randint(20, 120)):
        a, b = rng.choice(_WORDS), rng.choice(_WORDS)
        lines.append(f"def {a}_{b}_{i}(x: int, path: str = '/srv/{a}/{b}') -> int:")
        lines.append(f"    # compute the {a} of the {b}; see docs/{a}.md")
        lines.append(f"    return x * {rng.randint(1, 999)} + len(path)")
        lines.append("")
    if ref:
        at = rng.randrange(len(lines))
        lines.insert(at, f'MODEL = AutoModel.from_pretrained("{rng.choice(ids)}")')
    return "\n".join(lines) + "\n"


def _yaml(rng: random.Random, ids: list[str], ref: bool) -> str:
    body = [f"{rng.choice(_WORDS)}_{i}: {rng.randint(0, 10**6)}" for i in range(rng.randint(10, 60))]
    if ref:
        body.insert(rng.randrange(len(body)), f"model: {rng.choice(ids)}")
    return "service:\n" + "\n".join("  " + b for b in body) + "\n"


def _json(rng: random.Random) -> str:
    return json.dumps({f"{rng.choice(_WORDS)}_{i}": [rng.random() for _ in range(rng.randint(1, 20))]
                       for i in range(rng.randint(5, 40))}, indent=2) + "\n"


def _markdown(rng: random.Random, ids: list[str]) -> str:
    text = "\n\n".join(" ".join(rng.choice(_WORDS) for _ in range(rng.randint(30, 120)))
                       for _ in range(rng.randint(2, 10)))
    return f"# {rng.choice(_WORDS).title()}\n\nWe compared with {rng.choice(ids)}.\n\n{text}\n"


def generate_tree(root: Path, n_files: int, seed: int = 0) -> None:
    """Write ``n_files`` files under ``root`` (created if needed), deterministic for a seed."""
    rng = random.Random(seed)
    ids = _registry_ids() or ["meta-llama/Llama-3.1-8B"]
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / ".gitignore").write_text("build/\n*.pyc\n")
    (root / "licencecmp.toml").write_text('actions = ["use", "commercial-use", "serve"]\nallow_unknown = true\n')
    (root / "models" / "ft").mkdir(parents=True, exist_ok=True)
    (root / "models" / "ft" / "README.md").write_text(f"---\nlicense: apache-2.0\nbase_model: {ids[0]}\n---\n# ft\n")
    written = 3
    dirs = [Path(*(f"{rng.choice(_WORDS)}{d}" for d in range(rng.randint(1, 4)))) for _ in range(max(1, n_files // 40))]
    while written < n_files:
        folder = rng.choice(dirs)
        roll = rng.random()
        name = f"{rng.choice(_WORDS)}_{written}"
        ref = rng.random() < 0.02
        content: str | bytes
        if roll < 0.60:
            rel, content = folder / f"{name}.py", _py_module(rng, ids, ref)
        elif roll < 0.70:
            rel, content = folder / f"{name}.yaml", _yaml(rng, ids, ref)
        elif roll < 0.78:
            rel, content = folder / f"{name}.json", _json(rng)
        elif roll < 0.88:
            rel, content = folder / f"{name}.md", _markdown(rng, ids)
        elif roll < 0.93:
            rel, content = Path("build") / folder / f"{name}.py", _py_module(rng, ids, True)  # ignored
        else:
            rel, content = folder / f"{name}.bin", bytes(rng.getrandbits(8) for _ in range(rng.randint(256, 8192)))
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(b"\x00" + content)
        else:
            path.write_text(content)
        written += 1


def grep_pattern(ids: list[str]) -> str:
    """One extended regular expression: the alternation of every repo id."""
    return "|".join(re.sub(r"([.\\\[\](){}*+?^$|])", r"\\\1", i) for i in sorted(ids))


def _best(cmd: list[str], repeat: int, cwd: Path | None = None) -> tuple[float, int]:
    times, code = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - t0)
        code = proc.returncode
    return min(times), code


def compare(root: Path, repeat: int = 3) -> dict[str, Any]:
    """Best-of-``repeat`` wall times: ``licencecmp check`` (CLI) vs ``grep -rEniI`` on ``root``."""
    from licencecmp.scan.check import run_check
    from licencecmp.scan.policy import find_policy, load_policy

    exe = shutil.which("licencecmp") or str(Path(sys.executable).with_name("licencecmp"))
    check_s, check_code = _best([exe, "check", str(root), "--format", "json"], repeat)
    grep = shutil.which("grep")
    grep_s, _ = _best([grep or "grep", "-rEniI", "--exclude-dir=.git", "-e", grep_pattern(_registry_ids()),
                       str(root)], repeat)
    policy, source = load_policy(find_policy(root))
    t0 = time.perf_counter()
    report = run_check(root, policy, source)
    in_process = time.perf_counter() - t0
    files = sum(len(f) for d, _, f in os.walk(root) if ".git" not in Path(d).relative_to(root).parts)
    return {
        "files": files,
        "files_scanned": report.summary.files_scanned,
        "bytes_scanned": report.summary.bytes_scanned,
        "models_found": report.summary.models,
        "licencecmp_check_cli_s": round(check_s, 3),
        "licencecmp_check_in_process_s": round(in_process, 3),
        "scan_only_s": report.summary.seconds,
        "grep_rE_s": round(grep_s, 3),
        "ratio_cli_to_grep": round(check_s / grep_s, 2) if grep_s else None,
        "exit_code": check_code,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--git", action="store_true", help="make the tree a git repository first")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="licencecmp-bench-") as tmp:
        root = Path(tmp) / "tree"
        generate_tree(root, args.files, args.seed)
        if args.git:
            for cmd in (["init", "-q"], ["add", "-A"], ["-c", "user.name=b", "-c", "user.email=b@example.com",
                                                         "commit", "-qm", "tree"]):
                subprocess.run(["git", "-C", str(root), *cmd], check=True, capture_output=True)
        result = compare(root, args.repeat)
    result["git"] = args.git
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for key, value in result.items():
            print(f"{key:32} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
