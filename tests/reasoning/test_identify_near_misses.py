"""`identify` tells a licence from its near misses: siblings, modified copies, added paragraphs."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

import licencecmp
from licencecmp.data.catalogue import Catalogue, compiled_path
from licencecmp.reasoning.identify import IDENTIFY_SCHEMA_VERSION, Identification, identify_text
from tests.reasoning.variants import markdown, rewrap, straighten
from tests.tiers import sample

from ..conftest import Cli

CAT = licencecmp.catalogue()
DATA = json.loads(compiled_path().read_text(encoding="utf-8"))
# Texts that exactly one licence names (a text two licences share cannot tell them apart).
OWNED = sorted({(lic.id, part, name) for lic in CAT for part, name in lic.texts.items()
                if sum(name in other.texts.values() for other in CAT) == 1})
OWNED_TIERED = sample(OWNED, 4, unpack=True)  # a quarter in the default run, all of them in the slow tier


def without(licence_id: str) -> Catalogue:
    """The shipped catalogue less one licence: what identify says of a text it does not know."""
    data = dict(DATA)
    data["licences"] = {k: v for k, v in DATA["licences"].items() if k != licence_id}
    return Catalogue.from_compiled(data, trusted=True)


def _read(texts_dir: Path, name: str) -> str:
    return (texts_dir / name).read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(("licence_id", "part", "name"), OWNED_TIERED)
def test_a_text_is_never_matched_to_a_sibling(licence_id: str, part: str, name: str, texts_dir: Path) -> None:
    """With its own licence in the catalogue a text is that licence; without it, no sibling (MIT for a
    modified MIT, Hunyuan A13B for Hunyuan Video, the NVIDIA, FLUX, Gemma, Llama, OpenMDW and CC
    versions ...) is reported as a match."""
    text = _read(texts_dir, name)
    own = identify_text(text)
    assert own.licence == licence_id and own.verdict.value == "match", (name, own.nearest[:3])
    other = identify_text(text, without(licence_id))
    assert other.licence is None and other.verdict.value != "match", (name, other.closest, other.score)


def modified_mits() -> list[str]:
    return [c for c in CAT.ambiguous_candidates("modified-mit")]


@pytest.mark.parametrize("licence_id", modified_mits())
def test_a_modified_mit_is_never_mit(licence_id: str, texts_dir: Path) -> None:
    text = _read(texts_dir, CAT.licence(licence_id).texts["licence"])
    for cat in (CAT, without(licence_id)):
        got = identify_text(text, cat)
        assert got.licence != "mit" and not (got.closest == "mit" and got.verdict.value == "match")
    alone = identify_text(text, without(licence_id))
    if alone.closest == "mit":  # the added condition is shown
        assert alone.added_words > 0 and alone.added


MIT_NEAR = [(c, v) for c in modified_mits() for v in ("rewrapped", "straight", "markdown", "crlf")]


@pytest.mark.parametrize(("licence_id", "variant"), MIT_NEAR)
def test_reformatted_modified_mits_are_still_themselves(licence_id: str, variant: str, texts_dir: Path) -> None:
    text = _read(texts_dir, CAT.licence(licence_id).texts["licence"])
    variants: dict[str, Callable[[str], str]] = {"rewrapped": rewrap, "straight": straighten, "markdown": markdown,
                                                 "crlf": lambda t: t.replace("\n", "\r\n")}
    changed = variants[variant](text)
    got = identify_text(changed)
    assert got.licence == licence_id and got.verdict.value == "match"


ADDED = ("Notwithstanding anything above, you may not use the Software or the Model for any commercial purpose "
         "without a separate written agreement with the Licensor.")


@pytest.mark.parametrize(("licence_id", "part", "name"), OWNED_TIERED)
def test_an_added_paragraph_makes_it_modified(licence_id: str, part: str, name: str, texts_dir: Path) -> None:
    text = _read(texts_dir, name)
    cut = len(text) // 2
    cut = text.index("\n", cut) if "\n" in text[cut:] else len(text)
    got = identify_text(text[:cut] + "\n\n" + ADDED + "\n\n" + text[cut:])
    assert got.licence is None and got.verdict.value == "modified" and got.closest == licence_id, (
        name, got.verdict, got.closest)
    assert any("Notwithstanding anything above" in p.text for p in got.added)
    assert got.added_words >= 10


@pytest.mark.parametrize(("licence_id", "part", "name"), OWNED_TIERED)
def test_a_changed_word_makes_it_modified(licence_id: str, part: str, name: str, texts_dir: Path) -> None:
    """A changed name or number (one word) is found: "Kimi K2" for "Kimi K2.5", "7" for "700"."""
    text = _read(texts_dir, name)
    words = list(re.finditer(r"(?<![\w.])[A-Za-z]{4,}(?![\w.])", text))
    if len(words) < 20:
        pytest.skip(f"{name} is too short")
    word = words[len(words) // 2]
    changed = text[:word.start()] + "Zorblax" + text[word.end():]
    got = identify_text(changed)
    # The closest may be a sibling when the word falls in the clause that tells them apart (BSD-3's
    # third clause makes it BSD-2 plus an added clause); it is never a match.
    assert got.licence is None and got.verdict.value == "modified" and got.closest is not None, (
        name, got.verdict, got.closest)
    assert any("Zorblax" in p.text for p in got.added)


def test_a_copyright_notice_of_ones_own_does_not_change_the_licence(texts_dir: Path) -> None:
    text = _read(texts_dir, "mit.txt").replace("<year> <copyright holders>", "2026 Example Labs, Inc.")
    got = identify_text("The MIT License (MIT)\n\n" + text.split("\n", 1)[1])
    assert got.licence == "mit" and got.verdict.value == "match"


def test_a_notice_line_hiding_a_restriction_is_not_skipped(texts_dir: Path) -> None:
    text = _read(texts_dir, "mit.txt").replace("<year> <copyright holders>", "2026 X. No commercial use.")
    got = identify_text(text)
    assert got.verdict.value == "modified" and got.closest == "mit"


def test_without_compiled_text_data_nothing_is_a_match(texts_dir: Path) -> None:
    cat = Catalogue.from_compiled(DATA, trusted=True)
    cat.memo("identify-data", dict)  # as if identify.json were missing
    got = identify_text(_read(texts_dir, "llama3.1.txt"), cat)
    assert got.licence is None and got.verdict.value == "modified" and got.closest == "llama-3.1"
    assert any("no compiled text data" in d for d in got.differences)


def test_unrelated_text_is_different() -> None:
    got = identify_text("The quick brown fox jumps over the lazy dog. " * 30)
    assert got.verdict.value == "different" and got.closest is None and got.licence is None
    assert got.added == () and got.nearest


def test_the_json_contract() -> None:
    got = identify_text("Nothing here.")
    data = json.loads(got.model_dump_json())
    assert data["schema_version"] == IDENTIFY_SCHEMA_VERSION == "2"
    assert set(Identification.model_fields) == set(data)
    assert {"licence", "part", "score", "nearest", "differences", "verdict", "closest", "coverage",
            "added_words", "added"} <= set(data)


def test_cli_text_says_modified(tmp_path: Path, texts_dir: Path, cli: Cli) -> None:
    f = tmp_path / "LICENSE"
    f.write_text(_read(texts_dir, "mit.txt") + "\n\n" + ADDED + "\n", encoding="utf-8")
    code, out, _ = cli("identify", str(f))
    assert code == 1 and "modified mit" in out and "Notwithstanding anything above" in out
    code, out, _ = cli("identify", str(f), "--format", "json")
    data = json.loads(out)
    assert code == 1 and data["verdict"] == "modified" and data["licence"] is None and data["closest"] == "mit"
