"""The documentation: generated pages are current, cover every licence and quote, and the site builds.

The pages under docs/ that come from the data (licence pages, comparison, CLI reference, schema,
policy reference) and the README's comparison block are written by `python scripts/build_docs.py`;
these tests fail when the committed files differ from a fresh run.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import LICENCES, ROOT


def _build_docs() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_docs", ROOT / "scripts" / "build_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_docs = _build_docs()


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    pages: dict[str, str] = build_docs.generate(ROOT)
    return pages


def test_generated_pages_are_current(generated: dict[str, str]) -> None:
    bad = build_docs.stale(ROOT, generated)
    assert bad == [], f"stale generated docs: {bad}; run: python scripts/build_docs.py"


def test_a_changed_licence_file_makes_the_pages_stale(tmp_path: Path, generated: dict[str, str]) -> None:
    sources = tmp_path / "licences"
    shutil.copytree(LICENCES, sources)
    path = sources / "mit.toml"
    text = path.read_text(encoding="utf-8")
    edited = text.replace("summary = \"", "summary = \"Edited. ", 1)
    assert edited != text
    path.write_text(edited, encoding="utf-8")
    fresh = build_docs.generate(ROOT, sources=sources)
    bad = build_docs.stale(ROOT, fresh)
    assert "docs/licences/mit.md" in bad
    assert fresh["docs/licences/mit.md"] != generated["docs/licences/mit.md"]


def test_a_removed_licence_leaves_a_stale_page(tmp_path: Path, generated: dict[str, str]) -> None:
    fewer = {k: v for k, v in generated.items() if k != "docs/licences/mit.md"}
    assert "docs/licences/mit.md (no such licence any more)" in build_docs.stale(ROOT, fewer)


def test_every_licence_has_a_page_with_every_quote(generated: dict[str, str]) -> None:
    from licencecmp.data.catalogue import Catalogue
    from licencecmp.render.table import md_text

    cat = Catalogue.from_sources(LICENCES)
    for lic in cat:
        page = generated[f"docs/licences/{lic.id}.md"]
        for ev in lic.all_evidence():
            assert md_text(ev.quote) in page, (lic.id, ev.section)
        for action in lic.actions:
            assert f"### {action.value}: " in page
        assert f"[{lic.id}]({lic.id}.md)" in generated["docs/licences/index.md"]


def test_cli_reference_covers_every_command(generated: dict[str, str]) -> None:
    import typer

    from licencecmp.cli import app

    root: Any = typer.main.get_command(app)
    ctx = root.context_class(root, info_name="licencecmp")
    page = generated["docs/cli.md"]
    for name in root.list_commands(ctx):
        assert f"## `licencecmp {name}`" in page


def test_readme_block_is_a_real_comparison_table(generated: dict[str, str]) -> None:
    readme = generated["README.md"]
    start = readme.index(build_docs.README_START)
    end = readme.index(build_docs.README_END)
    block = readme[start:end]
    assert start < 2000, "the comparison table belongs near the top of the README"
    assert "`licencecmp compare " in block and "| licence " in block and "Scenario: " in block
    for name in build_docs.README_IDS:
        assert f"| {name}" in block


@pytest.mark.slow
def test_mkdocs_build_strict(tmp_path: Path) -> None:
    if importlib.util.find_spec("mkdocs") is None:
        pytest.skip("mkdocs is not installed (pip install -e '.[docs]'); scripts/test.sh builds the site")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(tmp_path / "site")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert (tmp_path / "site" / "licences" / "llama-3.1" / "index.html").is_file() or not (
        LICENCES / "llama-3.1.toml").exists()
    assert (tmp_path / "site" / "comparison.html").is_file()
    api = (tmp_path / "site" / "api" / "index.html").read_text(encoding="utf-8")
    assert "make_scenario" in api and "Comparison" in api  # rendered from the docstrings
