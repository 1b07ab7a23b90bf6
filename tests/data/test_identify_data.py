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


def test_identify_pieces_are_current_and_what_the_licences_give() -> None:
    """identify_pieces.json is compiled from the sources, and what identify reads from it is what it
    would build from the licences themselves (for another catalogue it builds it so)."""
    from licencecmp.data.catalogue import identify_pieces_path
    from licencecmp.data.chunks import identify_entry
    from licencecmp.data.compile import compile_pieces

    assert identify_pieces_path().read_text(encoding="utf-8") == render(compile_pieces(LICENCES)), (
        "src/licencecmp/data/identify_pieces.json is stale: run python -m licencecmp.data.compile")
    shipped = CAT.identify_pieces()
    assert shipped is not None and [e["id"] for e in shipped] == CAT.ids()
    built = [identify_entry(lic) for lic in CAT]
    assert shipped == [{**e, "parts": [[part, [list(p) for p in pieces]] for part, pieces in e["parts"]]}
                       for e in built]
    assert licencecmp.Catalogue.from_sources(LICENCES).identify_pieces() is None  # built, not read, for these
