"""A model whose registry licence has no available text (licences/_unavailable.toml) is an
`unknown-licence` finding that fails the check, reported by name; never an input error, never a pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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


def _unavailable_upstream(model_id: str) -> set[str]:
    """The licences without an available text that bind a registry model through its upstream models
    (read from the data, walking `upstream` transitively; the model's own licence left out)."""
    cat = licencecmp.catalogue()
    found: set[str] = set()
    seen: set[str] = set()
    stack = list(cat.model(model_id).upstream)
    while stack:
        mid = stack.pop()
        if mid in seen:
            continue
        seen.add(mid)
        up = cat.model(mid)
        if up.licence in UNAVAILABLE:
            found.add(up.licence)
        stack.extend(up.upstream)
    return found


UPSTREAM_UNAVAILABLE = sorted((m.id, lic) for m in licencecmp.catalogue().models() if m.licence not in UNAVAILABLE
                              for lic in _unavailable_upstream(m.id))


def test_every_model_whose_upstream_has_no_licence_text_fails_by_that_licence_name(tmp_path: Path, cli: Cli) -> None:
    """A model whose own licence is encoded (a card's MIT, say) but whose upstream model is under a licence
    the catalogue names without a text (BLIP-2 OPT and the OPT licence): every verdict fails and names that
    licence; none passes on the model's own licence."""
    assert UPSTREAM_UNAVAILABLE, "the registry names at least one such model"
    for model, lic in UPSTREAM_UNAVAILABLE:
        title = UNAVAILABLE[lic]["title"]
        for action in ("use", "commercial-use", "serve"):
            code, out, err = cli("can", model, action)
            assert code == 2 and not out, (model, action, out)
            assert lic in err and title in err and "not in the catalogue" in err, (model, err)
        r = licencecmp.resolve(model)
        assert not r.known and r.licence is None and r.reason is not None and lic in r.reason, (model, r)
    for i, (model, _) in enumerate(UPSTREAM_UNAVAILABLE):
        (tmp_path / f"app{i}.py").write_text(f'm = AutoModel.from_pretrained("{model}")\n', encoding="utf-8")
    code, out, err = cli("check", str(tmp_path), "--format", "json", "--no-progress")
    assert code == 1, err
    data = json.loads(out)
    by_model = {m["model"]: m for m in data["models"]}
    messages = [f["message"] for f in data["findings"] if f["rule"] == "unknown-licence" and f["level"] == "error"]
    for model, lic in UPSTREAM_UNAVAILABLE:
        assert by_model[model]["status"] == "fail" and by_model[model]["licences"] == [], model
        assert any(model in msg and lic in msg for msg in messages), (model, messages)


def _coverage_measure() -> Any:
    """benchmarks/models/coverage_measure.py, loaded as a module (it is a script, not a package)."""
    import importlib.util

    script = Path(__file__).resolve().parents[2] / "benchmarks" / "models" / "coverage_measure.py"
    spec = importlib.util.spec_from_file_location("coverage_measure", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_coverage_measure_counts_a_named_but_unencoded_licence_apart() -> None:
    """benchmarks/models/coverage_measure.py: a model resolved to a licence the catalogue names but has
    not encoded is its own row, never counted as resolved (nor as wrong when the list names that licence)."""
    module = _coverage_measure()
    own = [m for m, _ in UNDER_UNAVAILABLE][:1]
    upstream = [m for m, _ in UPSTREAM_UNAVAILABLE][:1]
    encoded = [m.id for m in licencecmp.catalogue().models() if m.licence not in UNAVAILABLE
               and not _unavailable_upstream(m.id)][:1]
    assert own and upstream and encoded
    cat = licencecmp.catalogue()
    rows = [{"id": mid, "canonical": cat.model(mid).licence, "id_source": "MTEB"} for mid in own + upstream + encoded]
    figures = module.measure(rows)
    assert figures["resolved"] == 1 and figures["named_not_encoded"] == 2 and figures["wrong"] == 0
    assert figures["named_not_encoded_wrong"] == 0
    assert {r["id"] for r in figures["named_not_encoded_ids"]} == set(own + upstream)
    assert not figures["unresolved_ids"]


def test_the_coverage_measure_counts_a_reupload_of_a_model_under_a_named_licence_as_named() -> None:
    """coverage_measure.py: a re-upload that inference takes to be a build of a registry model under a licence
    the catalogue names but has not encoded (RedHatAI/Kimi-K3-NVFP4 of moonshotai/Kimi-K3) is counted as named,
    not encoded, by that licence, like the model itself; it was counted as unresolved."""
    module = _coverage_measure()
    picked: list[tuple[str, str, str]] = []
    for models in (UNDER_UNAVAILABLE, UPSTREAM_UNAVAILABLE):  # the model's own licence, then an upstream's
        for model, lic in models:
            build = f"someone-else/{model.partition('/')[2]}-GGUF"
            r = licencecmp.resolve(build)
            if r.inferred_from == model and r.licence is None:
                picked.append((build, model, lic))
                break
    assert len(picked) == 2, "a build of a model under such a licence, and of one whose upstream is"
    rows = [{"id": build, "canonical": lic, "id_source": "unsloth (x)", "licence_source": "r"}
            for build, _, lic in picked]
    figures = module.measure(rows)
    assert figures["named_not_encoded"] == len(picked) and figures["named_not_encoded_wrong"] == 0
    assert not figures["unresolved_ids"] and not figures["not_encoded_ids"] and figures["resolved"] == 0
    for got, (build, model, lic) in zip(figures["named_not_encoded_ids"], picked, strict=True):
        assert got["id"] == build and got["got"] == lic and f"inferred from {model}" in got["source"]


@pytest.mark.parametrize("fmt", ["spdx-json", "spdx-tv", "cyclonedx-json", "spdx3-json"])
def test_an_sbom_names_a_base_models_licence_without_text(tmp_path: Path, cli: Cli, fmt: str) -> None:
    """`sbom` aborted ("unknown licence or model ...", exit 2) when a card's base model, or that base
    model's upstream, is a registry model under a licence without a text; it now writes the SBOM and names
    the licence (a LicenseRef with its title, or the title)."""
    direct = UNDER_UNAVAILABLE[:2]
    through = UPSTREAM_UNAVAILABLE[:2]
    for i, (model, _) in enumerate(direct + through):
        (tmp_path / f"m{i}").mkdir()
        (tmp_path / f"m{i}" / "README.md").write_text(CARD.format(base=model), encoding="utf-8")
    code, out, err = cli("sbom", str(tmp_path), "--format", fmt)
    assert code == 0, err
    # SPDX 2.3 lists a card's base models one level deep; CycloneDX and SPDX 3 follow their upstream too
    named = direct if fmt.startswith("spdx-") else direct + through
    for model, _ in direct + through:
        assert model.partition("/")[2] in out, (model, fmt)
    for _, lic in named:
        if not fmt.startswith("spdx3"):  # SPDX 3 writes the LicenseRef alone
            assert UNAVAILABLE[lic]["title"] in out, (lic, fmt)
        assert fmt.startswith("cyclonedx") or f"LicenseRef-{lic}" in out, (lic, fmt)


def test_the_coverage_measure_reads_several_lists_and_counts_an_unread_licence_apart(tmp_path: Path) -> None:
    """coverage_measure.py: an id in two lists (in any case) is measured once, in the first; a row whose card
    licence the list could not establish (canonical `?`) stays in the total, never resolved nor wrong."""
    module = _coverage_measure()
    known = next(m for m in licencecmp.catalogue().models() if m.licence not in UNAVAILABLE
                 and not _unavailable_upstream(m.id))
    head = "id,card_licence,canonical,id_source,licence_source,read\n"
    (tmp_path / "a.csv").write_text(head + f"{known.id},x,{known.licence},one (a),r,d\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(head + f"{known.id.upper()},x,{known.licence},two (b),r,d\n"
                                    f"{known.id},x,?,two (b),card not read,d\n", encoding="utf-8")
    lists, dropped = module.read_lists([tmp_path / "a.csv", tmp_path / "b.csv"])
    assert [len(rows) for rows in lists.values()] == [1, 0] and dropped == {"a.csv": 0, "b.csv": 2}
    rows = [{"id": known.id, "canonical": "?", "id_source": "two (b)", "licence_source": "card not read"}]
    figures = module.measure(rows)
    assert figures["ids"] == 1 and figures["resolved"] == 0 and figures["wrong"] == 0
    assert figures["licence_not_established"] == 1 and not figures["unresolved_ids"]
    assert figures["by_id_source"] == {"two": {"ids": 1, "not_established": 1}}


def test_the_coverage_measure_counts_a_transcription_only_row_apart() -> None:
    """coverage_measure.py: a row whose licence is only a third party's transcription (licence_source says
    `card not read:`) is neither resolved nor wrong nor unresolved, whether licencecmp answers for it or not;
    the share counting transcriptions takes an agreeing answer as resolved."""
    module = _coverage_measure()
    known = next(m for m in licencecmp.catalogue().models() if m.licence not in UNAVAILABLE
                 and not _unavailable_upstream(m.id))
    src = "MTEB (x); card not read: searched"
    rows = [{"id": known.id, "canonical": known.licence, "id_source": "MTEB (a)", "licence_source": src},
            {"id": "nobody-knows/this-model-xyz", "canonical": "mit", "id_source": "MTEB (a)", "licence_source": src},
            {"id": known.id, "canonical": known.licence, "id_source": "MTEB (a)", "licence_source": "the card"}]
    figures = module.measure(rows)
    assert figures["transcription_only"] == 2 and figures["transcription_only_answered"] == 1
    assert figures["resolved"] == 1 and figures["wrong"] == 0 and not figures["unresolved_ids"]
    assert figures["resolved_share_of_established"] == 1.0
    assert figures["resolved_share_counting_transcriptions"] == round(2 / 3, 4)
