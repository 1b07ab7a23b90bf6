"""Fuzz: the repository scan behind ``licencecmp check`` and ``licencecmp sbom``.

Generated trees: files of every kind the scanner reads (code, configuration, model cards, SBOMs,
policies, .gitignore) with generated or mutated content, binary files, odd names, and symlinks
(loops, to the root, out of the tree, dangling). The scan returns a result that accounts for every
file (scanned, skipped with a reason, or a problem) and never follows a link out of the tree;
``check`` keeps the CLI contract.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.errors import LicencecmpError
from licencecmp.scan import refs

from ._support import TOKENS, fuzz_settings, mutated, outcome, run_cli, scratch

SEEDS = {
    ".py": b'import x\nm = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B")\n',
    ".yaml": b"model: meta-llama/Llama-3.1-8B\nother: Qwen/Qwen2.5-7B-Instruct\n",
    ".json": b'{"model": "meta-llama/Llama-3.1-8B", "bomFormat": "CycloneDX", "components": []}\n',
    ".md": b"---\nlicense: llama3.1\nbase_model: meta-llama/Llama-3.1-8B\n---\n# card\n",
    ".spdx.json": b'{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "packages": []}',
    ".toml": b'actions = ["use"]\n',
    ".gitignore": b"*.log\n!keep.log\nbuild/\n[\n\\\n[X-2]\n!\n[[x]\n",
}
NAMES = ["README.md", "app.py", "model.yaml", "bom.spdx.json", "bom.cdx.json", "licencecmp.toml", "pyproject.toml",
         ".gitignore", "a b.py", "ünï.py", "x.bin", "-rf.py", ".hidden.py", "CON.py", "x.sarif", "notes.txt"]
DIRS = ["", "src/", "src/deep/er/", "build/", ".git/", "node_modules/", "-/"]

content = st.one_of(
    st.sampled_from(sorted(SEEDS)).flatmap(lambda k: mutated(SEEDS[k])),
    st.binary(max_size=2000),
    st.sampled_from(TOKENS).map(lambda t: t * 100),
    st.sampled_from(sorted(SEEDS)).map(lambda k: SEEDS[k]),
)
entries = st.lists(st.tuples(st.sampled_from(DIRS), st.sampled_from(NAMES), content), max_size=12)
links = st.lists(st.tuples(st.sampled_from(DIRS[:3]), st.sampled_from(["loop", "self", "up", "root", "out", "dangling",
                                                                        "to-file", "to-dir"])), max_size=4)


def _build(root: Path, files: list[tuple[str, str, bytes]], symlinks: list[tuple[str, str]]) -> None:
    for folder, name, data in files:
        path = root / folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            continue
        path.write_bytes(data)
    targets = {"loop": "loop", "self": ".", "up": "..", "root": "/", "out": str(root.parent), "dangling": "nowhere",
               "to-file": "app.py", "to-dir": "src"}
    for i, (folder, kind) in enumerate(symlinks):
        where = root / folder / f"link{i}"
        where.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            os.symlink(where.name if kind == "loop" else targets[kind], where)


@fuzz_settings(0.6)
@given(entries, links)
def test_scan_accounts_for_every_file_and_stays_in_the_tree(files: list[tuple[str, str, bytes]],
                                                            symlinks: list[tuple[str, str]]) -> None:
    with scratch() as d:
        root = d / "repo"
        root.mkdir()
        (d / "outside.py").write_text('m = "meta-llama/Llama-3.1-8B"\n')  # found only if a link is followed
        _build(root, files, symlinks)
        res = outcome(lambda: refs.scan(root))
        assert not isinstance(res, LicencecmpError), res
        for f in res.found:
            assert not f.path.startswith("..") and not os.path.isabs(f.path), f
            assert "outside.py" not in f.path
        assert res.files_scanned >= 0 and res.bytes_scanned >= 0


@fuzz_settings(0.4)
@given(entries, links, st.sampled_from(["text", "json", "sarif", "junit", "github", "markdown"]),
       st.booleans())
def test_check_on_a_generated_tree(files: list[tuple[str, str, bytes]], symlinks: list[tuple[str, str]],
                                   fmt: str, obligations_only: bool) -> None:
    with scratch() as d:
        root = d / "repo"
        root.mkdir()
        _build(root, files, symlinks)
        args = ["check", "repo", "--format", fmt, "--no-progress"]
        if obligations_only:
            args.append("--obligations-only")
        run_cli(args, d)
        run_cli(["check", "repo", "--format", "json", "--output", "report.json", "--no-progress"], d)
        assert not (root / "report.json").exists()
