"""SBOMs: models read from SPDX (JSON, YAML, tag-value) and CycloneDX ML-BOMs, and the SPDX 2.3
document that `licencecmp sbom` writes, validated with spdx-tools."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import licencecmp
from licencecmp.scan.refs import scan
from tests.conftest import Cli
from tests.fixtures.check.support import (
    GEMMA_CARD,
    SPDX_JSON,
    gemma_card_repo,
    line_of,
    need,
    python_app,
    shipped_catalogue,
    spdx_repo,
    write_tree,
)

LLAMA_I = "meta-llama/Llama-3.1-8B-Instruct"


SPDX_YAML = """\
spdxVersion: SPDX-2.3
dataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
name: yaml-doc
documentNamespace: https://example.com/spdxdocs/yaml-doc-1
creationInfo:
  created: "2026-01-01T00:00:00Z"
  creators:
  - "Tool: hand-written"
packages:
- SPDXID: SPDXRef-r1
  name: deepseek-ai/DeepSeek-R1
  downloadLocation: NOASSERTION
  filesAnalyzed: false
  licenseDeclared: MIT
"""

SPDX_TV = """\
SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: tv-doc
DocumentNamespace: https://example.com/spdxdocs/tv-doc-1
Creator: Tool: hand-written
Created: 2026-01-01T00:00:00Z

PackageName: Qwen2.5-7B-Instruct
SPDXID: SPDXRef-qwen
PackageDownloadLocation: https://huggingface.co/Qwen/Qwen2.5-7B-Instruct
FilesAnalyzed: false
PackageLicenseDeclared: Apache-2.0
"""

CYCLONEDX = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.6",
    "version": 1,
    "components": [
        {"type": "library", "name": "torch", "version": "2.4.0",
         "licenses": [{"license": {"id": "BSD-3-Clause"}}]},
        {"type": "machine-learning-model", "bom-ref": "model-llama", "group": "meta-llama",
         "name": "Llama-3.1-8B-Instruct", "purl": "pkg:huggingface/meta-llama/Llama-3.1-8B-Instruct",
         "licenses": [{"license": {"name": "llama3.1", "url": "https://llama.meta.com/llama3_1/license/"}}],
         "modelCard": {"modelParameters": {"task": "text-generation"}}},
        {"type": "machine-learning-model", "bom-ref": "model-inhouse", "name": "acme-intent-classifier",
         "licenses": [{"expression": "Apache-2.0 OR MIT"}], "modelCard": {}},
    ],
}


def test_spdx_json_yaml_and_tag_value(tmp_path: Path) -> None:
    need(LLAMA_I, "deepseek-ai/DeepSeek-R1", "Qwen/Qwen2.5-7B-Instruct")
    spdx_repo(tmp_path)
    write_tree(tmp_path, {"sbom/r1.spdx.yaml": SPDX_YAML, "sbom/qwen.spdx": SPDX_TV,
                          "sbom/qwen-copy.spdx.tv": SPDX_TV.replace("SPDXRef-qwen", "SPDXRef-qwen2")})
    res = scan(tmp_path, shipped_catalogue())
    assert res.problems == []
    got = sorted((f.model, f.path, f.line, f.licence) for f in res.found)
    assert got == sorted([
        (LLAMA_I, "sbom/assistant.spdx.json", line_of(SPDX_JSON, '"SPDXRef-llama"'),
         "LicenseRef-scancode-llama-3.1-license-2024"),
        ("acme/ranker", "sbom/assistant.spdx.json", line_of(SPDX_JSON, '"SPDXRef-private"'), None),
        ("deepseek-ai/DeepSeek-R1", "sbom/r1.spdx.yaml", line_of(SPDX_YAML, "SPDXRef-r1"), "MIT"),
        ("Qwen/Qwen2.5-7B-Instruct", "sbom/qwen.spdx", line_of(SPDX_TV, "SPDXRef-qwen"), "Apache-2.0"),
        ("Qwen/Qwen2.5-7B-Instruct", "sbom/qwen-copy.spdx.tv", line_of(SPDX_TV, "SPDXRef-qwen"), "Apache-2.0"),
    ])


def test_cyclonedx_ml_bom(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA_I, "apache-2.0", "mit")
    text = json.dumps(CYCLONEDX, indent=2)
    write_tree(tmp_path, {"bom.json": text})
    res = scan(tmp_path, shipped_catalogue())
    got = {f.model: f for f in res.found}
    assert set(got) == {LLAMA_I, "acme-intent-classifier"}  # not torch
    assert got[LLAMA_I].line == line_of(text, '"bom-ref": "model-llama"')
    assert got["acme-intent-classifier"].licence == "(Apache-2.0 OR MIT)"
    code, out, _ = cli("check", str(tmp_path), "--format", "json")
    data = json.loads(out)
    inhouse = next(m for m in data["models"] if m["model"] == "acme-intent-classifier")
    assert inhouse["licences"] == ["apache-2.0 OR mit"] and inhouse["status"] == "pass"
    llama = next(m for m in data["models"] if m["model"] == LLAMA_I)
    assert llama["licences"] == ["llama-3.1"]  # the licence name resolves through aliases
    assert code == 0


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("bad.spdx.json", '{"spdxVersion": "SPDX-2.3", "packages": [', "cannot read the SBOM"),
        ("bad.spdx.json", '{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT"}', "cannot read the SBOM"),
        ("bom.cdx.json", '{"bomFormat": "CycloneDX", "components": [}', "invalid JSON"),
        ("bad.spdx", "SPDXVersion: SPDX-2.3\nPackageName: x\nnot a tag line\n", "cannot read the SBOM"),
    ],
)
def test_broken_sbom_is_an_input_error(tmp_path: Path, cli: Cli, name: str, content: str,
                                       words: str) -> None:
    write_tree(tmp_path, {name: content})
    code, _, err = cli("check", str(tmp_path))
    assert code == 2 and name in err and words in err and err.count("\n") == 1
    code, out, err = cli("sbom", str(tmp_path))
    assert code == 2 and out == "" and name in err


# -- writing ------------------------------------------------------------------------------------


def _validate(path: Path) -> Any:  # an spdx_tools Document (the library has no type stubs)
    from spdx_tools.spdx.parser.parse_anything import parse_file
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    doc = parse_file(str(path))
    assert validate_full_spdx_document(doc) == []
    return doc


def test_sbom_command_writes_valid_spdx(tmp_path: Path, cli: Cli) -> None:
    need("meta-llama/Llama-3.1-8B", "Qwen/Qwen2.5-72B-Instruct", "google/gemma-2-9b")
    repo = python_app(tmp_path / "repo", 'models = [{ id = "acme/ranker", licence = "apache-2.0 OR mit" }]\n')
    write_tree(repo, {"models/ft/README.md": GEMMA_CARD})
    target = tmp_path / "models.spdx.json"
    code, out, _ = cli("sbom", str(repo), "--format", "spdx-json", "--output", str(target))
    assert code == 0 and "wrote" in out
    doc = _validate(target)
    packages = {p.name: p for p in doc.packages}
    cat = shipped_catalogue()
    for name in ("meta-llama/Llama-3.1-8B", "Qwen/Qwen2.5-72B-Instruct", "google/gemma-2-9b"):
        assert str(packages[name].license_declared) == cat.get(cat.model(name).licence).spdx
    assert str(packages["acme/ranker"].license_declared) == "Apache-2.0 OR MIT"
    extracted = {e.license_id: e for e in doc.extracted_licensing_info}
    refs = {str(p.license_declared) for p in packages.values() if str(p.license_declared).startswith("LicenseRef-")}
    assert refs and refs <= set(extracted)
    for ref in refs:
        lic = next(lic for lic in cat if lic.spdx == ref)
        assert extracted[ref].license_name == lic.title and extracted[ref].cross_references == [lic.url]
    rel = {(r.spdx_element_id, r.relationship_type.name, r.related_spdx_element_id)
           for r in doc.relationships}
    card = packages["models/ft"]
    assert (card.spdx_id, "DESCENDANT_OF", packages["google/gemma-2-9b"].spdx_id) in rel
    data = json.loads(target.read_text())
    assert data["spdxVersion"] == "SPDX-2.3"


@pytest.mark.parametrize(("fmt", "suffix"), [("spdx-yaml", ".spdx.yaml"), ("spdx-tv", ".spdx")])
def test_sbom_other_formats(tmp_path: Path, cli: Cli, fmt: str, suffix: str) -> None:
    need("deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
    repo = write_tree(tmp_path / "repo", {"a.py": '"deepseek-ai/DeepSeek-R1-Distill-Llama-8B"\n'})
    code, out, _ = cli("sbom", str(repo), "--format", fmt)
    target = tmp_path / f"out{suffix}"
    target.write_text(out)
    doc = _validate(target)
    names = {p.name for p in doc.packages}
    entry = shipped_catalogue().model("deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
    assert names == {entry.id, *entry.upstream} and code == 0


def test_sbom_round_trip_through_check(tmp_path: Path, cli: Cli) -> None:
    """What `sbom` writes, `check` reads back to the same models and licences."""
    need("meta-llama/Llama-3.1-8B", "Qwen/Qwen2.5-72B-Instruct")
    repo = python_app(tmp_path / "repo")
    code, out, _ = cli("sbom", str(repo))
    other = write_tree(tmp_path / "other", {"models.spdx.json": out})
    _, report, _ = cli("check", str(other), "--format", "json")
    _, original, _ = cli("check", str(repo), "--format", "json")

    def pairs(d: str) -> set[tuple[str, tuple[str, ...]]]:
        return {(m["model"], tuple(m["licences"])) for m in json.loads(d)["models"]}

    assert pairs(report) == pairs(original) and code == 0


def test_gemma_card_sbom_marks_unknown_licence_noassertion(tmp_path: Path, cli: Cli) -> None:
    repo = gemma_card_repo(tmp_path / "repo", "---\nlicense: other\nlicense_name: secret\n---\n")
    code, out, _ = cli("sbom", str(repo))
    data = json.loads(out)
    (pkg,) = data["packages"]
    assert pkg["licenseDeclared"] == "NOASSERTION" and code == 0
    assert licencecmp.__version__ in data["creationInfo"]["creators"][0]


def _mixed_bom(n: int) -> dict[str, Any]:
    kinds = [
        {"type": "machine-learning-model", "name": "meta-llama/Llama-3.1-8B", "licenses": [{"license": {"id": "MIT"}}]},
        {"type": "machine-learning-model", "group": "acme", "name": "tiny",
         "licenses": [{"expression": "Apache-2.0 OR MIT"}]},
        {"type": "library", "name": "numpy", "licenses": [{"license": {"id": "BSD-3-Clause"}}]},
        {"type": "library", "name": "wrapper", "purl": "pkg:huggingface/google/gemma-2b",
         "components": [{"type": "machine-learning-model", "name": "acme/nested",
                         "licenses": [{"license": {"name": "Custom"}}]}]},
        {"type": "machine-learning-model", "name": "acme/linked",
         "licenses": [{"license": {"name": "x", "url": "https://example.com/l"}}]},
    ]
    comps = [{**kinds[i % len(kinds)], "bom-ref": f"r{i}"} for i in range(n)]
    return {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": comps,
            "metadata": {"component": {"type": "machine-learning-model", "name": "acme/top", "bom-ref": "top"}}}


def test_a_large_cyclonedx_bom_reads_as_the_library_would(monkeypatch: pytest.MonkeyPatch) -> None:
    """Above LIBRARY_MAX_COMPONENTS a JSON BOM is walked as plain data (the library is superlinear);
    both readings find the same models, licences and lines."""
    from licencecmp.scan import sboms
    from licencecmp.scan.results import ScanResult

    text = json.dumps(_mixed_bom(60)).replace("}, {", "},\n{")
    ids = {"meta-llama/llama-3.1-8b": "meta-llama/Llama-3.1-8B", "google/gemma-2b": "google/gemma-2b"}

    def read(limit: int) -> list[Any]:
        monkeypatch.setattr(sboms, "LIBRARY_MAX_COMPONENTS", limit)
        res = ScanResult(Path("."))
        sboms.read_sbom(Path("bom.json"), "bom.json", "cyclonedx", text.encode(), ids, res)
        assert not res.problems, res.problems
        return sorted(res.found, key=repr)

    by_library, walked = read(10_000), read(0)
    assert len(by_library) > 40 and walked == by_library
