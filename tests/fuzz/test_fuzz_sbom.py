"""Fuzz: SBOMs a repository ships: SPDX 2.3 (JSON, YAML, tag-value) and CycloneDX JSON.

Structurally mutated documents (values of the wrong type, keys removed, subtrees nested deep,
lists emptied), byte-mutated documents, and free JSON: reading an SBOM records the models it
declares or a problem, and never raises; the scan and ``licencecmp check`` around it keep the
CLI contract (exit 0, 1 or 2 with one line).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.data.catalogue import default_catalogue
from licencecmp.render.formats import REPORT_FORMATS
from licencecmp.scan import refs, results
from licencecmp.scan import sboms as sbom

from ._support import bounded, fuzz_settings, json_values, mutated, mutated_tree, outcome, run_cli, scratch

SPDX: dict[str, Any] = {
    "spdxVersion": "SPDX-2.3", "dataLicense": "CC0-1.0", "SPDXID": "SPDXRef-DOCUMENT", "name": "fuzz",
    "documentNamespace": "https://example.com/spdxdocs/fuzz-1",
    "creationInfo": {"created": "2026-01-01T00:00:00Z", "creators": ["Tool: fuzz"]},
    "packages": [
        {"SPDXID": "SPDXRef-llama", "name": "Llama-3.1-8B", "downloadLocation":
         "https://huggingface.co/meta-llama/Llama-3.1-8B", "filesAnalyzed": False,
         "licenseDeclared": "LicenseRef-llama", "licenseConcluded": "NOASSERTION",
         "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                           "referenceLocator": "pkg:huggingface/meta-llama/Llama-3.1-8B"}]},
        {"SPDXID": "SPDXRef-lib", "name": "requests", "downloadLocation": "NOASSERTION", "filesAnalyzed": False,
         "licenseDeclared": "Apache-2.0 OR MIT"},
    ],
    "hasExtractedLicensingInfos": [{"licenseId": "LicenseRef-llama", "name": "Llama 3.1 Community License",
                                    "extractedText": "LLAMA 3.1 ...", "seeAlsos": ["https://llama.com/"]}],
    "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                       "relatedSpdxElement": "SPDXRef-llama"}],
}
CDX: dict[str, Any] = {
    "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
    "metadata": {"component": {"type": "application", "name": "app", "bom-ref": "app"}},
    "components": [
        {"type": "machine-learning-model", "bom-ref": "m1", "group": "meta-llama", "name": "Llama-3.1-8B",
         "purl": "pkg:huggingface/meta-llama/Llama-3.1-8B",
         "licenses": [{"license": {"name": "llama3.1", "url": "https://llama.com/llama3_1/license/"}}],
         "externalReferences": [{"type": "distribution", "url": "https://huggingface.co/meta-llama/Llama-3.1-8B"}],
         "modelCard": {"modelParameters": {"task": "text-generation"}},
         "components": [{"type": "machine-learning-model", "name": "acme/child", "licenses": [{"expression":
                                                                                               "MIT"}]}]},
        {"type": "library", "name": "torch", "licenses": [{"license": {"id": "BSD-3-Clause"}}]},
    ],
}
SPDX_TV = b"""SPDXVersion: SPDX-2.3
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: tv
DocumentNamespace: https://example.com/spdxdocs/tv-1
Creator: Tool: fuzz
Created: 2026-01-01T00:00:00Z

PackageName: Llama-3.1-8B
SPDXID: SPDXRef-llama
PackageDownloadLocation: https://huggingface.co/meta-llama/Llama-3.1-8B
FilesAnalyzed: false
PackageLicenseDeclared: LicenseRef-llama
PackageLicenseComments: <text>multi
line</text>

LicenseID: LicenseRef-llama
ExtractedText: <text>LLAMA 3.1</text>
LicenseName: Llama 3.1
"""

IDS = {m.id.lower(): m.id for m in default_catalogue().models()}


def _read(d: Path, name: str, kind: str, data: bytes) -> Any:
    path = d / name
    path.write_bytes(data)
    res = results.ScanResult(root=d)
    with bounded():
        sbom.read_sbom(path, name, kind, data, IDS, res)  # records problems, never raises
    for f in res.found:
        assert f.source == "sbom" and f.path == name and f.line >= 1
    for p in res.problems:
        assert p.path == name and p.message
    return res


def _dump(doc: Any) -> bytes:
    return json.dumps(doc, allow_nan=True).encode()


@fuzz_settings()
@given(mutated_tree(SPDX))
def test_structurally_mutated_spdx_json(doc: Any) -> None:
    with scratch() as d:
        _read(d, "bom.spdx.json", "spdx", _dump(doc))


@fuzz_settings()
@given(mutated_tree(CDX))
def test_structurally_mutated_cyclonedx(doc: Any) -> None:
    with scratch() as d:
        _read(d, "bom.cdx.json", "cyclonedx", _dump(doc))


def _deep(n: int, opener: str) -> bytes:
    closer = {"[": "]", '{"a":': "}"}[opener]
    return ('{"bomFormat": "CycloneDX", "spdxVersion": "SPDX-2.3", "components": ' + opener * n + "1"
            + closer * n + "}").encode()


@fuzz_settings()
@given(st.one_of(json_values().map(lambda doc: json.dumps(doc).encode()),
                 st.builds(_deep, st.integers(1, 100_000), st.sampled_from(["[", '{"a":'])),
                 st.integers(1, 5000).map(lambda n: json.dumps({"bomFormat": "CycloneDX", "components": [
                     {"type": "machine-learning-model", "name": f"m{i}"} for i in range(n)]}).encode())))
def test_free_json_as_either_sbom(data: bytes) -> None:
    with scratch() as d:
        _read(d, "bom.cdx.json", "cyclonedx", data)
        _read(d, "bom.spdx.json", "spdx", data)


@fuzz_settings()
@given(st.one_of(
    st.just(_dump(SPDX)).flatmap(mutated).map(lambda b: ("bom.spdx.json", "spdx", b)),
    st.just(_dump(CDX)).flatmap(mutated).map(lambda b: ("bom.cdx.json", "cyclonedx", b)),
    st.just(SPDX_TV).flatmap(mutated).map(lambda b: ("bom.spdx", "spdx", b)),
    st.just(SPDX_TV).flatmap(mutated).map(lambda b: ("bom.tag", "spdx", b)),
    st.builds(lambda doc: __import__("yaml").safe_dump(doc).encode(), mutated_tree(SPDX)).map(
        lambda b: ("bom.spdx.yaml", "spdx", b)),
))
def test_byte_mutated_sboms(case: tuple[str, str, bytes]) -> None:
    name, kind, data = case
    with scratch() as d:
        _read(d, name, kind, data)


@fuzz_settings(0.3)
@given(st.one_of(st.just(_dump(SPDX)).flatmap(mutated).map(lambda b: ("sbom/app.spdx.json", b)),
                 mutated_tree(CDX).map(lambda doc: ("bom.json", _dump(doc))),
                 st.just(SPDX_TV).flatmap(mutated).map(lambda b: ("app.spdx", b))),
       st.sampled_from([f.name for f in REPORT_FORMATS]))
def test_check_and_sbom_cli_on_a_mutated_sbom(case: tuple[str, bytes], fmt: str) -> None:
    name, data = case
    with scratch() as d:
        repo = d / "repo"
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_bytes(data)
        run_cli(["check", "repo", "--format", fmt, "--no-progress"], d)
        run_cli(["sbom", "repo", "--output", "out.spdx.json"], d)
        scanned = outcome(lambda: refs.scan(repo))
        assert not isinstance(scanned, Exception)
