"""A model that ships another as a part (a pipeline's text encoder: registry relation ``component``) is
bound by that model's licence, and every output calls it a component, never a base model: the text
reports, SPDX 2.3 (``CONTAINS``) and SPDX 3 (``contains``), while a fine-tune keeps ``DESCENDANT_OF``."""

from __future__ import annotations

import json
import typing
from pathlib import Path

import licencecmp
from licencecmp.data.schema import ModelEntry
from licencecmp.vocab import COMPONENT_RELATION

from ..conftest import Cli

PIPELINE = "Alpha-VLLM/Lumina-Image-2.0"
ENCODER = "google/gemma-2-2b"
FINETUNE = "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"


def repo(tmp_path: Path, *models: str) -> Path:
    (tmp_path / "app.py").write_text("".join(f'M{i} = "{m}"\n' for i, m in enumerate(models)), encoding="utf-8")
    return tmp_path


def test_the_relation_is_one_word_of_the_registry_vocabulary() -> None:
    relation = typing.get_args(ModelEntry.model_fields["relation"].annotation)[0]
    assert COMPONENT_RELATION in typing.get_args(relation)
    entry = licencecmp.catalogue().model(PIPELINE)
    assert entry.relation == COMPONENT_RELATION and ENCODER in entry.upstream


def test_the_components_terms_bind_and_are_named_as_a_component(cli: Cli) -> None:
    code, out, err = cli("resolve", PIPELINE)
    assert code == 0, err
    assert f"{ENCODER} (gemma; registry; component)" in out, out
    r = licencecmp.resolve(PIPELINE)
    assert "gemma" in r.upstream  # the encoder's licence binds the pipeline
    code, out, err = cli("can", PIPELINE, "use")
    assert code == 0, err
    assert "component: " in out and f"base model: {ENCODER}" not in out, out


def test_check_text_names_components(tmp_path: Path, cli: Cli) -> None:
    code, out, err = cli("check", str(repo(tmp_path, PIPELINE, FINETUNE)), "--format", "text")
    assert code in (0, 1), err
    flat = " ".join(out.split())
    assert f"component {ENCODER}" in flat, out
    assert f"base model {ENCODER}" not in flat


def test_spdx_2_contains_a_component_and_descends_from_a_base(tmp_path: Path, cli: Cli) -> None:
    code, out, err = cli("sbom", str(repo(tmp_path, PIPELINE, FINETUNE)), "--format", "spdx-json")
    assert code == 0, err
    doc = json.loads(out)
    names = {p["SPDXID"]: p["name"] for p in doc["packages"]}
    rels = {(names.get(r["spdxElementId"]), r["relationshipType"], names.get(r["relatedSpdxElement"]))
            for r in doc["relationships"]}
    assert (PIPELINE, "CONTAINS", ENCODER) in rels
    assert (PIPELINE, "DESCENDANT_OF", ENCODER) not in rels
    base = licencecmp.catalogue().model(FINETUNE).upstream[0]
    assert (FINETUNE, "DESCENDANT_OF", base) in rels


def test_spdx_3_contains_a_component(tmp_path: Path, cli: Cli) -> None:
    code, out, err = cli("sbom", str(repo(tmp_path, PIPELINE, FINETUNE)), "--format", "spdx3-json")
    assert code == 0, err
    nodes = {n.get("spdxId", n.get("@id")): n for n in json.loads(out)["@graph"]}
    edges = {(nodes[n["from"]]["name"], n["relationshipType"], nodes[t]["name"]) for n in nodes.values()
             if n["type"] == "Relationship" and n["relationshipType"] in ("contains", "descendantOf")
             for t in n["to"]}
    assert (PIPELINE, "contains", ENCODER) in edges
    assert (PIPELINE, "descendantOf", ENCODER) not in edges
    assert any(a == FINETUNE and k == "descendantOf" for a, k, _ in edges)
