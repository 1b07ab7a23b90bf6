"""The ``licencecmp`` command line: a thin layer that parses, calls the library, renders, exits.

Each command module registers its commands on the app here, explicitly (reuse-tool's layout);
:mod:`licencecmp.cli.app` owns the app and the map from errors to exit codes.
"""

from __future__ import annotations

from licencecmp.cli import check, compare, compat, identify, licences, lock
from licencecmp.cli import mcp as mcp_command
from licencecmp.cli.app import app, run

__all__ = ["app", "main"]

for _module in (licences, compat, compare, identify, check, lock, mcp_command):
    _module.register(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; exits with the exit code (0 allowed, 1 refused, 2 bad input)."""
    return run(argv)
