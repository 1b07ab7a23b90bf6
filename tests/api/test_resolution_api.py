"""The Python API answers for any model id through the resolution chain (issue 27): a re-upload, a
model in the local Hugging Face cache and, with ``online=True``, a model only the Hub knows (the
loopback stand-in); each result says where the licence came from (``resolved``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import licencecmp
from licencecmp.errors import UnknownModelError
from tests.scan.hfcache_layout import cache_model
from tests.scan.hubstub import hub_stub, model_json

REUPLOAD = "mlx-community/Llama-3.2-3B-Instruct-4bit"
CACHED = "acme/cached-model"
HUB_ONLY = "acme/hub-only"


@pytest.fixture
def hub(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    cache_model(tmp_path / "cache", CACHED, {"README.md": "---\nlicense: apache-2.0\n---\n"})
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    with hub_stub({HUB_ONLY: (200, model_json(HUB_ONLY, "mit"), 0.0)}) as (url, seen):
        monkeypatch.setenv("HF_ENDPOINT", url)
        yield seen


CASES = [(REUPLOAD, False, "inferred"), (CACHED, False, "cache"), (HUB_ONLY, True, "hub")]


def _one(results: Any) -> tuple[str, str]:
    (p,) = results
    return p.model, p.resolution


@pytest.mark.parametrize(("model", "online", "how"), CASES, ids=[c[2] for c in CASES])
def test_every_function_answers_with_its_source(hub: list[str], model: str, online: bool, how: str) -> None:
    want = (model, how)
    decision = licencecmp.can(model, "use", online=online)
    assert _one(decision.resolved) == want and decision.model == model
    assert _one(licencecmp.compat(model, "mit", online=online).resolved) == want
    assert _one(licencecmp.openness(model, online=online).resolved) == want
    assert _one(licencecmp.combine(base=model, online=online).resolved) == want
    table = licencecmp.compare([model, "mit"], ["use"], online=online)
    assert _one(table.resolved) == want and table.rows[0].model == model
    assert model in licencecmp.matrix([model, "mit"], online=online).licences
    assert licencecmp.show(model, online=online).id == decision.licence
    r = licencecmp.resolve(model, online=online)
    assert r.source == how and r.licences == (decision.licence,)
    if how == "inferred":
        assert r.inferred_from == "meta-llama/Llama-3.2-3B-Instruct" and r.base_models[0].id == r.inferred_from


def test_offline_unless_asked(hub: list[str]) -> None:
    with pytest.raises(UnknownModelError, match="--online"):
        licencecmp.can(HUB_ONLY, "use")
    assert not hub  # nothing was asked of the Hub
    assert licencecmp.resolve(HUB_ONLY).source == "unknown"


def test_registry_models_say_so_with_their_lineage() -> None:
    d = licencecmp.can("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "use")
    (p,) = d.resolved
    assert p.resolution == "registry" and p.source and p.upstream == ("llama-3.1",)
    assert [(b.id, b.licences) for b in p.base_models] == [("meta-llama/Llama-3.1-8B", ("llama-3.1",))]
    assert licencecmp.can("mit", "use").resolved == ()  # a licence named directly
