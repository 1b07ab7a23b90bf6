"""A model whose registry licence has no available text (licences/_unavailable.toml) is an
`unknown-licence` finding that fails the check, reported by name; never an input error, never a pass."""

from __future__ import annotations

import json
from pathlib import Path

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
