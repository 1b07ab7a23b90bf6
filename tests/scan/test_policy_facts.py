"""The policy states every scenario fact the command line takes, and its licence entries take every
form a command takes (id, alias, SPDX expression, registry model id with its upstream licences)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli


def _repo(tmp_path: Path, policy: str, code: str) -> Path:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "licencecmp.toml").write_text(policy, encoding="utf-8")
    (repo / "app.py").write_text(code, encoding="utf-8")
    return repo


def test_research_only_licence_fails_for_a_commercial_purpose_stated_in_the_policy(tmp_path: Path, cli: Cli) -> None:
    repo = _repo(tmp_path, 'actions = ["use"]\npurpose = ["commercial"]\n'
                 '[[models]]\nid = "acme/internal"\nlicence = "qwen-research"\n', "")
    code, out, _ = cli("check", str(repo), "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["scenario"]["purpose"] == ["commercial"]
    verdicts = {r["action"]: r["verdict"] for m in data["models"] for r in m["results"]}
    assert verdicts["use"] in ("needs-permission", "prohibited")


def test_research_purpose_passes_the_same_licence(tmp_path: Path, cli: Cli) -> None:
    repo = _repo(tmp_path, 'actions = ["use"]\npurpose = ["research"]\n'
                 '[[models]]\nid = "acme/internal"\nlicence = "qwen-research"\n', "")
    code, _, _ = cli("check", str(repo), "--format", "json")
    assert code == 0


def test_a_model_id_as_licence_brings_its_upstream_licences(tmp_path: Path, cli: Cli) -> None:
    repo = _repo(tmp_path, 'actions = ["commercial-use"]\norg_mau = 800_000_000\n'
                 '[[models]]\nid = "acme/distill"\nlicence = "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"\n', "")
    code, out, _ = cli("check", str(repo), "--format", "json")
    data = json.loads(out)
    model = next(m for m in data["models"] if m["model"] == "acme/distill")
    assert "llama-3.1" in json.dumps(model)
    assert code == 1


def test_an_impossible_organisation_figure_is_an_input_error(tmp_path: Path, cli: Cli) -> None:
    repo = _repo(tmp_path, 'mau = 5_000_000\norg_mau = 10\n', "")
    code, _, err = cli("check", str(repo))
    assert code == 2 and err.count("\n") == 1 and "org" in err
