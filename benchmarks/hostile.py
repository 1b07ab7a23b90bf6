"""Time and peak memory of the inputs that used to hang or blow up ``licencecmp check`` (issue 13),
before and after, on the same inputs:

    python benchmarks/hostile.py --src src --src /path/to/old/src [--cap 120] [--only NAME,...]

Each case builds its input in a temporary folder and runs ``python -m licencecmp`` through GNU
``/usr/bin/time -f '%e %M'`` (wall seconds, peak resident KiB) with a wall-clock cap; a run past the
cap prints "> CAP s". Standard library only; no unit test asserts these figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

LLAMA = "meta-llama/Llama-3.1-8B"


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)


def _tag_value(n: int) -> str:
    head = ["SPDXVersion: SPDX-2.3", "DataLicense: CC0-1.0", "SPDXID: SPDXRef-DOCUMENT", "DocumentName: x",
            "DocumentNamespace: https://example.com/x", "Creator: Tool: x", "Created: 2024-01-01T00:00:00Z", ""]
    for i in range(n):
        head += [f"PackageName: pkg{i}", f"SPDXID: SPDXRef-P{i}", "PackageDownloadLocation: NOASSERTION",
                 "FilesAnalyzed: false", "PackageLicenseDeclared: MIT AND Apache-2.0", ""]
    return "\n".join(head)


def _alias_bomb() -> str:
    lines = ["spdxVersion: SPDX-2.3", "SPDXID: SPDXRef-DOCUMENT", "name: x", "dataLicense: CC0-1.0",
             "documentNamespace: https://example.com/x",
             'a0: &a0 ["xxxxxxxxxx", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 7)]
    lines += ["creationInfo:", '  created: "2024-01-01T00:00:00Z"', '  creators: ["Tool: x"]', "  comment: *a6",
              "comment: *a6"]
    return "\n".join(lines) + "\n"


def _cyclonedx(n: int) -> str:
    comps = [{"type": "machine-learning-model", "name": "acme/m", "bom-ref": f"r{i}",
              "licenses": [{"license": {"id": "MIT"}}]} for i in range(n)]
    return json.dumps({"bomFormat": "CycloneDX", "components": comps}).replace("}, {", "},\n{")


CASES: dict[str, Callable[[Path], None]] = {
    "ids-in-one-file (4 MB)": lambda r: _write(r, {"ids.py": f'"{LLAMA}"\n' * 150_000}),
    "cyclonedx 40k components (4.4 MB)": lambda r: _write(r, {"bom.json": _cyclonedx(40_000)}),
    "spdx-yaml alias bomb (1 KB)": lambda r: _write(r, {"doc.spdx.yaml": _alias_bomb()}),
    "spdx tag-value 5k packages (700 KB)": lambda r: _write(r, {"doc.spdx": _tag_value(5_000)}),
    ".gitignore ReDoS": lambda r: _write(r, {".gitignore": "*a" * 30 + "*b\n", "a" * 200 + ".py": "x = 1\n"}),
    "policy exclude ReDoS": lambda r: _write(r, {"licencecmp.toml": 'exclude = ["' + "*a" * 30 + '*b"]\n',
                                                 "a" * 200 + ".py": "x = 1\n"}),
    "policy key index (4 KB)": lambda r: _write(r, {"pyproject.toml": 'd = """\n[[' + " " * 4000 + 'x\n"""\n'
                                                    '[tool.licencecmp]\nmau = "x"\n'}),
    "YAML sniffing, blank lines (20 x 64 KB)": lambda r: _write(
        r, {f"c{i}.yaml": "\n" * 65_536 + f"model: {LLAMA}\n" for i in range(20)}),
    "3,000 identical cards (report size)": lambda r: _write(
        r, {f"m{i}/README.md": "---\nlicense: mit\nmodel_name: acme/same\nbase_model: nobody/x\n---\n"
            for i in range(3_000)}),
    ".gitignore -> /dev/zero": lambda r: _gitignore_to_dev_zero(r),
}


def _gitignore_to_dev_zero(repo: Path) -> None:
    _write(repo, {"a.py": "x = 1\n"})
    os.symlink("/dev/zero", repo / ".gitignore")


def measure(src: str, repo: Path, cap: int) -> str:
    out = repo.parent / "out.txt"
    env = {**os.environ, "PYTHONPATH": src}
    cmd = ["/usr/bin/time", "-f", "%e %M", sys.executable, "-m", "licencecmp", "check", str(repo), "--format", "json",
           "--no-progress", "-o", str(out)]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=cap, check=False)
    except subprocess.TimeoutExpired:
        return f"> {cap} s (killed)"
    secs, kib = proc.stderr.strip().splitlines()[-1].split()[-2:]
    size = out.stat().st_size if out.exists() else 0
    return f"{float(secs):7.2f} s {int(kib) / 1024:8.0f} MiB  exit {proc.returncode}  report {size / 1e6:.1f} MB"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", action="append", required=True, help="a src/ folder to measure (repeat)")
    ap.add_argument("--cap", type=int, default=120)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    for name, build in CASES.items():
        if args.only and not any(o in name for o in args.only.split(",")):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            repo = Path(tmp) / "repo"
            repo.mkdir()
            build(repo)
            for src in args.src:
                print(f"{name:40} {src:30} {measure(src, repo, args.cap)}", flush=True)


if __name__ == "__main__":
    main()
