"""SBOMs: reading the models an SBOM declares.

Reading: SPDX 2.3 documents (JSON, YAML, tag-value; parsed with spdx-tools) and CycloneDX JSON
(components of type ``machine-learning-model``, ML-BOM ``modelCard``). A package or component is a
model when it is a CycloneDX model component, has a ``pkg:huggingface/...`` purl, a Hugging Face
download location or homepage, or is named like a model in the registry. Its declared licence is
what the check applies.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from licencecmp.scan.results import Found, ScanProblem, ScanResult

__all__ = ["read_sbom", "sbom_kind"]

_HF_URL = re.compile(r"huggingface\.co/(?!datasets/|spaces/)([\w.\-]+/[\w.\-]+)", re.IGNORECASE)
_HF_PURL = re.compile(r"^pkg:huggingface/([^@?#]+)", re.IGNORECASE)


def _line_of(text: str, *needles: str) -> int:
    for needle in needles:
        if not needle:
            continue
        pos = text.find(needle)
        if pos >= 0:
            return text.count("\n", 0, pos) + 1
    return 1


def _model_id(name: str, purls: Sequence[str], urls: Sequence[str], ids: dict[str, str]) -> tuple[str, bool] | None:
    """The model a package stands for (and whether the registry knows it), or None if not a model."""
    candidates: list[str] = []
    for purl in purls:
        m = _HF_PURL.match(purl)
        if m:
            candidates.append(_unquote(m.group(1)))
    for url in urls:
        m = _HF_URL.search(url or "")
        if m:
            candidates.append(m.group(1))
    candidates.append(name)
    for c in candidates:
        if c.lower() in ids:
            return ids[c.lower()], True
    if len(candidates) > 1:  # a Hugging Face purl or URL: a model, unknown to the registry
        return candidates[0], False
    return None


def _unquote(s: str) -> str:
    from urllib.parse import unquote

    return unquote(s)


# -- reading ------------------------------------------------------------------------------------


def read_sbom(path: Path, rel: str, kind: str, data: bytes, ids: dict[str, str], res: ScanResult) -> None:
    """Add the models an SBOM declares to ``res`` (problems are recorded, never raised)."""
    text = data.decode("utf-8", "replace")
    try:
        if kind == "cyclonedx":
            _read_cyclonedx(text, rel, ids, res)
        else:
            _read_spdx(path, text, rel, ids, res)
    except _SbomError as exc:
        res.problems.append(ScanProblem(rel, exc.line, f"cannot read the SBOM: {exc}"))


class _SbomError(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _read_spdx(path: Path, text: str, rel: str, ids: dict[str, str], res: ScanResult) -> None:
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
    from spdx_tools.spdx.model.spdx_none import SpdxNone
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.parse_anything import parse_file

    name = str(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if name.lower().endswith(".tv"):  # spdx-tools names tag-value files .spdx or .tag
                from spdx_tools.spdx.parser.tagvalue import tagvalue_parser

                doc = tagvalue_parser.parse_from_file(name)
            else:
                doc = parse_file(name)
    except SPDXParsingError as exc:
        msgs = list(exc.messages)
        raise _SbomError("; ".join(str(m) for m in msgs[:2]) + (f" (and {len(msgs) - 2} more)"
                                                                  if len(msgs) > 2 else "")) from None
    except Exception as exc:  # spdx-tools raises many kinds for malformed input
        raise _SbomError(f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}") from None
    extracted = {e.license_id: e for e in doc.extracted_licensing_info if e.license_id}
    for pkg in doc.packages:
        purls = [r.locator for r in pkg.external_references if r.reference_type == "purl"]
        urls = [u for u in (pkg.download_location, pkg.homepage) if isinstance(u, str)]
        hit = _model_id(pkg.name, purls, urls, ids)
        if hit is None:
            continue
        model, known = hit
        declared = pkg.license_declared
        if declared is None or isinstance(declared, (SpdxNoAssertion, SpdxNone)):
            declared = pkg.license_concluded
        licence = None if declared is None or isinstance(declared, (SpdxNoAssertion, SpdxNone)) else str(declared)
        lname = link = None
        if licence and licence in extracted:
            info = extracted[licence]
            lname = info.license_name if isinstance(info.license_name, str) else None
            link = info.cross_references[0] if info.cross_references else None
        line = _line_of(text, f'"SPDXID": "{pkg.spdx_id}"', f"SPDXID: {pkg.spdx_id}", f"SPDXID: '{pkg.spdx_id}'",
                        f'SPDXID: "{pkg.spdx_id}"', pkg.spdx_id)
        res.found.append(Found(model, "sbom", rel, line, licence=licence, licence_name=lname, licence_link=link,
                               registry=known))


def _cdx_licence(comp: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    entries = comp.get("licenses") or []
    if not isinstance(entries, list):
        raise _SbomError(f"component {comp.get('name')!r}: licenses must be a list")
    parts: list[str] = []
    name = url = None
    for e in entries:
        if not isinstance(e, dict):
            continue
        if isinstance(e.get("expression"), str):
            parts.append(e["expression"])
        lic = e.get("license")
        if isinstance(lic, dict):
            if isinstance(lic.get("id"), str):
                parts.append(lic["id"])
            elif isinstance(lic.get("name"), str):
                name = lic["name"]
                if " " not in name:  # a bare name such as "llama3.1" may be an alias; a title is not
                    parts.append(name)
            if isinstance(lic.get("url"), str):
                url = lic["url"]
    licence = " AND ".join(f"({p})" if " " in p else p for p in parts) if parts else None
    return licence, name, url


def _components(node: dict[str, Any]) -> list[Any]:
    comps = node.get("components")
    if comps is None:
        return []
    if not isinstance(comps, list):
        raise _SbomError(f"components must be a list, not {type(comps).__name__}")
    return list(comps)


def _read_cyclonedx(text: str, rel: str, ids: dict[str, str], res: ScanResult) -> None:
    try:
        bom = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _SbomError(f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise _SbomError("JSON nested too deeply") from None
    if not isinstance(bom, dict):
        raise _SbomError("not a CycloneDX document (the top level is not an object)")
    stack: list[Any] = _components(bom)
    meta = bom.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("component"), dict):
        stack.append(meta["component"])
    while stack:
        comp = stack.pop(0)
        if not isinstance(comp, dict):
            continue
        stack.extend(_components(comp))
        cname = comp.get("name")
        if not isinstance(cname, str):
            continue
        group = comp.get("group") if isinstance(comp.get("group"), str) else None
        full = f"{group}/{cname}" if group and "/" not in cname else cname
        purls = [comp["purl"]] if isinstance(comp.get("purl"), str) else []
        refs = comp.get("externalReferences") or []
        urls = [r["url"] for r in refs if isinstance(r, dict) and isinstance(r.get("url"), str)] \
            if isinstance(refs, list) else []
        hit = _model_id(full, purls, urls, ids)
        is_model = comp.get("type") == "machine-learning-model" or "modelCard" in comp
        if hit is None and not is_model:
            continue
        model, known = hit if hit is not None else (full, False)
        licence, lname, link = _cdx_licence(comp)
        ref = comp.get("bom-ref")
        line = _line_of(text, f'"bom-ref": "{ref}"' if isinstance(ref, str) else "", f'"name": "{cname}"')
        res.found.append(Found(model, "sbom", rel, line, licence=licence, licence_name=lname, licence_link=link,
                               registry=known))


_SPDX_NAME = re.compile(r"\.spdx(\.(json|ya?ml|tv|tag|rdf|xml))?$", re.IGNORECASE)


def sbom_kind(name: str, data: bytes) -> str | None:
    """``spdx`` or ``cyclonedx`` when the file is an SBOM, else None."""
    lower = name.lower()
    if _SPDX_NAME.search(lower):
        return "spdx"
    suffix = os.path.splitext(lower)[1]
    if suffix == ".json":
        head = data[:65536]
        if b'"bomFormat"' in head and b"CycloneDX" in head:
            return "cyclonedx"
        if b'"spdxVersion"' in data:
            return "spdx"
    elif suffix in (".yaml", ".yml"):
        if re.search(rb"^\s*spdxVersion\s*:", data[:65536], re.MULTILINE):
            return "spdx"
    elif suffix in (".tag",) and b"SPDXVersion:" in data[:65536]:
        return "spdx"
    return None
