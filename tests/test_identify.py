"""`identify` names every official text, survives reformatting, and reports what differs."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

import licencecmp
from licencecmp.cli import main
from licencecmp.reasoning.identify import identify_text

from .conftest import TEXTS

CAT = licencecmp.catalogue()
# Texts that no licence file names, and what they are (see shared/licence-texts/SOURCES.md).
EXTRA = {"gemma-prohibited-use-scrape.txt": "gemma", "mit.txt": "mit",
         "creativeml-openrail-plus-plus-m-sdxl-github.txt": "creativeml-openrail-plusplus-m"}


def expected_for(name: str) -> str | None:
    owners = [lic for lic in CAT if name in lic.texts.values()]
    current = [lic for lic in owners if lic.superseded_by not in {o.id for o in owners}]
    if current:
        return current[0].id
    return EXTRA.get(name)


TEXT_FILES = sorted(p.name for p in TEXTS.glob("*.txt")) if TEXTS.is_dir() else []


def _straighten(text: str) -> str:
    return text.translate(str.maketrans({"“": '"', "”": '"', "’": "'", "‘": "'"}))


def _rewrap(text: str) -> str:
    """Paragraphs refilled to another width. Only whitespace changes: no word (URL) is cut."""
    paras = re.split(r"\n\s*\n", text)
    return "\n\n".join(textwrap.fill(" ".join(p.split()), width=57, break_long_words=False,
                                     break_on_hyphens=False) for p in paras)


def _markdown(text: str) -> str:
    lines = text.splitlines()
    return "# " + lines[0].strip() + "\n\n" + "\n".join(f"**{ln}**" if ln.isupper() and ln.strip() else ln
                                                      for ln in lines[1:])


@pytest.mark.parametrize("name", TEXT_FILES)
def test_every_official_text_is_identified(name: str, texts_dir: Path) -> None:
    want = expected_for(name)
    if want is None or want not in CAT:
        pytest.fail(f"{name}: no licence in the catalogue names this text")
    text = (texts_dir / name).read_text(encoding="utf-8-sig")
    for variant in (text, _straighten(text), _rewrap(text), _markdown(text), text.replace("\n", "\r\n")):
        got = identify_text(variant)
        assert got.licence == want, (name, got.licence, got.nearest[:3])


def test_an_altered_copy_reports_the_difference(texts_dir: Path) -> None:
    text = (texts_dir / "llama3.1.txt").read_text(encoding="utf-8")
    cut = text.replace("is greater than 700 million monthly active users",
                       "is greater than 7 billion monthly active users")
    got = identify_text(cut)
    assert got.score < 1.0
    assert any("§2" in d for d in got.differences)


def test_unrelated_text_matches_nothing() -> None:
    got = identify_text("The quick brown fox jumps over the lazy dog. " * 20)
    assert got.licence is None and got.nearest


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(list(args))
    c = capsys.readouterr()
    return int(info.value.code or 0), c.out, c.err


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str], texts_dir: Path) -> None:
    code, out, _ = run(capsys, "identify", str(texts_dir / "llama3.2.txt"), "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["licence"] == "llama-3.2"
    assert {"licence", "score", "nearest", "differences"} <= set(data)
    other = tmp_path / "other.txt"
    other.write_text("Nothing to see here.\n" * 5)
    code, out, _ = run(capsys, "identify", str(other))
    assert code == 1 and "nearest" in out
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Licence \xe9t\xe9".encode("latin-1"))
    for bad, needle in ((binary, "binary"), (latin, "not UTF-8"), (tmp_path, "directory"),
                        (tmp_path / "missing.txt", "cannot read")):
        code, _, err = run(capsys, "identify", str(bad))
        assert code == 2 and needle in err and err.count("\n") == 1


def test_utf16_licence_with_bom_is_read(tmp_path: Path, texts_dir: Path) -> None:
    from licencecmp.reasoning.identify import identify_file

    f = tmp_path / "LICENSE"
    f.write_bytes((texts_dir / "llama3.3.txt").read_text(encoding="utf-8").encode("utf-16"))
    assert identify_file(f).licence == "llama-3.3"
