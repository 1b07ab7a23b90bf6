"""`licencecmp mcp`: serve the Model Context Protocol over stdio, for coding agents."""

from __future__ import annotations

import typer

__all__ = ["register"]


def mcp() -> None:
    """Serve licencecmp to coding agents over the Model Context Protocol (stdio).

    Tools: can, show, compare, compat, combine, openness, resolve, check. Resources: the catalogue
    and each licence's clauses. Needs the optional MCP SDK: pip install 'licencecmp[mcp]'.

    Client configuration: {"mcpServers": {"licencecmp": {"command": "licencecmp", "args": ["mcp"]}}}
    """
    from licencecmp.cli.fast import serve_mcp

    serve_mcp()  # `licencecmp mcp` alone is started by the fast path, without typer


def register(app: typer.Typer) -> None:
    app.command()(mcp)
