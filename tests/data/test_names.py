"""Names people type (issue 23 §3): pasted Hub references and short names (data/names.toml)
resolve to the model or licence they mean, or fail naming models, never a look-alike licence."""

from __future__ import annotations

import pytest

import licencecmp
from licencecmp.data.catalogue import default_catalogue
from licencecmp.data.names import hub_reference, known_names, typed_name
from licencecmp.errors import UnknownLicenceError, UnknownModelError

from ..conftest import Cli


@pytest.mark.parametrize(("text", "repo", "rev"), [
    ("https://huggingface.co/meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B", None),
    ("https://huggingface.co/meta-llama/Llama-3.1-8B/", "meta-llama/Llama-3.1-8B", None),
    ("huggingface.co/meta-llama/Llama-3.1-8B/blob/main/README.md", "meta-llama/Llama-3.1-8B", "main"),
    ("https://huggingface.co/google/gemma-3-4b-it/tree/refs-pr-1", "google/gemma-3-4b-it", "refs-pr-1"),
    ("hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M", "bartowski/Llama-3.2-3B-Instruct-GGUF", None),
    ("meta-llama/Llama-3.1-8B@0e9e39f", "meta-llama/Llama-3.1-8B", "0e9e39f"),
])
def test_hub_references(text: str, repo: str, rev: str | None) -> None:
    assert hub_reference(text) == (repo, rev)


@pytest.mark.parametrize("text", ["meta-llama/Llama-3.1-8B", "https://example.com/a/b", "mit", "a" * 600 + "/b",
                                  "https://huggingface.co/datasets", "hf.co/a/b/c/d"])
def test_not_references(text: str) -> None:
    assert hub_reference(text) is None


@pytest.mark.parametrize(("name", "model"), [
    ("https://huggingface.co/meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B"),
    ("hf.co/meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B"),
    ("meta-llama/Llama-3.1-8B@main", "meta-llama/Llama-3.1-8B"),
    ("mistral", "mistralai/Mistral-7B-Instruct-v0.3"),
    ("sdxl", "stabilityai/stable-diffusion-xl-base-1.0"),
])
def test_names_of_one_model_resolve_to_it(name: str, model: str) -> None:
    b = licencecmp.resolve(name)
    assert b.model == model
    assert b.licences == licencecmp.resolve(model).licences


@pytest.mark.parametrize("name", ["gemma3", "gemma-3", "GEMMA3", "gemma3:4b", "qwen3", "qwen2.5:7b", "llama3.1:8b"])
def test_family_names_resolve_when_every_model_shares_the_licences(name: str) -> None:
    cat = default_catalogue()
    typed = typed_name(name, [m.id for m in cat.models()])
    assert typed is not None and typed.models
    expected = {(cat.resolve(m).licence.id, tuple(u.id for u in cat.resolve(m).upstream)) for m in typed.models}
    assert len(expected) == 1
    r = cat.resolve(name)
    assert {(r.licence.id, tuple(u.id for u in r.upstream))} == expected


def test_a_size_tag_narrows_the_family() -> None:
    ids = [m.id for m in default_catalogue().models()]
    typed = typed_name("qwen2.5:3b", ids)
    assert typed is not None and typed.models and all("-3B" in m for m in typed.models)
    assert default_catalogue().resolve("qwen2.5:3b").licence.id != default_catalogue().resolve("qwen2.5:7b").licence.id


@pytest.mark.parametrize(("name", "among"), [
    ("qwen2.5", "Qwen/Qwen2.5-3B"),             # apache-2.0, qwen-research and qwen by size
    ("deepseek-r1", "deepseek-ai/DeepSeek-R1"),  # distilled models carry their bases' licences
    ("flux-dev", "black-forest-labs/FLUX.1-dev"),  # FLUX.1 [dev] and FLUX.2 [dev]: two licences
])
def test_names_of_models_under_different_licences_fail_naming_models(name: str, among: str) -> None:
    with pytest.raises(UnknownModelError) as info:
        default_catalogue().resolve(name)
    assert "different licences" in str(info.value) or "name one" in str(info.value)
    assert any(s.startswith(among.split("/")[0]) for s in info.value.suggestions)


def test_a_size_tag_is_not_guessed_where_ollama_ships_other_makers_bases() -> None:
    with pytest.raises(UnknownModelError, match="Hugging Face id"):
        default_catalogue().resolve("deepseek-r1:8b")


@pytest.mark.parametrize(("name", "suggested"), [("phi4", "microsoft/phi-4"), ("sdx", "sdxl")])
def test_unknown_names_suggest_models_before_licences(name: str, suggested: str) -> None:
    with pytest.raises(UnknownLicenceError) as info:
        default_catalogue().resolve(name)
    assert info.value.suggestions[0] == suggested


def test_every_family_name_names_registry_models_or_hub_ids() -> None:
    ids = [m.id for m in default_catalogue().models()]
    for name in known_names():
        typed = typed_name(name, ids)
        assert typed is not None and typed.ids, name
        assert all(i.count("/") == 1 for i in typed.hub), name


def test_a_pasted_reference_goes_down_the_chain_as_its_repo_id(cli: Cli) -> None:
    code, out, err = cli("can", "hf.co/bartowski/Llama-3.2-3B-Instruct-GGUF:Q4_K_M", "use")
    assert code == 0, err
    assert "bartowski/Llama-3.2-3B-Instruct-GGUF" in out and "llama-3.2" in out
    code, _, err = cli("can", "https://huggingface.co/acme/unknown-model", "use")
    assert code == 2 and "acme/unknown-model" in err
