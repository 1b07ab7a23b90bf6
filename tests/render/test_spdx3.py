"""SPDX 3.0.1 with the AI profile (`licencecmp sbom --format spdx3-json`): a document that the SPDX
project's own bindings (spdx-python-model, generated from the 3.0.1 SHACL model) read back and
re-encode without a type, value or cardinality error, with the same models and lineage as the
CycloneDX ML-BOM of the same tree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import licencecmp
from licencecmp.render.spdx3 import SPDX3_CONTEXT
from tests.fixtures.check.support import gemma_card_repo

from ..conftest import Cli

DISTILL = "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"
LLAMA = "meta-llama/Llama-3.1-8B"


def repo(tmp_path: Path, *models: str) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "app.py").write_text("".join(f'M{i} = "{m}"\n' for i, m in enumerate(models)), encoding="utf-8")
    return tmp_path


def strict_load(text: str) -> Any:
    """Read the document with the SPDX 3.0.1 bindings and encode it again: every property's type,
    every enumerated value and every min/max cardinality of the model is checked."""
    import spdx_python_model
    from spdx_python_model import v3_0_1 as s

    model, objset = spdx_python_model.load_data(json.loads(text))
    assert model is s
    again = s.JSONLDSerializer().serialize_data(objset, force_at_graph=True)
    assert again == json.loads(text)
    return objset


def graph(text: str) -> dict[str, dict[str, Any]]:
    data = json.loads(text)
    assert data["@context"] == SPDX3_CONTEXT
    return {n.get("spdxId", n.get("@id")): n for n in data["@graph"]}


def cyclonedx_lineage(bom: dict[str, Any]) -> tuple[set[str], set[tuple[str, str]]]:
    models: set[str] = set()
    edges: set[tuple[str, str]] = set()

    def walk(comp: dict[str, Any]) -> str:
        name = f"{comp['group']}/{comp['name']}" if comp.get("group") else comp["name"]
        models.add(name)
        for anc in (comp.get("pedigree") or {}).get("ancestors", []):
            edges.add((name, walk(anc)))
        return name

    for comp in bom.get("components", []):
        walk(comp)
    return models, edges


def spdx3_lineage(nodes: dict[str, dict[str, Any]]) -> tuple[set[str], set[tuple[str, str]]]:
    models = {n["name"] for n in nodes.values() if n["type"] == "ai_AIPackage"}
    edges = {(nodes[n["from"]]["name"], nodes[t]["name"]) for n in nodes.values()
             if n["type"] == "Relationship" and n["relationshipType"] == "descendantOf" for t in n["to"]}
    return models, edges


def test_ai_packages_with_licences_supplier_and_lineage(tmp_path: Path, cli: Cli) -> None:
    code, out, err = cli("sbom", str(repo(tmp_path, DISTILL, LLAMA)), "--format", "spdx3-json")
    assert code == 0, err
    strict_load(out)
    nodes = graph(out)
    by_name = {n["name"]: n for n in nodes.values() if n["type"] == "ai_AIPackage"}
    assert {DISTILL, LLAMA} <= set(by_name)
    llama = by_name[LLAMA]
    entry = licencecmp.catalogue().model(LLAMA)
    assert llama["software_primaryPurpose"] == "model"
    assert llama["software_packageUrl"] == f"pkg:huggingface/{LLAMA}"
    assert llama["software_downloadLocation"] == f"https://huggingface.co/{LLAMA}"
    assert nodes[llama["suppliedBy"]] == {**nodes[llama["suppliedBy"]], "type": "Organization", "name": "meta-llama"}
    assert llama["ai_domain"] == [entry.modality.value]
    if entry.task:
        assert llama["ai_typeOfModel"] == [entry.task]
    rels = [n for n in nodes.values() if n["type"] == "Relationship" and n["from"] == llama["spdxId"]]
    kinds = {r["relationshipType"]: r["to"] for r in rels}
    declared = nodes[kinds["hasDeclaredLicense"][0]]
    lic = licencecmp.get("llama-3.1")
    assert declared["simplelicensing_licenseExpression"] == lic.spdx
    assert {"type": "DictionaryEntry", "key": lic.spdx, "value": lic.url} in declared["simplelicensing_customIdToUri"]
    assert kinds["hasConcludedLicense"] == ["expandedlicensing_NoAssertionLicense"]
    distill = by_name[DISTILL]
    up = [n for n in nodes.values() if n["type"] == "Relationship" and n["from"] == distill["spdxId"]
          and n["relationshipType"] == "descendantOf"]
    assert [[nodes[t]["name"] for t in r["to"]] for r in up] == [list(licencecmp.catalogue().model(DISTILL).upstream)]
    sbom = next(n for n in nodes.values() if n["type"] == "software_Sbom")
    assert {nodes[r]["name"] for r in sbom["rootElement"]} == {DISTILL, LLAMA}
    doc = next(n for n in nodes.values() if n["type"] == "SpdxDocument")
    assert "ai" in doc["profileConformance"] and doc["rootElement"] == [sbom["spdxId"]]


@pytest.mark.parametrize("models", [(DISTILL, LLAMA), (DISTILL,), ("unsloth/DeepSeek-R1-Distill-Llama-8B-GGUF",), ()])
def test_same_models_and_lineage_as_the_cyclonedx_ml_bom(tmp_path: Path, models: tuple[str, ...]) -> None:
    bom = licencecmp.sbom(repo(tmp_path, *models))
    spdx3 = bom.render("spdx3-json")
    strict_load(spdx3)
    assert spdx3_lineage(graph(spdx3)) == cyclonedx_lineage(json.loads(bom.render("cyclonedx-json")))


def test_a_card_with_an_unknown_licence_declares_no_assertion(tmp_path: Path) -> None:
    card = f"---\nlicense: other\nlicense_name: secret\nbase_model: {LLAMA}\n---\n"
    path = gemma_card_repo(tmp_path, card)
    bom = licencecmp.sbom(path)
    text = bom.render("spdx3-json")
    strict_load(text)
    nodes = graph(text)
    own = [n for n in nodes.values() if n["type"] == "ai_AIPackage" and n["name"] != LLAMA]
    assert len(own) == 1
    rels = {n["relationshipType"]: n["to"] for n in nodes.values()
            if n["type"] == "Relationship" and n["from"] == own[0]["spdxId"]}
    assert rels["hasDeclaredLicense"] == ["expandedlicensing_NoAssertionLicense"]
    assert [nodes[t]["name"] for t in rels["descendantOf"]] == [LLAMA]
    assert spdx3_lineage(nodes) == cyclonedx_lineage(json.loads(bom.render("cyclonedx-json")))
