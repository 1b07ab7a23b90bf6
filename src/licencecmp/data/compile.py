"""Compile ``licences/*.toml`` into the JSON file the package loads at start-up.

    python -m licencecmp.data.compile            # rewrite src/licencecmp/data/catalogue.json
    python -m licencecmp.data.compile --check    # exit 1 if the compiled file is stale
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from licencecmp.data.catalogue import Catalogue, compiled_path, load_sources
from licencecmp.data.schema import SCHEMA_VERSION
from licencecmp.errors import ExitCode, LicencecmpError

__all__ = ["compile_sources", "main"]


def compile_sources(directory: Path) -> dict[str, Any]:
    """Validate the sources and return the compiled form (a JSON-ready dict)."""
    licences, models, territories = load_sources(directory)
    data = {
        "schema_version": SCHEMA_VERSION,
        "licences": {lic.id: lic.model_dump(mode="json", exclude_defaults=True) for lic in licences},
        "models": [m.model_dump(mode="json", exclude_defaults=True) for m in models],
        "territories": territories,
    }
    Catalogue.from_compiled(data).check()
    return data


def render(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m licencecmp.data.compile", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, default=Path("licences"), help="the licences/ folder")
    parser.add_argument("--output", type=Path, default=None, help="default: the package's data file")
    parser.add_argument("--check", action="store_true", help="only check that the output is current")
    args = parser.parse_args(argv)
    out = args.output or compiled_path()
    try:
        text = render(compile_sources(args.source))
    except LicencecmpError as exc:
        print(f"licencecmp.data.compile: {exc}", file=sys.stderr)
        return ExitCode.USAGE
    if args.check:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out} is stale: run python -m licencecmp.data.compile", file=sys.stderr)
            return ExitCode.REFUSED
        return ExitCode.OK
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out} ({len(data_ids(text))} licences)")
    return ExitCode.OK


def data_ids(text: str) -> list[str]:
    return list(json.loads(text)["licences"])


if __name__ == "__main__":
    raise SystemExit(main())
