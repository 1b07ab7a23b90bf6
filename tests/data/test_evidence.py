"""Every quote in licences/ occurs in the official text it cites (whitespace and Markdown
emphasis normalised). Each licence file is checked on its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from licencecmp.data.catalogue import read_toml
from licencecmp.data.records import Licence
from licencecmp.text import normalise
from tests.conftest import LICENCES

FILES = sorted(p for p in LICENCES.glob("*.toml") if not p.name.startswith("_"))


def _text(texts_dir: Path, name: str) -> str:
    return normalise((texts_dir / name).read_text(encoding="utf-8-sig"))


def _load(path: Path) -> Licence:
    return Licence.model_validate(read_toml(path))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_quote_is_in_the_official_text(path: Path, texts_dir: Path) -> None:
    lic = _load(path)
    texts = {part: _text(texts_dir, name) for part, name in lic.texts.items()}
    missing = [
        f"[{e.text} §{e.section}] {e.quote!r}"
        for e in lic.all_evidence()
        if normalise(e.quote) not in texts[e.text]
    ]
    assert not missing, f"{lic.id}: quotes not found in the official text:\n" + "\n".join(missing)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_fingerprints_are_in_the_official_text(path: Path, texts_dir: Path) -> None:
    lic = _load(path)
    whole = " ".join(_text(texts_dir, name) for name in lic.texts.values())
    missing = [f for f in lic.fingerprints if normalise(f) not in whole]
    assert not missing, f"{lic.id}: fingerprints not in the text: {missing}"


def test_a_made_up_quote_is_caught(texts_dir: Path) -> None:
    text = _text(texts_dir, "deepseek-r1-mit.txt")
    assert normalise("Permission is hereby granted, free of charge") in text
    assert normalise("Permission is hereby granted, for a fee") not in text
