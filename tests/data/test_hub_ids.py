"""Every licence id of the Hugging Face Hub's list and every common `license_name` resolves to a
catalogue licence, or is reported: not in the catalogue (no text) or ambiguous (a family, a name used
for different texts). Never silently unknown, and `modified-mit` never plain MIT."""

from __future__ import annotations

from pathlib import Path

import pytest

import licencecmp
from licencecmp.errors import AmbiguousLicenceNameError, LicenceNotInCatalogueError, UnknownLicenceError

from ..conftest import Cli

CAT = licencecmp.catalogue()

# license_name values that model cards use with `license: other` (seen in the registry's sources and on
# the Hub), and the other names people give these licences.
COMMON_NAMES = [
    "modified-mit", "qwen", "qwen-research", "tongyi-qianwen", "tongyi-qianwen-research", "mrl", "mnpl", "lfm1.0",
    "flux-1-dev-non-commercial-license", "health-ai-developer-foundations", "tencent-hunyuan-community",
    "tencent-hunyuan-a13b", "nvidia-open-model-license", "falcon-llm-license", "falcon-180b-license",
    "stabilityai-ai-community", "cogvideox-license", "deepseek", "deepseek-license", "llama3", "llama3.1",
    "llama3.2", "llama3.3", "llama4", "gemma", "grok2-community", "yi-license", "glm-4", "minimax-model-license",
    "openmdw", "openrail++", "apple-amlr", "apple-ascl", "kimi-k2-modified-mit", "h-research", "intel-research",
    "dinov3-license", "sam-license", "exaone", "k-exaone",
    "other", "unknown",
    # the 2026-12-07 batch: Stability's non-commercial texts, Coqui's CPML, and licences with no text here
    "sai-nc-community", "stable-video-diffusion-nc-community", "coqui-public-model-license", "skywork-license",
    "jamba-open-model-license", "hyperclovax-seed",
]


def hub_ids(shared: Path) -> list[str]:
    lines = (shared.parent / "hf-licence-ids.txt").read_text(encoding="utf-8").splitlines()
    return [ln.split("\t", 1)[0].strip() for ln in lines if ln.strip() and not ln.startswith("#")]


def outcome(name: str) -> str:
    """The licence id, or `not-in-catalogue:<id>`, or `ambiguous:<candidates>`."""
    try:
        return CAT.resolve(name).licence.id
    except LicenceNotInCatalogueError as exc:
        return f"not-in-catalogue:{exc.name}"
    except AmbiguousLicenceNameError as exc:
        return "ambiguous:" + ",".join(exc.candidates)


def test_every_hub_licence_id_resolves_or_is_reported(texts_dir: Path) -> None:
    ids = hub_ids(texts_dir)
    assert len(ids) >= 80
    unknown = []
    for name in ids:
        try:
            outcome(name)
        except UnknownLicenceError:
            unknown.append(name)
    assert not unknown, f"Hub licence ids neither resolved nor reported: {unknown}"


@pytest.mark.parametrize("name", COMMON_NAMES)
def test_every_common_licence_name_resolves_or_is_reported(name: str) -> None:
    got = outcome(name)  # raises UnknownLicenceError for a name nothing knows
    assert got != "mit"


def test_modified_mit_is_ambiguous_and_never_plain_mit() -> None:
    for spelling in ("modified-mit", "Modified-MIT", "modified_mit", "modified mit"):
        with pytest.raises(AmbiguousLicenceNameError) as info:
            CAT.resolve(spelling)
        assert "mit" not in info.value.candidates
        assert {"kimi-k2", "minimax-m2-modified-mit", "mistral-modified-mit"} <= set(info.value.candidates)
        assert spelling not in CAT


def test_a_model_id_still_decides(texts_dir: Path) -> None:
    """An ambiguous licence name does not stop a registered model from resolving to its licence."""
    for entry in CAT.models():
        if entry.licence in CAT.ambiguous_candidates("modified-mit"):
            assert CAT.resolve(entry.id).licence.id == entry.licence
            break
    else:
        pytest.fail("no registry model under a modified MIT")


@pytest.mark.parametrize("name", sorted(CAT.ambiguous))
def test_ambiguous_names_say_why_and_list_catalogue_licences(name: str, texts_dir: Path) -> None:
    entry = CAT.ambiguous[name]
    assert len(entry["reason"]) > 20
    for candidate in entry.get("candidates", ()):
        # a candidate is a catalogue licence, or one whose text is still being encoded
        assert candidate in CAT.ids() or (texts_dir / f"{candidate}.txt").is_file(), (name, candidate)
    with pytest.raises(AmbiguousLicenceNameError) as info:
        CAT.get(name)
    assert info.value.reason == entry["reason"]
    assert set(info.value.candidates) <= set(CAT.ids())


def test_the_check_reports_an_ambiguous_card(tmp_path: Path, cli: Cli) -> None:
    card = tmp_path / "README.md"
    card.write_text("---\nlicense: other\nlicense_name: modified-mit\n---\n# some model\n", encoding="utf-8")
    code, out, err = cli("check", str(tmp_path))
    assert code != 0 and "modified-mit" in out + err
