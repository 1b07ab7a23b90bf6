"""Aliases and the model registry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import licencecmp
from licencecmp import Verdict
from licencecmp.data.catalogue import Catalogue
from licencecmp.errors import AmbiguousAliasError, LicenceNotInCatalogueError, UnknownModelError
from tests.conftest import Cli

CAT = licencecmp.catalogue()


def test_every_licence_answers_to_all_its_names() -> None:
    for lic in CAT:
        names = [lic.id, lic.spdx, *lic.aliases]
        if lic.scancode_key:
            names += [lic.scancode_key, f"LicenseRef-scancode-{lic.scancode_key}"]
        for name in names:
            assert CAT.get(name).id == lic.id, name
            assert CAT.get(name.upper()).id == lic.id, name


def test_hugging_face_ids_resolve(texts_dir: Path) -> None:
    hf = (texts_dir.parent / "hf-licence-ids.txt").read_text(encoding="utf-8").splitlines()
    ids = {line.split("\t")[0] for line in hf if line and not line.startswith("#")}
    expected = {"llama2": "llama-2", "llama3": "llama-3", "llama3.1": "llama-3.1", "llama3.2": "llama-3.2",
                "llama3.3": "llama-3.3", "llama4": "llama-4", "gemma": "gemma", "apache-2.0": "apache-2.0",
                "mit": "mit", "cc-by-nc-4.0": "cc-by-nc-4.0", "bigscience-openrail-m": "bigscience-openrail-m",
                "creativeml-openrail-m": "creativeml-openrail-m",
                "bigscience-bloom-rail-1.0": "bigscience-bloom-rail-1.0", "bigcode-openrail-m": "bigcode-openrail-m"}
    assert set(expected) <= ids
    for hf_id, lid in expected.items():
        assert CAT.get(hf_id).id == lid


def test_scancode_keys_we_claim_exist(texts_dir: Path) -> None:
    rows = (texts_dir.parent / "scancode-ai-licence-keys.txt").read_text(encoding="utf-8").splitlines()
    keys = {r.split("\t")[0]: r.split("\t")[1] for r in rows if r and not r.startswith("#")}
    # Newer keys than the list: those whose ScanCode record SOURCES.md names as a text's source.
    sources = (texts_dir / "SOURCES.md").read_text(encoding="utf-8")
    for key in __import__("re").findall(r"src/licensedcode/data/licenses/([a-z0-9.\-]+)\.LICENSE", sources):
        keys.setdefault(key, f"LicenseRef-scancode-{key}")
    for lic in CAT:
        if lic.scancode_key and lic.spdx.startswith("LicenseRef-scancode-"):  # AI-model keys
            assert lic.scancode_key in keys, lic.id
            assert lic.spdx == keys[lic.scancode_key], lic.id


def test_an_alias_claimed_twice_is_an_error_naming_both() -> None:
    raw = {lid: CAT.licence(lid).model_dump(mode="json") for lid in ("mit", "apache-2.0")}
    raw["mit"]["aliases"] = ["permissive-thing"]
    raw["apache-2.0"]["aliases"] = ["permissive-thing"]
    cat = Catalogue(raw, [], CAT._raw_territories)
    with pytest.raises(AmbiguousAliasError) as info:
        cat.get("Permissive-Thing")
    assert "mit" in str(info.value) and "apache-2.0" in str(info.value)
    assert isinstance(info.value, KeyError)


def test_registry_is_large_and_every_entry_resolves() -> None:
    models = CAT.models()
    assert len(models) >= 80
    for m in models:
        named = {m.licence, *CAT.upstream_licence_ids(m)} & set(CAT.unavailable)
        if named:  # its own or an upstream licence has no available text: reported by name, never passed
            with pytest.raises(LicenceNotInCatalogueError) as info:
                CAT.resolve(m.id)
            assert info.value.name in named
            continue
        r = CAT.resolve(m.id)
        assert r.model is not None and r.licence.id == m.licence
        assert CAT.resolve(m.id.lower()).model == r.model


def test_distill_inherits_upstream_licence() -> None:
    d = licencecmp.can("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "commercial-use", mau=800_000_000)
    assert d.verdict is Verdict.NEEDS_PERMISSION
    assert d.licence == "mit" and d.model == "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"
    assert "llama-3.1" in d.upstream
    assert {o.licence for o in d.obligations} >= {"llama-3.1"}


def test_model_modality_feeds_the_scenario() -> None:
    d = licencecmp.can("meta-llama/Llama-3.2-11B-Vision-Instruct", "use", region="FR")
    assert d.verdict is Verdict.PROHIBITED and d.scenario.modality == "multimodal"
    assert any("not being granted" in e.quote for e in d.evidence)
    text_model = licencecmp.can("meta-llama/Llama-3.2-3B-Instruct", "use", region="FR")
    assert text_model.verdict.permits


def test_hunyuan_outside_territory() -> None:
    assert licencecmp.can("hunyuan", "use", region="DE").verdict is Verdict.PROHIBITED
    assert licencecmp.can("hunyuan", "use", region="GB").verdict is Verdict.PROHIBITED
    assert licencecmp.can("hunyuan", "use", region="US").verdict.permits


def test_release_specific_entries() -> None:
    assert CAT.model("deepseek-ai/DeepSeek-V3").licence == "deepseek-1.0"
    assert CAT.model("deepseek-ai/DeepSeek-V3-0324").licence == "mit"
    assert CAT.model("Qwen/Qwen2.5-72B-Instruct").licence == "qwen"
    assert CAT.model("Qwen/Qwen2.5-3B-Instruct").licence == "qwen-research"
    assert CAT.model("Qwen/Qwen2.5-7B-Instruct").licence == "apache-2.0"


def test_unknown_model_suggests_nearest() -> None:
    # (a name inside a family, "meta-llama/Llama-3.1-...", is answered by the family rule instead)
    with pytest.raises(UnknownModelError) as info:
        CAT.resolve("meta-llama/Lama-3.1-8B-Instruct")
    assert "meta-llama/Llama-3.1-8B-Instruct" in info.value.suggestions


def test_models_cli(cli: Cli) -> None:
    _, out, _ = cli("models", "--licence", "llama3.1", "--format", "json")
    data = json.loads(out)
    assert data["models"] and all(m["licence"] == "llama-3.1" for m in data["models"])
