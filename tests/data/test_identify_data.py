"""identify.json (the chunk hashes of the official texts) is current and covers every licence text."""

from __future__ import annotations

from pathlib import Path

import licencecmp
from licencecmp.data.catalogue import identify_data_path
from licencecmp.data.compile import compile_identify, render

from ..conftest import LICENCES

CAT = licencecmp.catalogue()


def test_every_licence_text_part_has_identify_data() -> None:
    data = CAT.identify_data()
    missing = [f"{lic.id}:{part}" for lic in CAT for part in lic.texts
               if part not in data.get(lic.id, {}).get("parts", {})]
    assert not missing, f"identify.json lacks {missing}: run python -m licencecmp.data.compile with the texts"


def test_identify_data_is_current(texts_dir: Path) -> None:
    assert identify_data_path().read_text(encoding="utf-8") == render(compile_identify(LICENCES, texts_dir)), (
        "src/licencecmp/data/identify.json is stale: run python -m licencecmp.data.compile (with the texts)")
