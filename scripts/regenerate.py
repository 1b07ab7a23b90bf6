"""Regenerate everything generated, or prove nothing generated is stale.

    python scripts/regenerate.py            # rewrite every generated file
    python scripts/regenerate.py --check    # exit 1 naming each stale file; write nothing

The generated files, each from its one source:

- ``src/licencecmp/data/catalogue.json``, ``identify.json``, ``identify_pieces.json`` and ``records.py``: from
  ``licences/*.toml``, the official texts and the pydantic models (``python -m licencecmp.data.compile``);
- ``src/licencecmp/scan/records.py``: the plain records of the policy's and the check report's pydantic models and
  the spec of the fast policy validator (``python -m licencecmp.scan.gen_records``);
- ``docs/schema.json``: the licence schema (``licencecmp schema``);
- ``src/licencecmp/mcp/handshake.json``: the MCP SDK's answers to ``initialize``, given early by ``licencecmp mcp``
  (``python -m licencecmp.mcp.compile``; skipped, with a line saying so, where the SDK is not installed);
- the docs pages (``scripts/build_docs.py``): licence pages, the comparison, the CLI reference, the schema
  and policy references.

Run it after changing a licence, a model, a fact, a metric, a format or a command's help;
``scripts/test.sh`` runs ``--check``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_JSON = ROOT / "docs" / "schema.json"


def _schema_json() -> str:
    from licencecmp.schemas import json_schema

    return json.dumps(json_schema("licence"), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="name each stale file and exit 1; write nothing")
    args = parser.parse_args(argv)
    flag = ["--check"] if args.check else []
    stale = 0
    # each generator in its own process: the docs are built from the freshly compiled catalogue
    commands = [[sys.executable, "-m", "licencecmp.data.compile", *flag],
                [sys.executable, "-m", "licencecmp.scan.gen_records", *flag],
                [sys.executable, str(ROOT / "scripts" / "build_docs.py"), *flag]]
    if importlib.util.find_spec("mcp") is not None:
        commands.append([sys.executable, "-m", "licencecmp.mcp.compile", *flag])
    else:
        print("skipped: src/licencecmp/mcp/handshake.json (the MCP SDK is not installed)", file=sys.stderr)
    for command in commands:
        if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
            stale = 1
    wanted = _schema_json()
    if args.check:
        if json.loads(SCHEMA_JSON.read_text(encoding="utf-8")) != json.loads(wanted):
            print(f"stale: {SCHEMA_JSON.relative_to(ROOT)} (run python scripts/regenerate.py)", file=sys.stderr)
            stale = 1
    else:
        SCHEMA_JSON.write_text(wanted, encoding="utf-8")
    if args.check and stale:
        print("generated files are stale: run python scripts/regenerate.py", file=sys.stderr)
    return stale


if __name__ == "__main__":
    raise SystemExit(main())
