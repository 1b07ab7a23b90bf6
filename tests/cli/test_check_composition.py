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


def test_a_large_json_report_written_in_pieces_is_the_same_on_stdout_and_in_a_file(cli: Cli, tmp_path: Path) -> None:
    """Issue 26: ``check --format json`` writes the report as it is encoded (to stdout, or to ``-o FILE``
    atomically): both hold the text ``render_report`` builds whole, past the size where it is compact."""
    from licencecmp.render.report import PRETTY_JSON_MAX

    root = tmp_path / "repo"
    root.mkdir()
    for i in range(1500):  # 1,500 skipped binary files: a report past the indented size
        (root / f"blob_{i:04d}_{'x' * 200}.bin").write_bytes(b"\0\1\2" * 10)
    (root / "app.py").write_text('m = AutoModel.from_pretrained("mistralai/Mistral-7B-v0.1")\n')
    code, out, _ = cli("check", str(root), "--format", "json", "--no-progress")
    target = tmp_path / "report.json"
    code2, _, _ = cli("check", str(root), "--format", "json", "--no-progress", "-o", str(target))
    written = target.read_text(encoding="utf-8")
    assert code == code2 and len(out) > PRETTY_JSON_MAX and "\n" not in out.rstrip("\n")

    def without_time(text: str) -> Any:
        data = json.loads(text)
        data["summary"].pop("seconds")
        return data

    assert without_time(out) == without_time(written)
    report = inventory.check_path(root)
    assert without_time(render_report(report, "json")) == without_time(out)
    assert len(json.loads(out)["skipped"]) == 1500
