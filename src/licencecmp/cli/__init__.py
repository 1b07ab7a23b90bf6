"""The ``licencecmp`` command line: a thin layer that parses, calls the library, renders, exits.

Each command module registers its commands on the app here, explicitly (reuse-tool's layout);
:mod:`licencecmp.cli.app` owns the app and the map from errors to exit codes. ``can``, ``show``,
``compat`` and ``--version`` are answered by :mod:`licencecmp.cli.fast` before typer is imported;
``app`` is built on first use (PEP 562), so that importing this package costs nothing.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

    from licencecmp.cli.app import app

__all__ = ["app", "main"]


def _app() -> typer.Typer:
    from licencecmp.cli import check, compare, compat, identify, licences
    from licencecmp.cli.app import app

    if not app.registered_commands:
        for module in (licences, compat, compare, identify, check):
            module.register(app)
    return app


class _Package(types.ModuleType):
    """``licencecmp.cli.app`` is the typer app, built on first use. Importing the submodule
    ``cli/app.py`` binds it to the same name on this package; that binding is ignored, as the
    eager ``from licencecmp.cli.app import app`` used to overwrite it."""

    @property
    def app(self) -> typer.Typer:
        return _app()

    @app.setter
    def app(self, value: object) -> None:
        pass


sys.modules[__name__].__class__ = _Package


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; exits with the exit code (0 allowed, 1 refused, 2 bad input)."""
    from licencecmp.cli.fast import answer

    answer(sys.argv[1:] if argv is None else argv)  # returns only when typer is to run the command
    from licencecmp.cli.app import run

    _app()
    return run(argv)
