"""Writing an SPDX 3.0.1 document with the AI profile, with spdx-python-model (the SPDX project's
bindings, generated from the SPDX 3.0.1 RDF and SHACL model).

One ``ai_AIPackage`` per model (and per registry base model, as far up as the registry knows: the
same models and lineage as the CycloneDX ML-BOM of :mod:`licencecmp.render.cyclonedx`), each with
its Hugging Face purl and download location, its supplier (the organisation of its repo id) as an
``Organization``, ``ai_typeOfModel`` (its pipeline tag, where known) and ``ai_domain`` (its
modality), a ``hasDeclaredLicense`` relationship to a ``simplelicensing_LicenseExpression`` (a
``LicenseRef-...`` carries its URL in ``simplelicensing_customIdToUri``) and a
``hasConcludedLicense`` relationship to ``NoAssertionLicense`` (licencecmp reports what the card
or the maker declares; it concludes nothing). Lineage is one ``descendantOf`` relationship from a
model to its base models, and one ``contains`` relationship to the models it ships as parts (registry
relation ``component``, a pipeline's text encoder). The document holds one ``software_Sbom`` (type
``analyzed``) whose roots are the models found.

The bindings check every property's type, every enumerated value and every cardinality of the
model when the document is encoded, so an invalid document is a bug that raises here, not output.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from licencecmp.data.catalogue import Catalogue
from licencecmp.render.common import unique_ids
from licencecmp.render.spdx import spdx_expression
from licencecmp.scan.check import ModelUse, licensing_of
from licencecmp.vocab import COMPONENT_RELATION

if TYPE_CHECKING:
    from licencecmp.data.records import ModelEntry

__all__ = ["SPDX3_CONTEXT", "spdx3_document", "write_spdx3"]

SPDX3_CONTEXT = "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"
"""The JSON-LD context of the SPDX 3.0.1 documents written."""

_NO_ASSERTION_LICENCE = "https://spdx.org/rdf/3.0.1/terms/ExpandedLicensing/NoAssertionLicense"


def _created() -> _dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = (_dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc)
            if epoch and epoch.isdigit() and len(epoch) <= 11 else _dt.datetime.now(_dt.timezone.utc))
    return when.replace(microsecond=0)


def spdx3_document(uses: Sequence[ModelUse], cat: Catalogue, *, name: str, created: _dt.datetime | None = None,
                   namespace: str | None = None) -> dict[str, Any]:
    """The SPDX 3.0.1 JSON-LD document (as JSON data) of the models found."""
    from spdx_python_model import v3_0_1 as s

    from licencecmp._version import __version__

    if namespace is None:
        slug = re.sub(r"[^A-Za-z0-9.-]+", "-", name).strip("-") or "models"
        namespace = f"https://spdx.org/spdxdocs/licencecmp/{slug}-{uuid.uuid4()}"
    ci = s.CreationInfo(specVersion="3.0.1", created=created or _created(),
                        comment="Models found by licencecmp; declared licences as the licencecmp catalogue knows them.")
    objects: list[Any] = []
    unique = unique_ids("-")

    def new_id(kind: str, label: str) -> str:
        return unique(f"{namespace}#{kind}-{quote(label, safe='')}")

    def add(obj: Any) -> Any:
        objects.append(obj)
        return obj

    agent = add(s.SoftwareAgent(_id=new_id("Agent", "licencecmp"), name=f"licencecmp {__version__}",
                                creationInfo=ci))
    tool = add(s.Tool(_id=new_id("Tool", "licencecmp"), name=f"licencecmp {__version__}", creationInfo=ci))
    ci.createdBy = [agent]
    ci.createdUsing = [tool]
    suppliers: dict[str, Any] = {}
    packages: dict[str, Any] = {}
    licences: dict[str, Any] = {}
    edges: dict[tuple[str, bool], list[Any]] = {}

    def supplier(model: str) -> Any:
        org = model.partition("/")[0] if "/" in model else ""
        if not org:
            return None
        if org.casefold() not in suppliers:
            suppliers[org.casefold()] = add(s.Organization(_id=new_id("Organization", org), name=org,
                                                           creationInfo=ci))
        return suppliers[org.casefold()]

    def licence(terms: Sequence[str]) -> Any:
        parts, uris = [], []
        for term in terms:
            expr, used = spdx_expression(term, cat)
            parts.append(f"({expr})" if " " in expr and len(terms) > 1 else expr)
            for lid in used:
                lic = cat.licence(lid)
                if lic.spdx.startswith("LicenseRef-"):
                    uris.append((lic.spdx, lic.url))
        text = " AND ".join(parts)
        if text not in licences:
            obj = s.simplelicensing_LicenseExpression(_id=new_id("License", text), creationInfo=ci,
                                                      simplelicensing_licenseExpression=text)
            obj.simplelicensing_customIdToUri = [s.DictionaryEntry(key=k, value=v) for k, v in dict(uris).items()]
            licences[text] = add(obj)
        return licences[text]

    def relate(source: Any, kind: Any, targets: list[Any], label: str) -> None:
        add(s.Relationship(_id=new_id("Relationship", label), creationInfo=ci, from_=source,
                           relationshipType=kind, to=targets))

    def package(model: str, entry: ModelEntry | None, terms: Sequence[str], hub: bool, comment: str) -> Any:
        key = model.casefold()
        if key in packages:
            return packages[key]
        pkg = s.ai_AIPackage(_id=new_id("Model", model), name=model, creationInfo=ci,
                             software_primaryPurpose=s.software_SoftwarePurpose.model, comment=comment)
        if hub and "/" in model:
            pkg.software_downloadLocation = f"https://huggingface.co/{model}"
            pkg.software_packageUrl = f"pkg:huggingface/{model}"
            pkg.suppliedBy = supplier(model)
        if entry is not None:
            pkg.ai_domain = [entry.modality.value]
            if entry.task:
                pkg.ai_typeOfModel = [entry.task]
        packages[key] = add(pkg)
        relate(pkg, s.RelationshipType.hasDeclaredLicense,
               [licence(terms)] if terms else [_NO_ASSERTION_LICENCE], f"{model}-declared")
        relate(pkg, s.RelationshipType.hasConcludedLicense, [_NO_ASSERTION_LICENCE], f"{model}-concluded")
        return pkg

    def lineage(pkg: Any, model: str, bases: Sequence[str], seen: frozenset[str], parts: bool = False) -> None:
        """``bases`` of ``model``: its base models, or (``parts``) the component models it ships."""
        for base in dict.fromkeys(bases):
            entry = cat.find_model(base)
            if entry is None or entry.id.casefold() in seen:
                continue
            base_pkg = package(entry.id, entry, [entry.licence], True,
                               f"{'Component' if parts else 'Base'} model (from the licencecmp registry)")
            targets = edges.setdefault((model.casefold(), parts), [])
            if base_pkg not in targets:
                targets.append(base_pkg)
            lineage(base_pkg, entry.id, entry.upstream, seen | {entry.id.casefold()},
                    entry.relation == COMPONENT_RELATION)

    roots = []
    for use in uses:
        lic = licensing_of(use, cat)
        hub = use.entry is not None or any(f.source == "sbom" and f.registry for f in use.found)
        where = ", ".join(sorted({f"{f.path}:{f.line}" for f in use.found})[:5])
        pkg = package(use.name, use.entry, lic.own, hub, f"Found by licencecmp at {where}")
        roots.append(pkg)
        bases = list(use.entry.upstream) if use.entry is not None else [b for f in use.found for b in f.base_models]
        lineage(pkg, use.name, bases, frozenset({use.key}),
                use.entry is not None and use.entry.relation == COMPONENT_RELATION)
    for (model, parts), targets in edges.items():
        if parts:
            relate(packages[model], s.RelationshipType.contains, targets, f"{packages[model].name}-components")
        else:
            relate(packages[model], s.RelationshipType.descendantOf, targets, f"{packages[model].name}-lineage")
    sbom = s.software_Sbom(_id=new_id("SBOM", name), name=name, creationInfo=ci,
                           software_sbomType=[s.software_SbomType.analyzed],
                           rootElement=list(dict.fromkeys(roots)), element=list(objects))
    doc = s.SpdxDocument(_id=new_id("Document", name), name=name, creationInfo=ci, rootElement=[sbom],
                         element=[sbom, *objects],
                         profileConformance=[s.ProfileIdentifierType.core, s.ProfileIdentifierType.software,
                                             s.ProfileIdentifierType.ai, s.ProfileIdentifierType.simpleLicensing])
    objset = s.SHACLObjectSet()
    for obj in (doc, sbom, *objects):
        objset.add(obj)
    data: dict[str, Any] = s.JSONLDSerializer().serialize_data(objset, force_at_graph=True)
    return data


def write_spdx3(data: dict[str, Any]) -> str:
    """The document as SPDX 3.0.1 JSON-LD text."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
