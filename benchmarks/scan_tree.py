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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["compare", "generate_tree", "grep_pattern"]

_WORDS = ("model", "token", "batch", "config", "request", "response", "cache", "score", "index", "layer",
          "prompt", "client", "server", "queue", "metric", "vector", "embed", "chunk", "shard", "worker")


def _registry_ids() -> list[str]:
    import licencecmp

    return [m.id for m in licencecmp.catalogue().models()]


def _legacy_names() -> list[str]:
    """Org-less names the Hub still serves by redirect (gpt2, bert-base-uncased, all-MiniLM-L6-v2)."""
    import tomllib

    import licencecmp.data

    path = Path(licencecmp.data.__file__).with_name("hub_names.toml")
    try:
        names = tomllib.loads(path.read_text(encoding="utf-8")).get("legacy", {}).get("names", {})
    except OSError:
        names = {}
    return sorted(names) or ["gpt2", "bert-base-uncased"]


# What real repositories hold besides registry ids (issue 21): names of models no registry knows, route
# strings of API clients, placeholders; each is a different answer for the scanner.
_UNKNOWN_ORGS = ("acme-research", "tiny-lab", "nlp-group", "vision-team", "speechworks", "datacorp", "edu-uni",
                 "ml-hobbyist", "robotics-co", "biomed-ai")
_ROUTES = ("anthropic/claude-3-5-sonnet-20240620", "ollama_chat/llama3.2", "groq/llama3-70b-8192",
           "mistral/mistral-small-latest", "bedrock/anthropic.claude-v2", "together_ai/togethercomputer/llama-2-7b")
_PLACEHOLDERS = ("your-org/your-model", "username/my_model", "org/model-name", "my-org/my-finetune")
_PIPELINE_TAGS = ("text-generation", "text-classification", "feature-extraction", "image-classification",
                  "automatic-speech-recognition", "sentence-similarity")


@dataclass
class _Pool:
    """The models a tree refers to: a few hundred distinct ones, of every kind."""

    registry: list[str]
    legacy: list[str]
    unknown: list[str]

    def pick(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.70:
            return rng.choice(self.registry)
        if roll < 0.82:
            return rng.choice(self.legacy)
        return rng.choice(self.unknown)

    def hub_id(self, rng: random.Random) -> str:
        """An org/name id (no legacy name): for URLs, cards' base_model, Hub downloads."""
        return rng.choice(self.unknown) if rng.random() < 0.2 else rng.choice(self.registry)


def _pool(rng: random.Random) -> _Pool:
    ids = _registry_ids() or ["meta-llama/Llama-3.1-8B"]
    registry = rng.sample(ids, min(len(ids), 320))
    legacy = _legacy_names()
    legacy = rng.sample(legacy, min(len(legacy), 40))
    unknown = [f"{rng.choice(_UNKNOWN_ORGS)}/{rng.choice(_WORDS)}-{rng.choice(_WORDS)}-{i}" for i in range(120)]
    return _Pool(registry, legacy, unknown)


def _filler(rng: random.Random, n: int, start: int = 0) -> list[str]:
    lines: list[str] = []
    for i in range(start, start + n):
        a, b = rng.choice(_WORDS), rng.choice(_WORDS)
        lines.append(f"def {a}_{b}_{i}(x: int, path: str = '/srv/{a}/{b}') -> int:")
        lines.append(f"    # compute the {a} of the {b}; see docs/{a}.md")
        lines.append(f"    return x * {rng.randint(1, 999)} + len(path)")
        lines.append("")
    return lines


def _reference(rng: random.Random, pool: _Pool) -> list[str]:
    """One use of a model, in one of the shapes real code writes (issue 21)."""
    m, hub = pool.pick(rng), pool.hub_id(rng)
    shapes = (
        [f'MODEL = AutoModel.from_pretrained("{m}")'],
        [f'tokenizer = AutoTokenizer.from_pretrained("{m}", use_fast=True)'],
        [f'encoder = SentenceTransformer("{m}")'],
        [f'classifier = pipeline("text-classification", model="{m}")'],
        ["@dataclass", "class Args:", f'    model_name_or_path: str = field(default="{hub}")'],
        ["class Runner:", f'    default_checkpoint = "{hub}"'],
        [f'MODEL_ID = os.getenv("MODEL_ID", "{hub}")'],
        [f'def load(name: str = "{hub}") -> Any:', "    return AutoModelForCausalLM.from_pretrained(name)"],
        [f'path = hf_hub_download(repo_id="{hub}", filename="config.json")'],
        [f'snapshot_download("{hub}", revision="main")'],
        [f'model.load_adapter("{hub}")'],
        [f'URL = "https://huggingface.co/{hub}/resolve/main/model.safetensors"'],
        [f'MODEL_ARGS = "pretrained={hub},dtype=float32"'],
        [f'EVAL_MODELS = ["{pool.hub_id(rng)}", "{pool.hub_id(rng)}", "{hub}"]'],
        ["@pytest.mark.parametrize(\"name\", [", f'    "{hub}",', f'    "{pool.hub_id(rng)}",', "])"],
        [f'client = litellm.completion(model="{rng.choice(_ROUTES)}", messages=messages)'],
        [f'model = AutoModel.from_pretrained("{rng.choice(_PLACEHOLDERS)}")  # replace with yours'],
        [f'# we also tried {m} but it was slower'],
    )
    return list(rng.choice(shapes))


def _py_module(rng: random.Random, pool: _Pool, refs: int) -> str:
    lines = ['"""Generated module."""', "from __future__ import annotations", "", "import os", ""]
    lines += _filler(rng, rng.randint(20, 120))
    for _ in range(refs):
        at = rng.randrange(len(lines) + 1)
        while at < len(lines) and lines[at].startswith(" "):
            at += 1
        lines[at:at] = _reference(rng, pool)
    return "\n".join(lines) + "\n"


def _notebook(rng: random.Random, pool: _Pool) -> str:
    """A Jupyter notebook: markdown and code cells, shell magics, a few model uses and mentions."""
    cells: list[dict[str, Any]] = []

    def cell(kind: str, lines: list[str]) -> None:
        src = [line + "\n" for line in lines[:-1]] + lines[-1:]
        extra: dict[str, Any] = {"execution_count": None, "outputs": []} if kind == "code" else {}
        cells.append({"cell_type": kind, "metadata": {}, "source": src, **extra})

    cell("markdown", [f"# {rng.choice(_WORDS).title()} with {pool.pick(rng)}", "",
                      " ".join(rng.choice(_WORDS) for _ in range(rng.randint(20, 60)))])
    cell("code", ["%%capture", "!pip install -q transformers datasets accelerate"])
    cell("code", ["import torch", "from transformers import AutoModel, AutoTokenizer, pipeline"])
    for i in range(rng.randint(3, 9)):
        if rng.random() < 0.35:
            cell("markdown", [f"## Step {i}", "", " ".join(rng.choice(_WORDS) for _ in range(rng.randint(10, 80)))])
            continue
        body = _filler(rng, rng.randint(1, 6), i * 10)
        if rng.random() < 0.5:
            body[rng.randrange(len(body)):0] = _reference(rng, pool)
        cell("code", body)
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
          "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1) + "\n"


_CARD_LICENCES = ("apache-2.0", "mit", "llama3.1", "cc-by-nc-4.0", "openrail", "other")


def _model_card(rng: random.Random, pool: _Pool) -> str:
    """A README.md with a model card's front matter (licence, base model, tags). Cards name one of
    150 fine-tunes (``model_name``), each always under the same licence and base model: a tree holds a
    few hundred distinct models however many files it has, as a real repository does."""
    k = rng.randrange(150)
    name = f"ft-{_WORDS[k % len(_WORDS)]}-{k}"
    licence = _CARD_LICENCES[k % len(_CARD_LICENCES)]
    base = pool.registry[k % len(pool.registry)] if k % 5 else pool.unknown[k % len(pool.unknown)]
    tags = ", ".join(rng.sample(_WORDS, 3))
    text = "\n\n".join(" ".join(rng.choice(_WORDS) for _ in range(rng.randint(30, 100))) for _ in range(3))
    return (f"---\nlicense: {licence}\nbase_model: {base}\npipeline_tag: {rng.choice(_PIPELINE_TAGS)}\n"
            f"library_name: transformers\nmodel_name: {name}\ntags: [{tags}]\n---\n# {name}\n\nFine-tuned from [{base}]"
            f"(https://huggingface.co/{base}).\n\n{text}\n\n```python\nmodel = AutoModel.from_pretrained("
            f"\"{pool.hub_id(rng)}\")\n```\n")


def _catalogue(rng: random.Random, pool: _Pool) -> str:
    """A framework's table of supported models (one catalogue entry, not a hundred uses)."""
    ids = rng.sample(pool.registry, min(len(pool.registry), 150))
    rows = [f'    "{i.split("/")[-1].lower()}": "{i}",' for i in ids]
    return '"""Supported checkpoints."""\n\nSUPPORTED_MODELS = {\n' + "\n".join(rows) + "\n}\n"


def _yaml(rng: random.Random, pool: _Pool, ref: bool) -> str:
    body = [f"{rng.choice(_WORDS)}_{i}: {rng.randint(0, 10**6)}" for i in range(rng.randint(10, 60))]
    if ref:
        body.insert(rng.randrange(len(body)), f"model: {pool.pick(rng)}")
    return "service:\n" + "\n".join("  " + b for b in body) + "\n"


def _json(rng: random.Random) -> str:
    return json.dumps({f"{rng.choice(_WORDS)}_{i}": [rng.random() for _ in range(rng.randint(1, 20))]
                       for i in range(rng.randint(5, 40))}, indent=2) + "\n"


def _markdown(rng: random.Random, pool: _Pool) -> str:
    text = "\n\n".join(" ".join(rng.choice(_WORDS) for _ in range(rng.randint(30, 120)))
                       for _ in range(rng.randint(2, 10)))
    return f"# {rng.choice(_WORDS).title()}\n\nWe compared with {pool.hub_id(rng)}.\n\n{text}\n"


def generate_tree(root: Path, n_files: int, seed: int = 0) -> None:
    """Write ``n_files`` files under ``root`` (created if needed), deterministic for a seed: about 45 %
    Python (3 % of them using models, in the shapes of real code), 5 % notebooks (several code and
    markdown cells, shell magics, model uses in about half the code cells), 1 % model cards, YAML, JSON,
    Markdown prose, binary files, an ignored ``build/``, and one catalogue file; a few hundred distinct
    models (registry ids, legacy org-less names, ids no registry knows, placeholders, API route strings)."""
    rng = random.Random(seed)
    pool = _pool(rng)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / ".gitignore").write_text("build/\n*.pyc\n")
    (root / "licencecmp.toml").write_text('actions = ["use", "commercial-use", "serve"]\nallow_unknown = true\n')
    (root / "models" / "ft").mkdir(parents=True, exist_ok=True)
    (root / "models" / "ft" / "README.md").write_text(_model_card(rng, pool))
    (root / "src").mkdir(exist_ok=True)
    (root / "src" / "constants.py").write_text(_catalogue(rng, pool))
    written = 4
    dirs = [Path(*(f"{rng.choice(_WORDS)}{d}" for d in range(rng.randint(1, 4)))) for _ in range(max(1, n_files // 40))]
    while written < n_files:
        folder = rng.choice(dirs)
        roll = rng.random()
        name = f"{rng.choice(_WORDS)}_{written}"
        content: str | bytes
        if roll < 0.45:
            refs = rng.choice((1, 1, 2, 3)) if rng.random() < 0.03 else 0
            rel, content = folder / f"{name}.py", _py_module(rng, pool, refs)
        elif roll < 0.50:
            rel, content = folder / f"{name}.ipynb", _notebook(rng, pool)
        elif roll < 0.505:
            rel, content = folder / name / "README.md", _model_card(rng, pool)
        elif roll < 0.61:
            rel, content = folder / f"{name}.yaml", _yaml(rng, pool, rng.random() < 0.03)
        elif roll < 0.69:
            rel, content = folder / f"{name}.json", _json(rng)
        elif roll < 0.81:
            rel, content = folder / f"{name}.md", _markdown(rng, pool)
        elif roll < 0.87:
            rel, content = Path("build") / folder / f"{name}.py", _py_module(rng, pool, 1)  # ignored
        elif roll < 0.93:
            rel, content = folder / f"{name}.txt", _markdown(rng, pool)
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
