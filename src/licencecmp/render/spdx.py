"""Writing an SPDX 2.3 document of the models found: one package per model with its declared
licence (an SPDX id, or a ``LicenseRef-...`` described in ``hasExtractedLicensingInfos`` with the
licence's name and URL), validated with spdx-tools before it is written."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from typing import Any

from licencecmp.data.catalogue import Catalogue
from licencecmp.errors import FormatError
from licencecmp.render.escape import spdx_tv
from licencecmp.scan.check import ModelUse, licensing_of
from licencecmp.vocab import COMPONENT_RELATION

__all__ = ["spdx_document", "spdx_expression", "write_spdx"]


def _spdx_id(name: str, taken: set[str]) -> str:
    base = "SPDXRef-Model-" + (re.sub(r"[^A-Za-z0-9.\-]+", "-", name).strip("-") or "model")
    out, n = base, 2
    while out in taken:
        out, n = f"{base}-{n}", n + 1
    taken.add(out)
    return out


def unavailable_ref(licence_id: str) -> str:
    """The SPDX ``LicenseRef-`` of a licence the catalogue names without a text."""
    return "LicenseRef-" + re.sub(r"[^A-Za-z0-9.-]", "-", licence_id)


def spdx_expression(term: str, cat: Catalogue) -> tuple[str, list[str]]:
    """An SPDX expression for a canonical licence id or expression, and the licence ids in it. A
    licence the catalogue names without a text (``cat.unavailable``) is written ``LicenseRef-<id>``
    and left out of the ids (it has no catalogue entry to describe it)."""
    out: list[str] = []
    used: list[str] = []
    for tok in re.split(r"(\s+|\(|\))", term):
        if not tok or tok.isspace() or tok in "()" or tok.upper() in ("AND", "OR", "WITH"):
            out.append(tok.upper() if tok.upper() in ("AND", "OR", "WITH") else tok)
            continue
        if tok in cat.unavailable:
            out.append(unavailable_ref(tok))
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

    from licencecmp._version import __version__

    if created is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        created = (_dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
                   if epoch and epoch.isdigit() and len(epoch) <= 11
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
                expr, used = spdx_expression(t, cat)
                parts.append(f"({expr})" if " " in expr else expr)
                if t in cat.unavailable and unavailable_ref(t) not in refs:
                    u = cat.unavailable[t]
                    refs[unavailable_ref(t)] = ExtractedLicensingInfo(
                        license_id=unavailable_ref(t), license_name=u["title"],
                        extracted_text=f"{u['title']}: not in the licencecmp catalogue ({u['reason']})",
                        comment=f"licencecmp licence id: {t} (known to exist, not encoded)")
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
            spdx_id=sid, name=spdx_tv(model),
            download_location=f"https://huggingface.co/{model}" if hf else SpdxNoAssertion(),
            files_analyzed=False, license_declared=declared, license_concluded=SpdxNoAssertion(),
            copyright_text=SpdxNoAssertion(), external_references=ext, comment=spdx_tv(comment) if comment else comment,
        ))
        return sid

    for use in uses:
        lic = licensing_of(use, cat)
        hf = use.entry is not None or any(f.source == "sbom" and f.registry for f in use.found)
        where = ", ".join(sorted({f"{f.path}:{f.line}" for f in use.found})[:5])
        sid = package(use.name, lic.own, hf and "/" in use.name, f"Found by licencecmp at {where}")
        relationships.append(Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, sid))
        parts = use.entry is not None and use.entry.relation == COMPONENT_RELATION
        bases: list[str] = []
        if use.entry is not None:
            bases += list(use.entry.upstream)
        for f in use.found:
            bases += list(f.base_models)
        for base in dict.fromkeys(bases):
            entry = cat.find_model(base)
            if entry is None:
                continue
            if parts and use.entry is not None and base in use.entry.upstream:  # a part it ships, not its base
                bsid = package(entry.id, [entry.licence], True, "Component model (from the licencecmp registry)")
                relationships.append(Relationship(sid, RelationshipType.CONTAINS, bsid))
                continue
            bsid = package(entry.id, [entry.licence], True, "Base model (from the licencecmp registry)")
            relationships.append(Relationship(sid, RelationshipType.DESCENDANT_OF, bsid))
    if not packages:  # no models: SPDX still needs the document to describe something
        from spdx_tools.spdx.model.spdx_none import SpdxNone

        relationships.append(Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, SpdxNone(),
                                          comment="licencecmp found no models"))
    info = CreationInfo(
        spdx_version="SPDX-2.3", spdx_id="SPDXRef-DOCUMENT", name=spdx_tv(name),
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
    raise FormatError(f"unknown SPDX format {fmt!r}")
