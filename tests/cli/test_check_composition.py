"""``licencecmp check`` and ``licencecmp.check`` are one composition: both run scan.inventory.check_path,
and so give the same report."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import licencecmp
import licencecmp.scan.inventory as inventory
from licencecmp.render.report import render_report
from tests.conftest import Cli


def test_the_cli_and_the_api_check_through_one_function(cli: Cli, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "app.py").write_text('MODEL = "meta-llama/Llama-3.1-8B"\n', encoding="utf-8")
    (tmp_path / "licencecmp.toml").write_text('actions = ["serve"]\nmau = 1000\n', encoding="utf-8")
    calls: list[dict[str, Any]] = []
    real = inventory.check_path

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return real(*args, **kwargs)

    monkeypatch.setattr(inventory, "check_path", spy)
    report = licencecmp.check(tmp_path)
    code, out, _ = cli("check", str(tmp_path), "--format", "json", "--no-progress")
    assert len(calls) == 2
    assert code == int(report.exit_code) == 0
    assert _untimed(json.loads(out)) == _untimed(json.loads(render_report(report, "json")))


def _untimed(value: Any) -> Any:
    """The report without its timings (the two runs take different times)."""
    if isinstance(value, dict):
        return {k: _untimed(v) for k, v in value.items() if not k.endswith("seconds")}
    if isinstance(value, list):
        return [_untimed(v) for v in value]
    return value
