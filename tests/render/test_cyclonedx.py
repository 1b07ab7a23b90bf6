"""CycloneDX ML-BOMs: written with cyclonedx-python-lib (1.6 and 1.7, JSON and XML), valid under the
library's strict validator, and read back by `licencecmp check` to the same models and licences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import licencecmp
from licencecmp.render.cyclonedx import SPEC_VERSIONS

from ..conftest import Cli

DISTILL = "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"
LLAMA = "meta-llama/Llama-3.1-8B"


def repo(tmp_path: Path) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "app.py").write_text(f'A = "{DISTILL}"\nB = "{LLAMA}"\n', encoding="utf-8")
    return tmp_path


def strict_errors(text: str, fmt: str, spec: str) -> Any:
    from cyclonedx.schema import OutputFormat, SchemaVersion
    from cyclonedx.validation import make_schemabased_validator
    from cyclonedx.validation.json import JsonStrictValidator

    version = SchemaVersion.from_version(spec)
    if fmt == "cyclonedx-json":
        return JsonStrictValidator(version).validate_str(text, all_errors=True)
    pytest.importorskip("lxml", reason="the library validates XML with lxml, which is not installed")
    return make_schemabased_validator(OutputFormat.XML, version).validate_str(text, all_errors=True)


def components(bom: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{c['group']}/{c['name']}": c for c in bom["components"]}


@pytest.mark.parametrize("spec", SPEC_VERSIONS)
def test_json_is_a_valid_ml_bom(tmp_path: Path, cli: Cli, spec: str) -> None:
    code, out, err = cli("sbom", str(repo(tmp_path)), "--format", "cyclonedx-json", "--spec-version", spec)
    assert code == 0, err
    assert strict_errors(out, "cyclonedx-json", spec) is None
    bom = json.loads(out)
    assert bom["specVersion"] == spec
    comps = components(bom)
    assert set(comps) == {DISTILL, LLAMA}
    distill = comps[DISTILL]
    entry = licencecmp.catalogue().model(DISTILL)
    assert distill["type"] == "machine-learning-model"
    assert distill["purl"] == f"pkg:huggingface/{DISTILL}"
    assert [e["license"].get("id") for e in distill["licenses"]] == [licencecmp.get(entry.licence).spdx]
    ancestors = distill["pedigree"]["ancestors"]
    assert [f"{a['group']}/{a['name']}" for a in ancestors] == list(entry.upstream)
    assert ancestors[0]["licenses"][0]["license"]["url"] == licencecmp.get("llama-3.1").url
    assert distill["modelCard"]["modelParameters"]["inputs"] == [{"format": entry.modality.value}]
    props = [(p["name"], p["value"]) for p in comps[LLAMA]["properties"]]
    obligations = [v for n, v in props if n == "licencecmp:obligation"]
    assert len(obligations) == len(licencecmp.get("llama-3.1").obligations)
    assert ("licencecmp:upstream-licence", "llama-3.1") in props or \
        ("licencecmp:upstream-licence", "llama-3.1") in [(p["name"], p["value"]) for p in distill["properties"]]


@pytest.mark.parametrize("spec", SPEC_VERSIONS)
def test_xml_is_valid(tmp_path: Path, cli: Cli, spec: str) -> None:
    code, out, _ = cli("sbom", str(repo(tmp_path)), "--format", "cyclonedx-xml", "--spec-version", spec)
    assert code == 0 and f"http://cyclonedx.org/schema/bom/{spec}" in out and "<modelCard>" in out
    assert strict_errors(out, "cyclonedx-xml", spec) is None


@pytest.mark.parametrize("fmt", ["cyclonedx-json", "cyclonedx-xml"])
def test_check_reads_its_own_bom_back(tmp_path: Path, cli: Cli, fmt: str) -> None:
    src = repo(tmp_path / "src")
    text = licencecmp.sbom(src).render(fmt)
    only = tmp_path / "only"
    only.mkdir()
    (only / f"bom.cdx.{fmt.rsplit('-', 1)[1]}").write_text(text, encoding="utf-8")
    code, out, err = cli("check", str(only), "--format", "json")
    assert code in (0, 1), err
    got = {m["model"]: (m["licences"], m["upstream"]) for m in json.loads(out)["models"]}
    want = {m.model: (list(m.licences), list(m.upstream)) for m in licencecmp.sbom(src).models}
    assert got == want


def test_several_licences_and_an_expression(tmp_path: Path) -> None:
    """One entry per licence; a list that holds an expression becomes one AND expression (1.6 cannot
    mix them, and cyclonedx-python-lib refuses the mix in 1.7 too)."""
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.render.cyclonedx import cyclonedx_bom, write_cyclonedx
    from licencecmp.scan.check import ModelUse
    from licencecmp.scan.results import Found

    two = ModelUse("acme/two", None, [Found("acme/two", "sbom", "a.json", 1, licence="mit"),
                                      Found("acme/two", "sbom", "b.json", 1, licence="apache-2.0")])
    use = ModelUse("acme/model", None, [
        Found("acme/model", "sbom", "a.json", 1, licence="mit"),
        Found("acme/model", "sbom", "b.json", 1, licence="apache-2.0 OR bsd-3-clause")])
    cat = default_catalogue()
    for spec in SPEC_VERSIONS:
        text = write_cyclonedx(cyclonedx_bom([use, two], cat, name="x", spec=spec))
        assert strict_errors(text, "cyclonedx-json", spec) is None
        got = {c["name"]: [{"license": e["license"]["id"]} if "license" in e else {"expression": e["expression"]}
                           for e in c["licenses"]] for c in json.loads(text)["components"]}
        assert got == {"model": [{"expression": "MIT AND (Apache-2.0 OR BSD-3-Clause)"}],
                       "two": [{"license": "Apache-2.0"}, {"license": "MIT"}]}


def test_every_entry_of_a_licenses_list_applies(tmp_path: Path, cli: Cli) -> None:
    """A list with a permissive and a restrictive licence is not a choice: the restrictive one binds."""
    bom = {"bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1, "components": [
        {"type": "machine-learning-model", "name": "acme/model",
         "licenses": [{"license": {"id": "MIT"}}, {"license": {"id": "CC-BY-NC-4.0"}}]}]}
    (tmp_path / "bom.cdx.json").write_text(json.dumps(bom), encoding="utf-8")
    (tmp_path / "licencecmp.toml").write_text('actions = ["commercial-use"]\n', encoding="utf-8")
    code, out, _ = cli("check", str(tmp_path), "--format", "json")
    model = json.loads(out)["models"][0]
    assert sorted(model["licences"][0].split(" AND ")) == ["cc-by-nc-4.0", "mit"] and code == 1
