"""A repository of our own making for adopting the gate (issue 22): ``n`` models of mixed status,
in the shapes real repositories have (from_pretrained, pipeline(model=...), hf_hub_download,
config keys, notebooks, model cards with base models, test-only tiny models, examples).

    python -m tests.scan.adoption_repo /tmp/adopt            # 300 models, a git repository
    python -m tests.scan.adoption_repo /tmp/adopt --models 60 --no-git

The mix (for 300; scaled for other sizes): 40% unknown models in tests/ (tiny random test
models of a few organisations), 17% unknown in examples/, 7% unknown in docs/ notebooks, 3%
unknown in configs, 20% registry models that pass, 7% models whose licence refuses commercial
use (from the registry, then cards under CC BY-NC 4.0), 5% model cards (most declaring MIT,
some fine-tuning a non-commercial model).
Deterministic: the same arguments give the same tree.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
from pathlib import Path

import licencecmp
from licencecmp.vocab import Action

__all__ = ["MIX", "build", "main", "registry_models"]

MIX = (("tests", 0.40), ("examples", 0.17), ("docs", 0.07), ("configs", 0.03), ("pass", 0.20),
       ("refused", 0.07), ("cards", 0.05))
TEST_ORGS = ("hf-internal-testing", "trl-internal-testing", "peft-internal-testing", "acme-ci")
EXAMPLE_ORGS = ("acme-research", "smallco-labs", "lab-x")  # not placeholder names (scan: hub_names.toml)


def registry_models() -> tuple[list[str], list[str]]:
    """(registry models whose licence allows use and commercial use outright, those refusing
    commercial use), each sorted."""
    cat = licencecmp.catalogue()
    ok: list[str] = []
    refused: list[str] = []
    for m in cat.models():
        if m.licence in cat.unavailable or "/" not in m.id:
            continue
        try:
            use = licencecmp.can(m.id, Action.USE)
            commercial = licencecmp.can(m.id, Action.COMMERCIAL_USE)
        except licencecmp.LicencecmpError:
            continue
        if use.verdict.value in ("allowed", "conditional") and commercial.verdict.value in ("allowed", "conditional"):
            ok.append(m.id)
        elif commercial.verdict.value in ("prohibited", "needs-permission"):
            refused.append(m.id)
    return sorted(ok), sorted(refused)


def _counts(n: int) -> dict[str, int]:
    counts = {k: int(n * share) for k, share in MIX}
    counts["tests"] += n - sum(counts.values())
    return counts


def _write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _notebook(model: str) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "execution_count": 1, "outputs": [],
                                  "source": ["from transformers import pipeline\n",
                                             f'pipe = pipeline("text-generation", model="{model}")\n']}],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)


def build(root: Path, n: int = 300, *, git: bool = True) -> dict[str, int]:
    """Write the repository under ``root`` (committed, when ``git``); returns the count of each part."""
    counts = _counts(n)
    ok, refused = registry_models()
    if counts["pass"] > len(ok) or not refused:
        raise SystemExit(f"the registry has {len(ok)} passing and {len(refused)} refusing models; too few")
    root.mkdir(parents=True, exist_ok=True)
    for i in range(counts["tests"]):
        org = TEST_ORGS[i % len(TEST_ORGS)]
        _write(root, f"tests/models/test_model_{i:03d}.py",
               "from transformers import AutoModel\n\n\ndef test_loads() -> None:\n"
               f'    AutoModel.from_pretrained("{org}/tiny-random-model-{i:03d}")\n')
    for i in range(counts["examples"]):
        org = EXAMPLE_ORGS[i % len(EXAMPLE_ORGS)]
        _write(root, f"examples/run_{i:03d}.py",
               f'from transformers import pipeline\n\npipe = pipeline("text-generation", model="{org}/demo-{i:03d}")\n')
    for i in range(counts["docs"]):
        _write(root, f"docs/notebooks/tour_{i:03d}.ipynb", _notebook(f"docs-org/tour-model-{i:03d}"))
    for i in range(counts["configs"]):
        _write(root, f"configs/run_{i:03d}.yaml", f"model_name_or_path: internal-org/config-model-{i:03d}\n"
                                                  "batch_size: 8\n")
    for i, model in enumerate(ok[:counts["pass"]]):
        _write(root, f"src/app/serve_{i:03d}.py",
               f'from huggingface_hub import snapshot_download\n\npath = snapshot_download("{model}")\n')
    for i, model in enumerate(refused[:counts["refused"]]):
        _write(root, f"src/research/nc_{i:03d}.py",
               f'from transformers import AutoModel\n\nmodel = AutoModel.from_pretrained("{model}")\n')
    for i in range(len(refused), counts["refused"]):  # the registry has few: cards under a non-commercial licence
        _write(root, f"models/nc-{i:03d}/README.md", f"---\nlicense: cc-by-nc-4.0\n---\n# Research model {i}\n")
    for i in range(counts["cards"]):
        base = refused[i % len(refused)] if i % 4 == 3 else ok[i % len(ok)]
        _write(root, f"models/finetune-{i:03d}/README.md",
               f"---\nlicense: mit\nbase_model: {base}\n---\n# Fine-tune {i}\n")
    _write(root, "README.md", "# A repository of our own making\n")
    _write(root, "pyproject.toml", '[project]\nname = "adopt"\nversion = "0"\n\n[tool.licencecmp]\n'
                                   'actions = ["use", "commercial-use"]\n')
    if git:
        _git(root, "init", "-q", "-b", "main")
        _git(root, "add", "-A")
        _git(root, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "initial")
    return counts


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", "-C", str(root), *args], check=True, env=env, stdin=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("root", type=Path)
    p.add_argument("--models", type=int, default=300)
    p.add_argument("--no-git", action="store_true")
    a = p.parse_args(argv)
    counts = build(a.root, a.models, git=not a.no_git)
    print(f"wrote {a.root}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
