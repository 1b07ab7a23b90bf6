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
    from collections import deque

    bom = load_json(text)
    if not isinstance(bom, dict):
        raise _SbomError("not a CycloneDX document (the top level is not an object)")
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
    return None
