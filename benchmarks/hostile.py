"""Time and peak memory of the inputs that used to hang or blow up ``licencecmp check`` (issue 13),
before and after, on the same inputs:

    python benchmarks/hostile.py --src src --src /path/to/old/src [--cap 120] [--only NAME,...]
    python benchmarks/hostile.py --growth --src src [--only KIND,...]

``--growth`` scans one file of each supported kind (Python under LF, CR and CRLF, one-line files,
minified and escaped JSON, notebooks, YAML, TOML, shell, Dockerfiles, scripts with control bytes in
a comment, model cards, CycloneDX, SPDX JSON and tag-value) at a quarter, half and all of the 5 MiB
size cap, in one process, and prints the least-squares growth exponent of time over size (about 1
when linear, 2 when quadratic).

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


# -- growth: one file at the size cap of each supported kind, scanned in linear time (issue 25) ------

CAP = 5 * 1024 * 1024
"""The default size cap (max_file_size): the largest file a scan reads."""


def _lines(line: Callable[[int], str], size: int, sep: str = "\n", head: str = "", tail: str = "") -> str:
    """``head``, then ``line(i)`` joined by ``sep`` until the text is about ``size`` bytes, then ``tail``."""
    out, total, i = [head], len(head) + len(tail), 0
    while total < size:
        piece = line(i) + sep
        out.append(piece)
        total += len(piece)
        i += 1
    return "".join(out) + tail


def _json_one_line(size: int) -> str:
    return _lines(lambda i: f'"model_{i}": "acme{i % 97}/m{i}"', size - 2, sep=", ", head="{", tail='"z": 0}')


def _notebook(size: int) -> str:
    cell = ('{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": '
            '["from transformers import AutoModel\\n", "m = AutoModel.from_pretrained(\\"acme/m\\")\\n"]}')
    return _lines(lambda i: cell, size - 80, sep=", ", head='{"cells": [',
                  tail='{"cell_type": "code", "metadata": {}, "outputs": [], "source": []}], "metadata": {}, '
                       '"nbformat": 4, "nbformat_minor": 5}')


def _spdx_json(size: int) -> str:
    head = ('{"spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "x", '
            '"documentNamespace": "https://example.com/x", "creationInfo": {"created": "2024-01-01T00:00:00Z", '
            '"creators": ["Tool: x"]}, "packages": [')
    return _lines(lambda i: f'{{"name": "acme/m{i}", "SPDXID": "SPDXRef-P{i}", "downloadLocation": "NOASSERTION", '
                            f'"licenseDeclared": "MIT"}}', size, sep=", ", head=head,
                  tail='{"name": "z", "SPDXID": "SPDXRef-Z", "downloadLocation": "NOASSERTION"}]}')


GROWTH: dict[str, tuple[str, Callable[[int], str | bytes]]] = {
    "python (LF)": ("app.py", lambda n: _lines(lambda i: f'm{i} = AutoModel.from_pretrained("acme{i % 97}/m{i}")', n)),
    "python (CR only)": ("app.py", lambda n: _lines(lambda i: f'm{i} = f("{LLAMA}")  # c', n, sep="\r")),
    "python (CRLF, one comment per line)": ("app.py", lambda n: _lines(
        lambda i: f'x{i} = "{LLAMA}"  # licencecmp: ignore', n, sep="\r\n")),
    "python (one line)": ("app.py", lambda n: _lines(lambda i: f'"{LLAMA}"', n, sep=", ", head="x = [", tail="]")),
    "json (minified, one line)": ("config.json", _json_one_line),
    "json (escaped ids)": ("adapter_config.json", lambda n: _lines(
        lambda i: f'"base_model_name_or_path_{i}": "meta-llama\\/Llama-3.1\\u002d8B"', n - 2, sep=",\n",
        head="{", tail='"z": 0}')),
    "notebook (.ipynb)": ("nb.ipynb", _notebook),
    "yaml": ("config.yaml", lambda n: _lines(lambda i: f"model_{i}: acme{i % 97}/m{i}", n)),
    "toml": ("config.toml", lambda n: _lines(lambda i: f'model_{i} = "acme{i % 97}/m{i}"', n)),
    "shell": ("run.sh", lambda n: _lines(lambda i: f"vllm serve acme{i % 97}/m{i} --port 8000", n)),
    "Dockerfile": ("Dockerfile", lambda n: _lines(lambda i: f"ENV MODEL_ID_{i}=acme{i % 97}/m{i}", n)),
    "script, control bytes in a comment": ("serve", lambda n: b"#!/bin/sh\n# " + bytes(range(1, 9)) * 2048 + b"\n"
                                           + _lines(lambda i: f"vllm serve acme/m{i}", n - 16_400).encode()),
    "model card (front matter 1/5 of it)": ("README.md", lambda n: _lines(
        lambda i: f"Uses {LLAMA} and acme/m{i} in examples.", n,
        head=_lines(lambda i: f"- tag-{i}", n // 5, head="---\nlicense: mit\nmodel_name: acme/card\ntags:\n",
                    tail="---\n"))),
    "cyclonedx json": ("bom.json", lambda n: _lines(
        lambda i: f'{{"type": "machine-learning-model", "name": "acme/m{i}", "bom-ref": "r{i}", '
                  f'"licenses": [{{"license": {{"id": "MIT"}}}}]}}', n, sep=",\n",
        head='{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [',
        tail='{"type": "library", "name": "z"}]}')),
    "spdx json": ("doc.spdx.json", _spdx_json),
    "spdx tag-value": ("doc.spdx", lambda n: _tag_value(max(1, n // 150))),
}
"""Supported kinds of file, each as (name, content of about N bytes), full of what the scanner looks for."""

SIZES = (CAP // 4, CAP // 2, CAP - 4096)


def _child_growth(kind: str) -> None:  # pragma: no cover - runs in the measured interpreter
    """Print the seconds ``scan`` takes on one file of each size (one process, one worker)."""
    import time

    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.scan.refs import scan

    cat = default_catalogue()
    name, make = GROWTH[kind]
    out = []
    for size in SIZES:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            data = make(size)
            (root / name).write_bytes(data if isinstance(data, bytes) else data.encode())
            t0 = time.perf_counter()
            res = scan(root, cat, max_file_size=CAP, workers=1)
            secs = time.perf_counter() - t0
            if res.skipped or res.files_scanned != 1:
                raise SystemExit(f"{kind}: not scanned whole: {res.skipped}")
            out.append((len(data), secs))
    print(json.dumps(out))


def exponent(points: list[tuple[int, float]]) -> float:
    """The least-squares slope of log(seconds) over log(bytes): 1 is linear, 2 quadratic."""
    import math

    xs = [math.log(n) for n, _ in points]
    ys = [math.log(max(t, 1e-6)) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def growth(src: str, cap: int, only: str) -> None:
    """One line per kind: the scan time of a file at a quarter, half and all of the size cap, and
    the growth exponent (about 1 when linear)."""
    for kind in GROWTH:
        if only and not any(o in kind for o in only.split(",")):
            continue
        env = {**os.environ, "PYTHONPATH": f"{src}{os.pathsep}{Path(__file__).resolve().parents[1]}"}
        try:
            proc = subprocess.run([sys.executable, "-c", f"from benchmarks.hostile import _child_growth; "
                                   f"_child_growth({kind!r})"], env=env, capture_output=True, text=True,
                                  timeout=cap * len(SIZES), check=False)
        except subprocess.TimeoutExpired:
            print(f"{kind:40} {src:20} > {cap * len(SIZES)} s (killed)", flush=True)
            continue
        if proc.returncode != 0:
            print(f"{kind:40} {src:20} failed: {(proc.stderr.strip().splitlines() or ['?'])[-1]}", flush=True)
            continue
        points = json.loads(proc.stdout.strip().splitlines()[-1])
        times = "  ".join(f"{n / 2**20:4.2f} MiB {t:6.2f} s" for n, t in points)
        print(f"{kind:40} {src:20} {times}  exponent {exponent(points):.2f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--src", action="append", required=True, help="a src/ folder to measure (repeat)")
    ap.add_argument("--cap", type=int, default=120)
    ap.add_argument("--only", default="")
    ap.add_argument("--growth", action="store_true",
                    help="instead: scan one file of each supported kind at 1/4, 1/2 and all of the 5 MiB size "
                         "cap and print the growth exponent (1 = linear)")
    args = ap.parse_args()
    if args.growth:
        for src in args.src:
            growth(src, args.cap, args.only)
        return
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
