"""SBOMs: reading the models an SBOM declares, and writing an SPDX 2.3 document of the models found.

Reading: SPDX 2.3 documents (JSON, YAML, tag-value; parsed with spdx-tools) and CycloneDX JSON
(components of type ``machine-learning-model``, ML-BOM ``modelCard``). A package or component is a
model when it is a CycloneDX model component, has a ``pkg:huggingface/...`` purl, a Hugging Face
download location or homepage, or is named like a model in the registry. Its declared licence is
what the check applies.

Writing: :func:`spdx_document` builds one package per model with its declared licence (an SPDX id,
or a ``LicenseRef-...`` described in ``hasExtractedLicensingInfos`` with the licence's name and
URL), validated with spdx-tools before it is written.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .discover import Found, ScanProblem, ScanResult

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .check import ModelUse

__all__ = ["read_sbom", "spdx_document", "write_spdx"]

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
                               registry=known, detail=f"SPDX package {pkg.spdx_id}"))


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
                               registry=known, detail="CycloneDX component" + (" with modelCard"
                                                                               if "modelCard" in comp else "")))


# -- writing ------------------------------------------------------------------------------------


def _spdx_id(name: str, taken: set[str]) -> str:
    base = "SPDXRef-Model-" + (re.sub(r"[^A-Za-z0-9.\-]+", "-", name).strip("-") or "model")
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def _spdx_expression(term: str, cat: Catalogue) -> tuple[str, list[str]]:
    """An SPDX expression for a canonical licence id or expression, and the licence ids in it."""
    out: list[str] = []
    used: list[str] = []
    for tok in re.split(r"(\s+|\(|\))", term):
        if not tok or tok.isspace() or tok in "()" or tok.upper() in ("AND", "OR", "WITH"):
            out.append(tok.upper() if tok.upper() in ("AND", "OR", "WITH") else tok)
            continue
        lic = cat.licence(tok)
        used.append(lic.id)
        out.append(lic.spdx)
    return "".join(out), used


def spdx_document(uses: Sequence[ModelUse], cat: Catalogue, *, name: str, created: Any = None) -> Any:
    """An SPDX 2.3 document with one package per model (and per registry base model)."""
    import datetime as _dt
    import uuid

    from spdx_tools.common.spdx_licensing import spdx_licensing
    from spdx_tools.spdx.model.actor import Actor, ActorType
    from spdx_tools.spdx.model.document import CreationInfo, Document
    from spdx_tools.spdx.model.extracted_licensing_info import ExtractedLicensingInfo
    from spdx_tools.spdx.model.package import ExternalPackageRef, ExternalPackageRefCategory, Package
    from spdx_tools.spdx.model.relationship import Relationship, RelationshipType
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion

    from ._version import __version__
    from .check import _licensing

    if created is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        created = (_dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch and epoch.isdigit()
                   else _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0, tzinfo=None)
    taken: set[str] = set()
    packages: list[Any] = []
    relationships: list[Any] = []
    refs: dict[str, Any] = {}
    by_model: dict[str, str] = {}

    def package(model: str, terms: Sequence[str], hf: bool, comment: str | None) -> str:
        if model.casefold() in by_model:
            return by_model[model.casefold()]
        sid = _spdx_id(model, taken)
        by_model[model.casefold()] = sid
        declared: Any = SpdxNoAssertion()
        if terms:
            parts = []
            for t in terms:
                expr, used = _spdx_expression(t, cat)
                parts.append(f"({expr})" if " " in expr else expr)
                for lid in used:
                    lic = cat.licence(lid)
                    if lic.spdx.startswith("LicenseRef-") and lic.spdx not in refs:
                        refs[lic.spdx] = ExtractedLicensingInfo(
                            license_id=lic.spdx, license_name=lic.title, cross_references=[lic.url],
                            extracted_text=f"{lic.title}. The full text is published at {lic.url}",
                            comment=f"licencecmp licence id: {lic.id}")
            declared = spdx_licensing.parse(" AND ".join(parts))
        ext = []
        if hf:
            ext.append(ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl",
                                          f"pkg:huggingface/{model}"))
        packages.append(Package(
            spdx_id=sid, name=model,
            download_location=f"https://huggingface.co/{model}" if hf else SpdxNoAssertion(),
            files_analyzed=False, license_declared=declared, license_concluded=SpdxNoAssertion(),
            copyright_text=SpdxNoAssertion(), external_references=ext, comment=comment,
        ))
        return sid

    for use in uses:
        lic = _licensing(use, cat)
        hf = use.entry is not None or any(f.source == "sbom" and f.registry for f in use.found)
        where = ", ".join(sorted({f"{f.path}:{f.line}" for f in use.found})[:5])
        sid = package(use.name, lic.own, hf and "/" in use.name, f"Found by licencecmp at {where}")
        relationships.append(Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, sid))
        bases: list[str] = []
        if use.entry is not None:
            bases += list(use.entry.upstream)
        for f in use.found:
            bases += list(f.base_models)
        for base in dict.fromkeys(bases):
            from .check import _registry_entry

            entry = _registry_entry(cat, base)
            if entry is None:
                continue
            bsid = package(entry.id, [entry.licence], True, "Base model (from the licencecmp registry)")
            relationships.append(Relationship(sid, RelationshipType.DESCENDANT_OF, bsid))
    if not packages:  # no models: SPDX still needs the document to describe something
        from spdx_tools.spdx.model.spdx_none import SpdxNone

        relationships.append(Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, SpdxNone(),
                                          comment="licencecmp found no models"))
    info = CreationInfo(
        spdx_version="SPDX-2.3", spdx_id="SPDXRef-DOCUMENT", name=name,
        document_namespace=f"https://spdx.org/spdxdocs/licencecmp/{re.sub(r'[^A-Za-z0-9.-]+', '-', name)}-"
                           f"{uuid.uuid4()}",
        creators=[Actor(ActorType.TOOL, f"licencecmp-{__version__}")], created=created,
        creator_comment="Models found by licencecmp; declared licences as the licencecmp catalogue knows them.",
    )
    return Document(info, packages=packages, relationships=relationships,
                    extracted_licensing_info=list(refs.values()))


def write_spdx(document: Any, fmt: str = "spdx-json") -> str:
    """Serialise a document (validated first) as SPDX JSON, YAML or tag-value."""
    import io

    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    problems = validate_full_spdx_document(document)
    if problems:  # pragma: no cover - a bug in licencecmp, not bad input
        raise RuntimeError("invalid SPDX document: " + "; ".join(p.validation_message for p in problems[:3]))
    buf = io.StringIO()
    if fmt == "spdx-json":
        from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream

        write_document_to_stream(document, buf, validate=False)
        return buf.getvalue() + "\n"
    if fmt == "spdx-yaml":
        from spdx_tools.spdx.writer.yaml.yaml_writer import write_document_to_stream as write_yaml

        write_yaml(document, buf, validate=False)
        return buf.getvalue()
    if fmt == "spdx-tv":
        from spdx_tools.spdx.writer.tagvalue.tagvalue_writer import write_document_to_stream as write_tv

        write_tv(document, buf, validate=False)
        return buf.getvalue()
    raise ValueError(f"unknown SPDX format {fmt!r}")
