"""A model whose registry licence has no available text (licences/_unavailable.toml) is an
`unknown-licence` finding that fails the check, reported by name; never an input error, never a pass."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import licencecmp
from tests.conftest import Cli


def test_a_model_under_a_licence_without_text_fails_as_unknown(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "app.py").write_text('m = AutoModel.from_pretrained("tiiuae/falcon-180B")\n', encoding="utf-8")
    code, out, err = cli("check", str(tmp_path), "--format", "json")
    assert code == 1, err
    data = json.loads(out)
    (model,) = data["models"]
    assert model["model"] == "tiiuae/falcon-180B" and model["licences"] == []
    findings = [f for f in data["findings"] if f["rule"] == "unknown-licence"]
    assert findings and "falcon-180b" in findings[0]["message"] and "not in the catalogue" in findings[0]["message"]


def test_resolve_names_the_licence_and_why(tmp_path: Path) -> None:
    r = licencecmp.resolve("tiiuae/falcon-180B")
    assert r.source == "unknown" and not r.known
    assert r.reason is not None and "falcon-180b" in r.reason


UNAVAILABLE = licencecmp.catalogue().unavailable
UNDER_UNAVAILABLE = sorted((m.id, m.licence) for m in licencecmp.catalogue().models() if m.licence in UNAVAILABLE)


def test_every_model_under_a_licence_without_text_is_reported_by_that_licence(cli: Cli) -> None:
    # every such registry entry (Falcon-180B, Falcon-H1, SkyReels-V2, Jamba, HyperCLOVA X SEED, ...): `can` names
    # the licence and exits 2 for every action, never 0
    assert len({lic for _, lic in UNDER_UNAVAILABLE}) >= 5
    for model, lic in UNDER_UNAVAILABLE:
        for action in ("use", "commercial-use", "serve"):
            code, out, err = cli("can", model, action)
            assert code == 2 and not out, (model, action, out)
            assert lic in err and UNAVAILABLE[lic]["title"] in err and "not in the catalogue" in err, (model, err)


CARD = "---\nlicense: apache-2.0\nbase_model: {base}\n---\n# A fine-tune\n"


def test_a_card_whose_base_model_has_no_licence_text_is_a_finding(tmp_path: Path, cli: Cli) -> None:
    """Issue 22: a card whose base_model is a registry model under a licence without a text aborted
    `check` with exit 2 and no report, even with unknown = "warn"."""
    (tmp_path / "ft").mkdir()
    (tmp_path / "ft" / "README.md").write_text(CARD.format(base="tiiuae/falcon-180B"), encoding="utf-8")
    code, out, err = cli("check", str(tmp_path), "--format", "json", "--no-progress")
    assert code == 1, err
    data = json.loads(out)
    (model,) = data["models"]
    assert model["status"] == "fail" and all(r["status"] == "fail" for r in model["results"])
    (finding,) = [f for f in data["findings"] if f["rule"] == "unknown-licence"]
    assert finding["level"] == "error" and "falcon-180b" in finding["message"]
    (tmp_path / "licencecmp.toml").write_text('unknown = "warn"\n', encoding="utf-8")
    code, out, err = cli("check", str(tmp_path), "--format", "json", "--no-progress")
    data = json.loads(out)
    assert code == 0, err
    assert data["models"][0]["status"] == "warn"
    assert [f["level"] for f in data["findings"] if f["rule"] == "unknown-licence"] == ["warning"]


def test_every_base_model_under_a_licence_without_text_yields_a_finding(tmp_path: Path, cli: Cli) -> None:
    for i, (model, _) in enumerate(UNDER_UNAVAILABLE):
        (tmp_path / f"m{i}").mkdir()
        (tmp_path / f"m{i}" / "README.md").write_text(CARD.format(base=model), encoding="utf-8")
    code, out, err = cli("check", str(tmp_path), "--format", "json", "--no-progress")
    assert code == 1, err
    data = json.loads(out)
    cards = [m for m in data["models"] if m["model"].startswith("m")]
    assert len(cards) == len(UNDER_UNAVAILABLE) and all(m["status"] == "fail" for m in cards)


def test_an_error_while_judging_one_model_is_a_finding_not_an_abort(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import licencecmp.reasoning.expression as expression
    from licencecmp.errors import LicenceNotInCatalogueError
    from licencecmp.scan.check import run_check
    from licencecmp.scan.policy import Policy

    def refuse(*args: object, **kwargs: object) -> None:
        raise LicenceNotInCatalogueError("x-licence", "X Licence", "no text")

    (tmp_path / "app.py").write_text('m = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B")\n', encoding="utf-8")
    monkeypatch.setattr(expression, "decide_name", refuse)
    report = run_check(tmp_path, Policy())
    assert report.exit_code == 1 and report.models[0].status == "fail"
    assert [f.rule for f in report.failing] == ["unknown-licence"]
    report = run_check(tmp_path, Policy(unknown="warn"))
    assert report.exit_code == 0 and report.models[0].status == "warn"
