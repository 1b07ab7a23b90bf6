"""Generate ``mcp/handshake.json``: the MCP SDK's own answer to ``initialize`` for each protocol version
it negotiates, from the server licencecmp runs (see :mod:`licencecmp.mcp.handshake`).

    python -m licencecmp.mcp.compile            # write it
    python -m licencecmp.mcp.compile --check    # exit 1 if it is stale; write nothing
"""

from __future__ import annotations

import json
import sys
from typing import Any

from licencecmp.mcp.handshake import ANSWERS, SDK_DISTRIBUTIONS

__all__ = ["generate", "installed_sdk", "main", "recorded_sdk"]


async def _sdk_answer(request: dict[str, Any]) -> dict[str, Any]:
    import io

    import anyio
    from mcp.server.stdio import stdio_server

    from licencecmp.mcp.server import build_server

    server = build_server()
    got = io.StringIO()
    async with stdio_server(stdin=anyio.wrap_file(io.StringIO(json.dumps(request) + "\n")),
                            stdout=anyio.wrap_file(got)) as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())
    answer: dict[str, Any] = json.loads(got.getvalue().splitlines()[0])
    return answer


def installed_sdk() -> dict[str, str]:
    """The installed versions of the SDK's distributions."""
    import importlib.metadata

    return {name: importlib.metadata.version(name) for name in SDK_DISTRIBUTIONS}


def recorded_sdk() -> dict[str, str] | None:
    """The SDK versions ``handshake.json`` was generated from (None if it cannot be read)."""
    try:
        sdk = json.loads(ANSWERS.read_text(encoding="utf-8")).get("sdk")
    except (OSError, ValueError, AttributeError):
        return None
    return sdk if isinstance(sdk, dict) else None


def generate() -> str:
    """``handshake.json``: the SDK's own answer to ``initialize`` for each protocol version it negotiates."""
    import asyncio

    from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS

    answers = {}
    for version in HANDSHAKE_PROTOCOL_VERSIONS:
        request = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                   "params": {"protocolVersion": version, "capabilities": {},
                              "clientInfo": {"name": "licencecmp-handshake", "version": "0"}}}
        answers[version] = asyncio.run(_sdk_answer(request))["result"]
    table = {"sdk": installed_sdk(), "answers": answers}
    return json.dumps(table, indent=1, ensure_ascii=False, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write ``handshake.json``, or with ``--check`` exit 1 if it is stale. Generated from another SDK
    release than the one installed, it is not stale but unused (the server checks the versions before
    any early answer, and the SDK answers alone): ``--check`` says so and passes, as the repository
    cannot follow every release of the SDK a fresh install picks."""
    import argparse

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if handshake.json is stale; write nothing")
    args = parser.parse_args(argv)
    if args.check and recorded_sdk() != installed_sdk():
        print(f"note: {ANSWERS.name} was generated with {recorded_sdk()}, the installed SDK is {installed_sdk()}: "
              "initialize is answered by the SDK alone until it is regenerated (python scripts/regenerate.py)",
              file=sys.stderr)
        return 0
    wanted = generate()
    if args.check:
        try:
            fresh = ANSWERS.read_text(encoding="utf-8") == wanted
        except OSError:
            fresh = False
        if not fresh:
            print(f"stale: {ANSWERS.name} (run python scripts/regenerate.py)", file=sys.stderr)
        return 0 if fresh else 1
    ANSWERS.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
