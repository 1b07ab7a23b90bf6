"""Gather the Hugging Face model ids real code loads, independently of licencecmp.

    python benchmarks/models/realcode_ids.py MIRRORS --out ids.tsv [--sample 300]

MIRRORS holds bare clones named ``owner+name/repo`` (as the ``fetch`` tool leaves them). For each
repository in :data:`REPOS` at its pinned commit, every tracked text file is searched (``git grep``) for
an ``org/name`` string in a loading context: a ``from_pretrained``/``pipeline``/``SentenceTransformer``/
``hf_hub_download``-style call, a ``model``-ish key or flag (``model_id =``, ``model_name_or_path:``,
``--model``), a Rust ``.model("...")``/``model_id:`` or an ``hf.co/`` pull. The regexes know nothing
of licencecmp's registry or scanner, so the list is not biased towards what licencecmp already knows.

Each distinct id (case-insensitive) is written once with the first place it was seen and the number of
repositories using it. ``--sample N`` keeps a seeded random sample of N ids (every id used by two or
more repositories, then a random draw of the rest), for reading their cards by hand.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
from pathlib import Path

REPOS: tuple[tuple[str, str], ...] = (
    ("huggingface+diffusers", "58eb52c080"),
    ("huggingface+peft", "5d602fdbf"),
    ("huggingface+trl", "f2cd57710"),
    ("huggingface+text-generation-inference", "db931fcf"),
    ("huggingface+smolagents", "e3a5b899"),
    ("huggingface+notebooks", "5068b11"),
    ("huggingface+candle", "2a13b0f3f"),
    ("huggingface+cookbook", "ed2c6467015c"),
    ("huggingface+huggingface.js", "fe42e68017ff"),
    ("xenova+transformers.js", "7ebd50ce"),
    ("crewAIInc+crewAI", "f4731f502"),
    ("EleutherAI+lm-evaluation-harness", "4e7e0d47f"),
    ("UKPLab+sentence-transformers", "85ec6455"),
    ("ml-explore+mlx-lm", "d78bf58e"),
    ("ml-explore+mlx-examples", "7ddca42f"),
    ("hiyouga+LLaMA-Factory", "ff6d4d12eeb0"),
    ("axolotl-ai-cloud+axolotl", "067b021c8b87"),
    ("volcengine+verl", "b178a3cd56f5"),
    ("OpenRLHF+OpenRLHF", "3c3be6234e0c"),
    ("pytorch+torchtune", "bd2a0fc7c314"),
    ("EricLBuehler+mistral.rs", "9e922623f24b"),
    ("deepset-ai+haystack", "c7cb46c0f28a"),
    ("mudler+LocalAI", "82c191afadf5"),
)
"""Real code: libraries, training and serving frameworks, apps, notebooks; Python, JS/TS, Rust, Go."""

ID = r"([A-Za-z0-9][\w.-]{0,95}/[A-Za-z0-9][\w.-]{0,95})"
Q = r"""["'`]"""
CONTEXTS = [
    # calls that load a model by id (Python, JS)
    rf"(?:from_pretrained|pipeline|SentenceTransformer|CrossEncoder|SparseEncoder|AutoModel\w*|load_model|"
    rf"hf_hub_download|snapshot_download|InferenceClient|HuggingFaceEmbeddings|\.model)\s*\((?:[^)]{{0,80}}?,\s*)?"
    rf"(?:\w+\s*=\s*)?{Q}{ID}{Q}",
    # a model key or assignment (Python, YAML, JSON, TOML, Rust struct fields)
    rf"""(?i)\b["']?(?:base_)?model(?:_id|_name|_name_or_path|_path|_repo|_type)?["']?\s*[:=]\s*{Q}?{ID}(?:{Q}|\s|$)""",
    rf"(?i)\b(?:repo_id|pretrained_model_name_or_path|tokenizer_name|reward_model|ref_model)\s*[:=]\s*{Q}?{ID}",
    # command-line flags (shell, Makefiles, Dockerfiles, workflows, Markdown)
    rf"(?i)--(?:model|model[-_](?:id|name|name[-_]or[-_]path|path)|pretrained[-_]model[-_]name[-_]or[-_]path|"
    rf"tokenizer|base[-_]model)[ =]{Q}?{ID}",
    # Ollama and others pulling from the Hub
    rf"hf\.co/{ID}",
]
PATTERNS = [re.compile(p) for p in CONTEXTS]
SKIP_NAME = re.compile(
    r"(?i)(^|/)(your|my|username|user|org|organization|path|model|models|repo|name|foo|bar|hub|local|"
    r"output|outputs|checkpoints?|tmp|data|datasets?)[-_]?(name|id|model|repo)?$"
    r"|\.(json|py|pt|pth|bin|safetensors|gguf|txt|yaml|yml|md|png|jpg|onnx|ckpt|zip|tar|gz|sh)$"
    r"|^(https?:|www\.|github\.com|api|v\d|\d)")


def grep(mirrors: Path, repo: str, commit: str) -> list[tuple[str, str, int, str]]:
    """(path, line number, line) of every line of the repository at the commit with a loading word."""
    git = ["git", f"--git-dir={mirrors / repo / 'repo'}", "grep", "-I", "-n", "-i", "-E",
           r"pretrained|pipeline|model|repo_id|hf\.co/|encoder|download|tokenizer|InferenceClient", commit, "--"]
    out = subprocess.run(git, capture_output=True, text=True, errors="replace", check=False).stdout
    rows = []
    for raw in out.splitlines():
        _rev, path, num, line = raw.split(":", 3)
        if len(line) > 2000:
            continue
        rows.append((repo, path, int(num), line))
    return rows


def ids_in(line: str) -> list[str]:
    found = []
    for pattern in PATTERNS:
        for m in pattern.finditer(line):
            mid = m.group(m.lastindex or 1).rstrip(".-")
            org, _, name = mid.partition("/")
            if SKIP_NAME.search(org) or SKIP_NAME.search(name) or SKIP_NAME.search(mid):
                continue
            found.append(mid)
    return found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mirrors", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--seed", default="realcode-2026-12-08")
    args = ap.parse_args()
    first: dict[str, tuple[str, str]] = {}
    repos: dict[str, set[str]] = {}
    for repo, commit in REPOS:
        full = subprocess.run(["git", f"--git-dir={args.mirrors / repo / 'repo'}", "rev-parse", commit],
                              capture_output=True, text=True, check=True).stdout.strip()
        for _repo, path, num, line in grep(args.mirrors, repo, full):
            for mid in ids_in(line):
                key = mid.lower()
                first.setdefault(key, (mid, f"{repo.replace('+', '/')} {path}:{num} at {full[:12]}"))
                repos.setdefault(key, set()).add(repo)
    keys = sorted(first)
    if args.sample:
        rng = random.Random(args.seed)
        shared = [k for k in keys if len(repos[k]) > 1]
        rest = [k for k in keys if len(repos[k]) == 1]
        keys = sorted(shared + rng.sample(rest, max(0, min(len(rest), args.sample - len(shared)))))
    with args.out.open("w") as fh:
        for k in keys:
            mid, where = first[k]
            fh.write(f"{mid}\t{len(repos[k])}\t{where}\n")
    print(f"{len(first)} distinct ids, {sum(len(v) > 1 for v in repos.values())} in two or more repositories; "
          f"wrote {len(keys)} to {args.out}")


if __name__ == "__main__":
    main()
