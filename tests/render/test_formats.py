"""The report formats are listed once (render/formats.py): the renderer, the CLI's choices,
--obligations-only, the GitHub Action and the docs follow that list."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

import licencecmp.api
import licencecmp.cli
from licencecmp.errors import FormatError
from licencecmp.render.formats import CHECKLIST_FORMATS, REPORT_FORMATS, report_format
from licencecmp.render.report import render_report
from licencecmp.scan.check import CheckReport

ROOT = Path(__file__).resolve().parents[2]
NAMES = [f.name for f in REPORT_FORMATS]


def test_every_format_renders_and_an_unknown_one_is_refused(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text('MODEL = "meta-llama/Llama-3.1-8B-Instruct"\n', encoding="utf-8")
    report: CheckReport = licencecmp.api.check(tmp_path)
    for name in NAMES:
        assert isinstance(render_report(report, name), str)
        if name in CHECKLIST_FORMATS:
            assert isinstance(render_report(report, name, obligations_only=True), str)
        else:
            with pytest.raises(FormatError):
                render_report(report, name, obligations_only=True)
    with pytest.raises(FormatError, match="brief"):
        report_format("nope")


def test_the_cli_choices_are_the_list() -> None:
    command = typer.main.get_command(licencecmp.cli.app)
    check = command.commands["check"]  # type: ignore[attr-defined]
    fmt = next(p for p in check.params if p.name == "format")
    assert list(fmt.type.choices) == NAMES
    only = next(p for p in check.params if p.name == "obligations_only")
    assert all(name in (only.help or "") for name in CHECKLIST_FORMATS)


def test_the_action_and_the_docs_list_every_format() -> None:
    action: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    described = action["inputs"]["format"]["description"]
    page = (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
    row = next(line for line in page.splitlines() if line.startswith("| `format` |"))
    cli = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in NAMES:
        assert name in described and f"`{name}`" in row, name
    assert "<" + "|".join(NAMES) + ">" in cli
    spec = importlib.util.spec_from_file_location("github_action", ROOT / "scripts" / "github_action.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("github_action", module)
    spec.loader.exec_module(module)
    assert list(module.SUFFIX) == NAMES
