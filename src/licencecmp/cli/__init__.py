"""The ``licencecmp`` command line: a thin layer that parses, calls the library, renders, exits.

Each command module registers its commands on the app here, explicitly (reuse-tool's layout);
:mod:`licencecmp.cli.root` owns the app and the map from errors to exit codes. ``can``, ``show``,
``compat`` and ``--version`` are answered by :mod:`licencecmp.cli.fast` before typer is imported;
``app`` is built on first use (PEP 562), so that importing this package costs nothing.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main"]


def _app() -> typer.Typer:
    from licencecmp.cli import baseline, check, compare, compat, env, identify, licences, lock, resolve
    from licencecmp.cli import mcp as mcp_command
    from licencecmp.cli.root import app

    if not app.registered_commands:
        for module in (licences, compat, compare, identify, resolve, check, lock, baseline, mcp_command, env):
            module.register(app)
    return app


def __getattr__(name: str) -> Any:
    """``licencecmp.cli.app``: the typer app with every command registered, built on first use."""
    if name == "app":
        return _app()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; exits with the exit code (0 allowed, 1 refused, 2 bad input)."""
    from licencecmp.cli.fast import answer
    from licencecmp.data.catalogue import freeze_once_loaded

    freeze_once_loaded()  # this process is the CLI's own
    answer(sys.argv[1:] if argv is None else argv)  # returns only when typer is to run the command
    from licencecmp.cli.root import run

    _app()
    return run(argv)
