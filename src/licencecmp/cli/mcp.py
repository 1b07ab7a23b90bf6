"""`licencecmp mcp`: serve the Model Context Protocol over stdio, for coding agents."""

from __future__ import annotations

import typer

from licencecmp.errors import InputError

__all__ = ["register"]

INSTALL = "pip install 'licencecmp[mcp]'"


def mcp() -> None:
    """Serve licencecmp to coding agents over the Model Context Protocol (stdio).

    Tools: can, show, compare, compat, combine, openness, resolve, check. Resources: the catalogue
    and each licence's clauses. Needs the optional MCP SDK: pip install 'licencecmp[mcp]'.

    Client configuration: {"mcpServers": {"licencecmp": {"command": "licencecmp", "args": ["mcp"]}}}
    """
    try:
        import mcp.server.lowlevel  # noqa: F401  # the SDK, not this module
    except ImportError:
        raise InputError(f"the MCP server needs the MCP Python SDK (mcp 2.x); install it with: {INSTALL}") from None
    from licencecmp.mcp.server import main

    main()


def register(app: typer.Typer) -> None:
    app.command()(mcp)
