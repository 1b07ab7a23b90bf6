"""Writing a CycloneDX ML-BOM of the models found, with cyclonedx-python-lib.

One ``machine-learning-model`` component per model: its purl (``pkg:huggingface/ORG/NAME``, with
``@REV`` when a revision is known), its own licences (one entry per licence), its upstream models
as ``pedigree.ancestors`` (each with its own licence), a ``modelCard`` with what is known (task,
modality) and the licences' obligations as ``licencecmp:obligation`` properties. CycloneDX 1.6 by
default, 1.7 on request. The document is validated with the library's strict schema validator
before it is returned.

cyclonedx-python-lib has no model of ``modelCard`` yet (``Component.model_card`` is a stub), so the
model cards are added to the serialised document, at the place the schema puts them; everything
else is the library's output.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from licencecmp.data.catalogue import Catalogue
from licencecmp.render.common import unique_ids
from licencecmp.scan.check import ModelUse, licensing_of

if TYPE_CHECKING:
    from licencecmp.data.records import ModelEntry

__all__ = ["SPEC_VERSIONS", "CycloneDxDocument", "cyclonedx_bom", "validate_cyclonedx", "write_cyclonedx"]

SPEC_VERSIONS = ("1.6", "1.7")
"""The CycloneDX versions written (1.6 by default)."""

_NS = "licencecmp"


@dataclass
class CycloneDxDocument:
    """A cyclonedx-python-lib ``Bom`` and the model cards (by bom-ref) the library cannot hold yet."""

    bom: Any
    spec: str
    model_cards: dict[str, dict[str, Any]] = field(default_factory=dict)


def _purl(model: str, revision: str | None = None) -> Any:
    from packageurl import PackageURL

    org, _, name = model.partition("/")
    if not org or not name:
        return None
    return PackageURL(type="huggingface", namespace=org, name=name, version=revision)


def _licence_entries(terms: Sequence[str], cat: Catalogue, spec: str) -> list[Any]:
    """One entry per licence: an SPDX id, or a named licence with its URL; an expression as an
    expression. CycloneDX 1.6 cannot mix an expression with other entries (1.7 can, but
    cyclonedx-python-lib refuses the mix for every version), so a list that holds an expression
    becomes one ``AND`` expression."""
    from cyclonedx.model.license import DisjunctiveLicense, LicenseAcknowledgement, LicenseExpression

    from licencecmp.render.spdx import spdx_expression

    declared = LicenseAcknowledgement.DECLARED
    exprs = [spdx_expression(t, cat)[0] for t in terms]
    if len(terms) > 1 and any(" " in e for e in exprs):
        return [LicenseExpression(" AND ".join(f"({e})" if " " in e else e for e in exprs),
                                  acknowledgement=declared)]
    out: list[Any] = []
    for term, expr in zip(terms, exprs, strict=True):
        if " " in expr:
            out.append(LicenseExpression(expr, acknowledgement=declared))
            continue
        if term in cat.unavailable:  # a licence named without a text (an ancestor's, say): named, never dropped
            out.append(DisjunctiveLicense(name=cat.unavailable[term]["title"], acknowledgement=declared))
            continue
        lic = cat.licence(term)
        entry = None
        if not lic.spdx.startswith("LicenseRef-"):
            try:
                entry = DisjunctiveLicense(id=lic.spdx, acknowledgement=declared)
            except Exception:  # an id newer than the library's SPDX list
                entry = None
        if entry is None:
            from cyclonedx.model import XsUri

            entry = DisjunctiveLicense(name=lic.title, url=XsUri(lic.url), acknowledgement=declared)
        out.append(entry)
    return out


def _obligations(terms: Sequence[str], cat: Catalogue) -> list[Any]:
    from cyclonedx.model import Property

    props = []
    for term in terms:
        if term in cat.unavailable or term not in cat:  # no text here; or an expression, whose obligations
            continue                                      # depend on the choice
        lic = cat.licence(term)
        for key, ob in lic.obligations.items():
            props.append(Property(name=f"{_NS}:obligation", value=f"{lic.id} {key} ({ob.kind.value}): {ob.text}"))
    return props


def _model_card(entry: ModelEntry | None) -> dict[str, Any] | None:
    if entry is None:
        return None
    params: dict[str, Any] = {}
    if entry.task:
        params["task"] = entry.task
    params["inputs"] = [{"format": entry.modality.value}]
    return {"modelParameters": params}


def cyclonedx_bom(uses: Sequence[ModelUse], cat: Catalogue, *, name: str, spec: str = "1.6",
                  created: Any = None) -> CycloneDxDocument:
    """A CycloneDX ML-BOM with one component per model found (and per registry base model, as its
    ancestor)."""
    import datetime as _dt

    from cyclonedx.model import Property
    from cyclonedx.model.bom import Bom, BomMetaData
    from cyclonedx.model.component import Component, ComponentType, Pedigree
    from cyclonedx.model.tool import ToolRepository

    from licencecmp._version import __version__

    if spec not in SPEC_VERSIONS:
        raise ValueError(f"CycloneDX {spec} is not written; use one of {', '.join(SPEC_VERSIONS)}")
    if created is None:
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        created = (_dt.datetime.fromtimestamp(int(epoch), _dt.timezone.utc) if epoch and epoch.isdigit()
                   else _dt.datetime.now(_dt.timezone.utc)).replace(microsecond=0)
    doc = CycloneDxDocument(bom=None, spec=spec)
    unique = unique_ids("#")

    def ref_for(model: str, prefix: str) -> str:
        return unique(f"{prefix}:{model}")

    def component(model: str, entry: ModelEntry | None, terms: Sequence[str], upstream: Sequence[str],
                  prefix: str, seen: frozenset[str]) -> Any:
        ref = ref_for(model, prefix)
        props = [Property(name=f"{_NS}:registry", value="true" if entry is not None else "false")]
        if entry is not None:
            props.append(Property(name=f"{_NS}:modality", value=entry.modality.value))
            if entry.relation:
                props.append(Property(name=f"{_NS}:relation", value=entry.relation))
        props += [Property(name=f"{_NS}:upstream-licence", value=u) for u in upstream]
        props += _obligations(terms, cat)
        ancestors = []
        if entry is not None:
            for up in entry.upstream:
                up_entry = cat.find_model(up)
                if up_entry is None or up.casefold() in seen:
                    continue
                ancestors.append(component(up_entry.id, up_entry, [up_entry.licence],
                                           cat.upstream_licence_ids(up_entry),
                                           f"{ref}/ancestor", seen | {up.casefold()}))
        card = _model_card(entry)
        if card is not None:
            doc.model_cards[ref] = card
        org, _, short = model.rpartition("/")
        return Component(
            name=short or model, group=org or None, type=ComponentType.MACHINE_LEARNING_MODEL, bom_ref=ref,
            purl=_purl(model), licenses=_licence_entries(terms, cat, spec), properties=props,
            pedigree=Pedigree(ancestors=ancestors) if ancestors else None)

    components = []
    for use in uses:
        lic = licensing_of(use, cat)
        entry = use.entry
        comp = component(use.name, entry, lic.own, lic.upstream, "model", frozenset({use.key}))
        if entry is None:  # a model card's base models that the registry knows
            bases = [cat.find_model(b) for f in use.found for b in f.base_models]
            ancestors = [component(b.id, b, [b.licence], cat.upstream_licence_ids(b),
                                   f"{comp.bom_ref.value}/ancestor", frozenset({use.key, b.id.casefold()}))
                         for b in dict.fromkeys(x for x in bases if x is not None)]
            if ancestors:
                comp.pedigree = Pedigree(ancestors=ancestors)
        components.append(comp)
    root = Component(name=name, type=ComponentType.APPLICATION, bom_ref="root")
    tools = ToolRepository(components=[Component(name="licencecmp", version=__version__,
                                                 type=ComponentType.APPLICATION)])
    bom = Bom(components=components, metadata=BomMetaData(component=root, tools=tools, timestamp=created))
    bom.register_dependency(root, components)
    doc.bom = bom
    return doc


def _schema_version(spec: str) -> Any:
    from cyclonedx.schema import SchemaVersion

    return SchemaVersion.from_version(spec)


def _add_cards_json(text: str, cards: dict[str, dict[str, Any]]) -> str:
    import json

    data = json.loads(text)

    def walk(comps: list[dict[str, Any]]) -> None:
        for comp in comps:
            card = cards.get(comp.get("bom-ref", ""))
            if card is not None:
                comp["modelCard"] = card
            walk(comp.get("components", []))
            walk((comp.get("pedigree") or {}).get("ancestors", []))

    walk(data.get("components", []))
    first = ["$schema", "bomFormat", "specVersion", "serialNumber", "version", "metadata", "components"]
    data = {**{k: data[k] for k in first if k in data}, **data}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _add_cards_xml(text: str, cards: dict[str, dict[str, Any]]) -> str:
    import xml.etree.ElementTree as ET

    ns = text.split('xmlns="', 1)[1].split('"', 1)[0]
    ET.register_namespace("", ns)
    root = ET.fromstring(text)
    q = f"{{{ns}}}"
    # In the schema's sequence, modelCard follows components/evidence/releaseNotes and precedes
    # data/cryptoProperties/tags/signature, none of which licencecmp writes.
    for comp in root.iter(f"{q}component"):
        card = cards.get(comp.get("bom-ref", ""))
        if card is None:
            continue
        el = ET.SubElement(comp, f"{q}modelCard")
        params = ET.SubElement(el, f"{q}modelParameters")
        p = card["modelParameters"]
        if "task" in p:
            ET.SubElement(params, f"{q}task").text = p["task"]
        inputs = ET.SubElement(params, f"{q}inputs")
        for i in p.get("inputs", []):
            ET.SubElement(ET.SubElement(inputs, f"{q}input"), f"{q}format").text = i["format"]
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_cyclonedx(doc: CycloneDxDocument, fmt: str = "cyclonedx-json") -> str:
    """Serialise (JSON or XML), add the model cards, and validate against the CycloneDX schema."""
    from cyclonedx.output import make_outputter
    from cyclonedx.schema import OutputFormat

    if fmt not in ("cyclonedx-json", "cyclonedx-xml"):
        raise ValueError(f"unknown CycloneDX format {fmt!r}")
    of = OutputFormat.JSON if fmt == "cyclonedx-json" else OutputFormat.XML
    version = _schema_version(doc.spec)
    text = make_outputter(doc.bom, of, version).output_as_string(indent=2)
    text = _add_cards_json(text, doc.model_cards) if of is OutputFormat.JSON else _add_cards_xml(text, doc.model_cards)
    error = validate_cyclonedx(text, fmt, doc.spec)
    if error is not None:  # pragma: no cover - a bug in licencecmp, not bad input
        raise RuntimeError(f"invalid CycloneDX document: {error}")
    return text


def validate_cyclonedx(text: str, fmt: str, spec: str) -> str | None:
    """The first schema error (the library's strict validator for JSON), or None. Validation needs
    the library's optional dependencies (jsonschema for JSON, lxml for XML); without them the
    document is not validated here (the tests validate it)."""
    from cyclonedx.exception import MissingOptionalDependencyException
    from cyclonedx.schema import OutputFormat
    from cyclonedx.validation import make_schemabased_validator

    version = _schema_version(spec)
    validator: Any
    if fmt == "cyclonedx-json":
        from cyclonedx.validation.json import JsonStrictValidator

        validator = JsonStrictValidator(version)
    else:
        validator = make_schemabased_validator(OutputFormat.XML, version)
    try:
        error = validator.validate_str(text)
    except MissingOptionalDependencyException:
        return None
    return None if error is None else str(error)
