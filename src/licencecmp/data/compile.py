"""Compile ``licences/*.toml`` into the JSON file the package loads at start-up.

    python -m licencecmp.data.compile            # rewrite src/licencecmp/data/catalogue.json (and the others)
    python -m licencecmp.data.compile --check    # exit 1 if the compiled file is stale

When the official texts are at hand (``--texts``, default ``$LICENCECMP_SHARED/licence-texts`` or
``../shared/licence-texts`` beside the repository), it also rebuilds ``identify.json``: per licence
text part, the hashes of the official text's chunks (see :mod:`licencecmp.data.chunks`), which
``identify`` uses to find text a LICENSE file has and the licence does not. The texts themselves
are not shipped. It always writes ``identify_pieces.json`` (what identify looks for of each licence,
as words: see :func:`compile_pieces`) and ``records.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from licencecmp.data.catalogue import (
    Catalogue,
    compiled_path,
    identify_data_path,
    identify_pieces_path,
    load_sources,
)
from licencecmp.data.schema import SCHEMA_VERSION
from licencecmp.errors import ExitCode, LicencecmpError
from licencecmp.text import is_expression

__all__ = ["compile_identify", "compile_pieces", "compile_sources", "default_texts_dir", "main", "one_licence_names"]


def compile_sources(directory: Path) -> dict[str, Any]:
    """Validate the sources and return the compiled form (a JSON-ready dict)."""
    licences, models, territories = load_sources(directory)
    data = {
        "schema_version": SCHEMA_VERSION,
        "licences": {lic.id: lic.model_dump(mode="json", exclude_defaults=True) for lic in licences},
        "models": [m.model_dump(mode="json", exclude_defaults=True) for m in models],
        "territories": territories,
    }
    cat = Catalogue.from_compiled(data)
    cat.check()
    data["one_licence_names"] = one_licence_names(cat)
    return data


def one_licence_names(cat: Catalogue) -> dict[str, str]:
    """The names of the catalogue's licences (SPDX ids, aliases, ScanCode keys) that read as an
    expression (:func:`licencecmp.text.is_expression`: a title such as ``BSD 3-Clause "New" or
    "Revised" License``) and that the expression parser reads as that one licence: name -> its id.
    ``lookup`` binds them without parsing (:meth:`Catalogue.one_licence`); a test proves this file
    fresh, so the parse is the one a run would make."""
    from license_expression import ExpressionError, ExpressionParseError, LicenseSymbol

    licensing = cat.licensing()
    out: dict[str, str] = {}
    for lic in cat:
        for name in cat.parser_names(lic):
            if not name or not is_expression(name):
                continue
            try:
                tree = licensing.parse(name, validate=True, strict=False)
            except (ExpressionError, ExpressionParseError):
                continue
            if type(tree) is not LicenseSymbol or tree.key != lic.id:
                continue
            try:
                if cat.get(name).id == lic.id:  # the name is that licence's alone
                    out[name] = lic.id
            except LicencecmpError:
                continue
    return dict(sorted(out.items()))


def compile_identify(directory: Path, texts: Path) -> dict[str, Any]:
    """The identify data: for each licence, the words its title may use and, per text part, the
    number of words and the chunk hashes of the official text. Raises LicenceDataError when a text
    a licence names is missing."""
    from licencecmp.data.chunks import FORMAT, heading_words, official_hashes, pack
    from licencecmp.errors import LicenceDataError

    licences, _, _ = load_sources(directory)
    out: dict[str, Any] = {}
    for lic in licences:
        words = heading_words([lic.title, lic.id, lic.spdx or "", *lic.aliases])
        parts: dict[str, Any] = {}
        for part, name in sorted(lic.texts.items()):
            path = texts / name
            try:
                text = path.read_text(encoding="utf-8-sig")
            except OSError as exc:
                raise LicenceDataError(str(path), f"cannot read the official text of {lic.id}: {exc}") from None
            count, chunks, extra = official_hashes(text, words)
            parts[part] = {"words": count, "chunks": pack(chunks), "layouts": pack(extra)}
        out[lic.id] = {"title_words": sorted(words), "parts": parts}
    return {"format": FORMAT, "licences": out}


def compile_pieces(directory: Path) -> dict[str, Any]:
    """What ``identify`` looks for of each licence (its fingerprints and quotes as words, per text
    part), so that no run tokenises the catalogue again: ``identify_pieces.json``. Built from the
    sources alone (the official texts are not needed), through the compiled catalogue, whose order
    of evidence the pieces (and the differences identify lists) follow."""
    from licencecmp.data.chunks import FORMAT, identify_entry

    compiled = Catalogue.from_compiled(json.loads(render(compile_sources(directory))), trusted=True)
    return {"format": FORMAT, "licences": [identify_entry(lic) for lic in compiled]}


def default_texts_dir(source: Path) -> Path:
    import os

    shared = os.environ.get("LICENCECMP_SHARED")
    base = Path(shared) if shared else source.resolve().parent.parent / "shared"
    return base / "licence-texts"


def render(data: dict[str, Any]) -> str:
    """The compiled JSON, in ASCII: a single character outside Latin-1 in a quoted source (a card's emoji)
    would otherwise make Python hold the whole file, as read at start-up, at two or four bytes per
    character (+8 MiB of peak memory for one emoji); escaped, it costs six bytes where it occurs."""
    return json.dumps(data, ensure_ascii=True, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m licencecmp.data.compile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=Path("licences"), help="the licences/ folder")
    parser.add_argument("--output", type=Path, default=None, help="default: the package's data file")
    parser.add_argument("--check", action="store_true", help="only check that the output is current")
    parser.add_argument("--texts", type=Path, default=None,
                        help="the official texts (default: $LICENCECMP_SHARED/licence-texts or ../shared/...)")
    parser.add_argument("--identify-output", type=Path, default=None, help="default: the package's identify.json")
    args = parser.parse_args(argv)
    out = args.output or compiled_path()
    texts_dir = args.texts or default_texts_dir(args.source)
    outputs: list[tuple[Path, str]] = []
    try:
        from licencecmp.data import gen_records

        outputs.append((gen_records.target(), gen_records.render()))
        outputs.append((out, render(compile_sources(args.source))))
        outputs.append((identify_pieces_path() if args.output is None else out.with_name("identify_pieces.json"),
                        render(compile_pieces(args.source))))
        if texts_dir.is_dir():
            outputs.append((args.identify_output or identify_data_path(),
                            render(compile_identify(args.source, texts_dir))))
        elif args.texts:
            raise LicencecmpError(f"{str(texts_dir)!r} is not a directory")
        else:
            print(f"note: official texts not found at {texts_dir}; identify.json not rebuilt", file=sys.stderr)
    except LicencecmpError as exc:
        print(f"licencecmp.data.compile: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    stale = False
    for path, text in outputs:
        if args.check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                print(f"{path} is stale: run python -m licencecmp.data.compile", file=sys.stderr)
                stale = True
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
        print(f"wrote {path}" + ("" if path.suffix == ".py" else f" ({len(data_ids(text))} licences)"))
    return ExitCode.REFUSED if stale else ExitCode.OK


def data_ids(text: str) -> list[str]:
    return list(json.loads(text)["licences"])  # a dict by id, or (identify_pieces.json) a list


if __name__ == "__main__":
    raise SystemExit(main())
