"""`identify` names every official text, survives reformatting, and reports what differs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import licencecmp
from licencecmp.reasoning.identify import identify_text
from tests.conftest import ROOT, TEXTS, Cli
from tests.reasoning.variants import markdown, rewrap, straighten
from tests.tiers import sample

CAT = licencecmp.catalogue()
# Texts that no licence file names: other copies of an encoded text (see shared/licence-texts/SOURCES.md).
EXTRA = {"gemma-prohibited-use-scrape.txt": "gemma", "mit.txt": "mit",
         "creativeml-openrail-plus-plus-m-sdxl-github.txt": "creativeml-openrail-plusplus-m"}
# Lossy copies (page chrome kept, list numbers lost): the closest licence, but not word for word.
LOSSY = {"gemma-prohibited-use-scrape.txt"}


def not_encoded() -> dict[str, str]:
    """The README's "Texts not encoded" list: file name -> reason."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Texts not encoded", 1)[1].split("\n#", 1)[0]
    items = re.findall(r"^- `([^`]+)`: (.+?)(?=^- |\Z)", section, flags=re.M | re.S)
    return {name: " ".join(reason.split()) for name, reason in items}


NOT_ENCODED = not_encoded()


def test_texts_not_encoded_are_listed_with_a_reason(texts_dir: Path) -> None:
    named = {n for lic in CAT for n in lic.texts.values()}
    assert NOT_ENCODED, "README: the 'Texts not encoded' section lists nothing"
    for name, reason in NOT_ENCODED.items():
        assert (texts_dir / name).is_file(), f"README lists {name}, which is not in shared"
        assert name not in named and name not in EXTRA, f"README lists {name} as not encoded, but it is"
        assert len(reason) > 20, name


def expected_for(name: str) -> str | None:
    owners = [lic for lic in CAT if name in lic.texts.values()]
    current = [lic for lic in owners if lic.superseded_by not in {o.id for o in owners}]
    if current:
        return current[0].id
    return EXTRA.get(name)


TEXT_FILES = sorted(p.name for p in TEXTS.glob("*.txt")) if TEXTS.is_dir() else []


@pytest.mark.parametrize("name", sample(TEXT_FILES, 4))  # a quarter in the default run, all in the slow tier
def test_every_official_text_is_identified(name: str, texts_dir: Path) -> None:
    if name in NOT_ENCODED:
        return  # checked by test_texts_not_encoded_are_listed_with_a_reason
    want = expected_for(name)
    if want is None or want not in CAT:
        pytest.fail(f"{name}: no licence in the catalogue names this text, and the README does not list it "
                    "under 'Texts not encoded'")
    text = (texts_dir / name).read_text(encoding="utf-8-sig")
    for variant in (text, straighten(text), rewrap(text), markdown(text), text.replace("\n", "\r\n")):
        got = identify_text(variant)
        if name in LOSSY:
            assert got.closest == want and got.verdict.value in ("match", "modified"), (name, got.closest)
            continue
        assert got.licence == want and got.verdict.value == "match", (
            name, got.licence, got.verdict, got.nearest[:3], got.differences[:3])
        parts = [p for p, n in CAT.licence(want).texts.items() if n == name]
        if parts:  # a part (an acceptable use policy, a usage policy) is reported as that part
            assert got.part in parts, (name, got.part, parts)


def test_an_altered_copy_reports_the_difference(texts_dir: Path) -> None:
    text = (texts_dir / "llama3.1.txt").read_text(encoding="utf-8")
    cut = text.replace("is greater than 700 million monthly active users",
                       "is greater than 7 billion monthly active users")
    got = identify_text(cut)
    assert got.score < 1.0
    assert any("§2" in d for d in got.differences)
    assert got.licence is None and got.verdict.value == "modified" and got.closest == "llama-3.1"
    assert any("7 billion" in p.text for p in got.added)


def test_unrelated_text_matches_nothing() -> None:
    got = identify_text("The quick brown fox jumps over the lazy dog. " * 20)
    assert got.licence is None and got.nearest


def test_cli_exit_codes(tmp_path: Path, cli: Cli, texts_dir: Path) -> None:
    code, out, _ = cli("identify", str(texts_dir / "llama3.2.txt"), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["licence"] == "llama-3.2"
    assert {"licence", "score", "nearest", "differences"} <= set(data)
    assert data["schema_version"] == "2" and data["verdict"] == "match" and data["closest"] == "llama-3.2"
    other = tmp_path / "other.txt"
    other.write_text("Nothing to see here.\n" * 5)
    code, out, _ = cli("identify", str(other))
    assert code == 1 and "nearest" in out
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Licence \xe9t\xe9".encode("latin-1"))
    for bad, needle in ((binary, "binary"), (latin, "not UTF-8"), (tmp_path, "directory"),
                        (tmp_path / "missing.txt", "cannot read")):
        code, _, err = cli("identify", str(bad))
        assert code == 2 and needle in err and err.count("\n") == 1


def test_utf16_licence_with_bom_is_read(tmp_path: Path, texts_dir: Path) -> None:
    from licencecmp.reasoning.identify import identify_file

    f = tmp_path / "LICENSE"
    f.write_bytes((texts_dir / "llama3.3.txt").read_text(encoding="utf-8").encode("utf-16"))
    assert identify_file(f).licence == "llama-3.3"
