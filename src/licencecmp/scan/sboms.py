"""SBOMs: reading the models an SBOM declares.

Reading: SPDX 2.3 documents (JSON, YAML, tag-value; parsed with spdx-tools) and CycloneDX JSON and
XML (parsed with cyclonedx-python-lib; components of type ``machine-learning-model``, their
``pedigree.ancestors`` as base models). A package or component is a
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


class _Lines:
    """Line numbers of values in a document, found in one pass: every ``"key": "value"`` (JSON),
    ``key: value`` (YAML, tag-value) of the keys asked for, by value; lines by bisection."""

    def __init__(self, text: str, keys: tuple[str, ...]) -> None:
        import bisect

        self._bisect = bisect.bisect_right
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.first: dict[tuple[str, str], int] = {}
        alts = "|".join(re.escape(k) for k in keys)
        pattern = re.compile(f"(?:\"({alts})\"|\\b({alts}))[ \t]*:[ \t]*[\"']?([^\"'\r\n,}}]*)")
        for m in pattern.finditer(text):
            key = m.group(1) or m.group(2)
            self.first.setdefault((key, m.group(3).strip()), m.start())

    def line(self, key: str, value: object) -> int | None:
        if not isinstance(value, str):
            return None
        pos = self.first.get((key, value.strip()))
        return None if pos is None else self._bisect(self.newlines, pos) + 1


class _XmlLines:
    """Line numbers of ``bom-ref="..."`` attributes and ``<name>...</name>`` elements of an XML
    document, found in one pass."""

    def __init__(self, text: str) -> None:
        import bisect

        self._bisect = bisect.bisect_right
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.first: dict[tuple[str, str], int] = {}
        for m in re.finditer(r'bom-ref="([^"<>]*)"|<name>([^<]*)</name>', text):
            key, value = ("bom-ref", m.group(1)) if m.group(1) is not None else ("name", m.group(2))
            self.first.setdefault((key, value.strip()), m.start())

    def line(self, key: str, value: object) -> int | None:
        if not isinstance(value, str):
            return None
        pos = self.first.get((key, value.strip()))
        return None if pos is None else self._bisect(self.newlines, pos) + 1


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
    """Add the models an SBOM declares to ``res`` (problems are recorded, never raised). Parsed from
    ``data`` (the file is not opened again), in linear time and bounded memory."""
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


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _SbomError(f"duplicate key {_short(key)!r} in a JSON object (which one counts is ambiguous)")
        out[key] = value
    return out


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."


def load_json(text: str) -> Any:
    """JSON with duplicate keys rejected; raises _SbomError."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise _SbomError(f"invalid JSON: {exc.msg}", exc.lineno) from None
    except RecursionError:
        raise _SbomError("JSON nested too deeply") from None
    except ValueError as exc:  # an integer too long to convert
        raise _SbomError(f"invalid JSON: {_short(str(exc))}") from None


def _parse_spdx(path: Path, text: str) -> Any:
    """An SPDX document parsed from ``text`` (JSON, YAML with the alias-bomb guard, tag-value)."""
    from unittest import mock

    from spdx_tools.common.spdx_licensing import spdx_licensing
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser
    from spdx_tools.spdx.parser.tagvalue import parser as tv

    from licencecmp.scan.cards import load_yaml_bounded

    name = str(path).lower()
    if name.endswith(".json"):
        return JsonLikeDictParser().parse(load_json(text))  # type: ignore[no-untyped-call]
    if name.endswith((".yaml", ".yml")):
        try:
            data = load_yaml_bounded(text, max_bytes=len(text) + 1, max_nodes=max(100_000, len(text)))
        except ValueError as exc:
            raise _SbomError(f"invalid YAML: {exc}") from None
        return JsonLikeDictParser().parse(data)  # type: ignore[no-untyped-call]
    if name.endswith((".rdf", ".xml")):
        raise _SbomError("SPDX RDF/XML is not read; use SPDX JSON, YAML or tag-value")
    # tag-value: spdx-tools builds a new licence-expression parser per licence (~70 ms each);
    # one shared parser makes it linear.
    with mock.patch.object(tv, "get_spdx_licensing", lambda: spdx_licensing):
        return tv.Parser().parse(text)  # type: ignore[no-untyped-call]


def _read_spdx(path: Path, text: str, rel: str, ids: dict[str, str], res: ScanResult) -> None:
    from spdx_tools.spdx.model.spdx_no_assertion import SpdxNoAssertion
    from spdx_tools.spdx.model.spdx_none import SpdxNone
    from spdx_tools.spdx.parser.error import SPDXParsingError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = _parse_spdx(path, text)
    except _SbomError:
        raise
    except SPDXParsingError as exc:
        msgs = list(exc.messages)
        raise _SbomError("; ".join(_short(str(m), 300) for m in msgs[:2]) + (f" (and {len(msgs) - 2} more)"
                                                                          if len(msgs) > 2 else "")) from None
    except Exception as exc:  # spdx-tools raises many kinds for malformed input
        raise _SbomError(f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}") from None
    lines = _Lines(text, ("SPDXID",))
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
        line = lines.line("SPDXID", pkg.spdx_id) or 1
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
    """CycloneDX JSON or XML, read with cyclonedx-python-lib. JSON the library cannot read (it is
    stricter than many producers), or too large for it to read in linear time, is walked as plain
    data instead; XML it cannot read is a problem."""
    if text.lstrip("\ufeff \t\r\n").startswith("<"):
        _read_cyclonedx_xml(text, rel, ids, res)
        return
    bom = load_json(text)  # duplicate keys rejected
    if not isinstance(bom, dict):
        raise _SbomError("not a CycloneDX document (the top level is not an object)")
    parsed = None
    if _count_components(bom, LIBRARY_MAX_COMPONENTS) <= LIBRARY_MAX_COMPONENTS:
        try:
            parsed = _library_bom(lambda b: b.from_json(bom))
        except _SbomError:
            parsed = None
    if parsed is None:
        _walk_cyclonedx(bom, text, rel, ids, res)
    else:
        _read_bom(parsed, text, rel, ids, res, json=True)


LIBRARY_MAX_COMPONENTS = 500
"""Above this many components a JSON BOM is walked as plain data: the library keeps components in
sorted sets whose comparisons make reading superlinear and slow (2,000 components took 11 s)."""


def _count_components(bom: dict[str, Any], limit: int) -> int:
    """The components of a BOM (nested ones too), counted up to just past ``limit``."""
    todo: list[Any] = [bom, bom.get("metadata")]
    seen = 0
    while todo and seen <= limit:
        node = todo.pop()
        if not isinstance(node, dict):
            continue
        comps = node.get("components")
        if isinstance(comps, list):
            seen += len(comps)
            todo.extend(comps[: limit + 1])
        comp = node.get("component")
        if isinstance(comp, dict):
            seen += 1
            todo.append(comp)
    return seen


def _library_bom(load: Any) -> Any:
    from cyclonedx.model.bom import Bom

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load(Bom)
    except RecursionError:
        raise _SbomError("nested too deeply") from None
    except Exception as exc:  # the library raises many kinds for malformed input
        raise _SbomError(f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}") from None


def _read_cyclonedx_xml(text: str, rel: str, ids: dict[str, str], res: ScanResult) -> None:
    import xml.etree.ElementTree as ET

    if "<!DOCTYPE" in text or "<!ENTITY" in text:  # no DTDs: entity expansion is not worth the risk
        raise _SbomError("XML with a DOCTYPE or entities is not read")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise _SbomError(f"invalid XML: {exc}", exc.position[0] if exc.position else None) from None
    except RecursionError:
        raise _SbomError("XML nested too deeply") from None
    if not root.tag.startswith("{http://cyclonedx.org/schema/bom/"):
        raise _SbomError("not a CycloneDX document (the root is not a CycloneDX bom element)")
    _read_bom(_library_bom(lambda b: b.from_xml(root)), text, rel, ids, res, json=False)


def _read_bom(bom: Any, text: str, rel: str, ids: dict[str, str], res: ScanResult, *, json: bool) -> None:
    """The models of a BOM the library has read: components (nested ones too) and the metadata's
    component; each component's ``pedigree.ancestors`` are its base models."""
    from collections import deque

    from cyclonedx.model.component import ComponentType
    from cyclonedx.model.license import LicenseExpression

    lines = _Lines(text, ("bom-ref", "name")) if json else _XmlLines(text)
    stack: deque[Any] = deque(bom.components)
    if bom.metadata.component is not None:
        stack.append(bom.metadata.component)
    while stack:
        comp = stack.popleft()
        stack.extend(comp.components)
        hit = _component_model(comp, ids)
        is_model = comp.type is ComponentType.MACHINE_LEARNING_MODEL
        if hit is None and not is_model:
            continue
        model, known = hit if hit is not None else (_full_name(comp), False)
        # Every entry of a component's `licenses` applies. The specification does not name an operator
        # between the entries: CycloneDX 1.6 (bom-1.6.schema.json, licenseChoice) says "EITHER (list of
        # SPDX licenses and/or named licenses) OR (tuple of one SPDX License Expression)", and 1.7
        # (bom-1.7.schema.json, licenseChoice) "A list of SPDX licenses and/or named licenses and/or SPDX
        # License Expression". A choice between licences has its own form (an expression with OR), so
        # a list is read as licences that are all declared, i.e. joined with AND: reading it as a
        # choice would let the least restrictive entry win, a permission nobody granted.
        parts: list[str] = []
        name = url = None
        for entry in comp.licenses:
            if isinstance(entry, LicenseExpression):
                parts.append(entry.value)
                continue
            if entry.id:
                parts.append(entry.id)
            elif entry.name:
                name = entry.name
                if " " not in name:  # a bare name such as "llama3.1" may be an alias; a title is not
                    parts.append(name)
            if entry.url is not None:
                url = str(entry.url)
        licence = " AND ".join(f"({p})" if " " in p else p for p in parts) if parts else None
        bases: list[str] = []
        if comp.pedigree is not None:
            for anc in comp.pedigree.ancestors:
                ahit = _component_model(anc, ids)
                if ahit is not None or anc.type is ComponentType.MACHINE_LEARNING_MODEL:
                    bases.append(ahit[0] if ahit is not None else _full_name(anc))
        ref = comp.bom_ref.value if comp.bom_ref is not None else None
        line = lines.line("bom-ref", ref) or lines.line("name", comp.name) or 1
        res.found.append(Found(model, "sbom", rel, line, licence=licence, licence_name=name,
                               licence_link=url, base_models=tuple(dict.fromkeys(bases)), registry=known))


def _full_name(comp: Any) -> str:
    name = str(comp.name)
    return f"{comp.group}/{name}" if comp.group and "/" not in name else name


def _component_model(comp: Any, ids: dict[str, str]) -> tuple[str, bool] | None:
    purls = [comp.purl.to_string()] if comp.purl is not None else []
    urls = [str(r.url) for r in comp.external_references]
    return _model_id(_full_name(comp), purls, urls, ids)


def _walk_cyclonedx(bom: dict[str, Any], text: str, rel: str, ids: dict[str, str], res: ScanResult) -> None:
    """CycloneDX JSON as plain data, for documents the library does not read."""
    from collections import deque

    lines = _Lines(text, ("bom-ref", "name"))
    stack: deque[Any] = deque(_components(bom))
    meta = bom.get("metadata")
    if isinstance(meta, dict) and isinstance(meta.get("component"), dict):
        stack.append(meta["component"])
    while stack:
        comp = stack.popleft()
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
        line = lines.line("bom-ref", ref) or lines.line("name", cname) or 1
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
        if b'"bomFormat"' in data and b"CycloneDX" in data:  # anywhere: keys may come in any order
            return "cyclonedx"
        if b'"spdxVersion"' in data:
            return "spdx"
    elif suffix in (".yaml", ".yml"):
        if re.search(rb"^[ \t]*spdxVersion[ \t]*:", data, re.MULTILINE):  # [ \t]*: linear on blank lines
            return "spdx"
    elif suffix in (".tag",) and b"SPDXVersion:" in data[:65536]:
        return "spdx"
    elif suffix == ".xml" and b"http://cyclonedx.org/schema/bom/" in data[:65536]:
        return "cyclonedx"
    return None
