"""Fuzz: licence data files (``licences/*.toml``, the registry and the territories), as loaded from
a folder named by ``LICENCECMP_DATA``.

Real licence files, structurally mutated (a value of another type, a key removed or added, a
reference to an obligation that does not exist) and byte-mutated: the schema raises only
pydantic's ValidationError, and loading a folder raises only LicenceDataError (naming the file).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from licencecmp.data.catalogue import Catalogue, load_sources
from licencecmp.data.records import Licence
from licencecmp.errors import LicencecmpError, LicenceDataError

from ..conftest import LICENCES
from ._support import bounded, fuzz_settings, mutated, mutated_tree, outcome, scratch, toml_document

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FILES = sorted(p for p in LICENCES.glob("*.toml") if not p.name.startswith("_")) if LICENCES.is_dir() else []
if not FILES:
    pytest.skip("no licences/ folder (the fuzz suite runs from a checkout)", allow_module_level=True)
NAMES = [p.name for p in FILES]
DOCS = {p.name: tomllib.loads(p.read_text(encoding="utf-8")) for p in FILES}
REFERENCES = ["", "nope", "keep-notices", "licence", "§1", "EU", "XX", "use", "prohibited", "monthly-active-users"]


def _folder(d: Path, name: str, text: bytes, *, registry: bytes | None = None) -> Path:
    folder = d / "licences"
    folder.mkdir()
    (folder / name).write_bytes(text)
    shutil.copy(LICENCES / "_territories.toml", folder / "_territories.toml")
    if registry is not None:
        (folder / "_models.toml").write_bytes(registry)
    return folder


def _load(folder: Path) -> Any:
    result = outcome(lambda: Catalogue.from_sources(folder))
    if isinstance(result, LicencecmpError):
        assert isinstance(result, LicenceDataError), f"{type(result).__name__}: {result}"
        assert str(folder) in result.path or result.path.endswith(".toml"), result.path
    else:
        list(result)  # every licence built
    return result


@fuzz_settings()
@given(st.sampled_from(NAMES).flatmap(lambda n: st.tuples(st.just(n), mutated_tree(DOCS[n]))))
def test_schema_raises_only_validation_errors(case: tuple[str, Any]) -> None:
    _, doc = case
    with bounded(), contextlib.suppress(ValidationError):
        Licence.model_validate(doc)


@fuzz_settings()
@given(st.sampled_from(NAMES).flatmap(lambda n: st.tuples(st.just(n), mutated_tree(DOCS[n]))))
def test_structurally_mutated_licence_files(case: tuple[str, Any]) -> None:
    name, doc = case
    if not isinstance(doc, dict):
        doc = {"x": doc}
    with scratch() as d:
        _load(_folder(d, name, toml_document(doc).encode("utf-8")))


@fuzz_settings()
@given(st.sampled_from(NAMES), st.sampled_from(REFERENCES), st.data())
def test_dangling_references(name: str, ref: str, data: st.DataObject) -> None:
    """Point a string somewhere in a real licence at something that does not exist."""
    doc = DOCS[name]
    paths = [p for p in _string_paths(doc)]
    path = data.draw(st.sampled_from(paths))
    import copy

    doc = copy.deepcopy(doc)
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = ref
    with scratch() as d:
        _load(_folder(d, name, toml_document(doc).encode("utf-8")))


def _string_paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += _string_paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += _string_paths(v, (*prefix, i))
    elif isinstance(doc, str):
        out.append(prefix)
    return out


@fuzz_settings()
@given(st.sampled_from(FILES).flatmap(lambda p: st.tuples(st.just(p.name), mutated(p.read_bytes()))))
def test_byte_mutated_licence_files(case: tuple[str, bytes]) -> None:
    name, data = case
    with scratch() as d:
        _load(_folder(d, name, data))
        result = outcome(lambda: load_sources(d / "licences"))
        assert not isinstance(result, LicencecmpError) or isinstance(result, LicenceDataError)


@pytest.mark.slow  # copies and loads the whole licence folder twice per example: the slow tier (tests/tiers.py)
@fuzz_settings(0.2)
@given(mutated((LICENCES / "_models.toml").read_bytes() if (LICENCES / "_models.toml").exists() else b"",
               max_ops=3),
       mutated((LICENCES / "_territories.toml").read_bytes(), max_ops=3))
def test_mutated_registry_and_territories(models: bytes, territories: bytes) -> None:
    with scratch() as d:
        folder = d / "licences"
        shutil.copytree(LICENCES, folder)
        (folder / "_models.toml").write_bytes(models)
        _load(folder)
        (folder / "_territories.toml").write_bytes(territories)
        _load(folder)
