"""The typer app; errors become exit codes in :mod:`licencecmp.cli.exits` (see :class:`ExitCode`).

Commands live in their own modules and are registered by :mod:`licencecmp.cli`; this module
knows none of them.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated

import typer

from licencecmp._version import __version__
from licencecmp.cli.exits import fail, guarded
from licencecmp.errors import ExitCode

__all__ = ["Format", "app", "run"]

app = typer.Typer(
    name="licencecmp",
    help=(
        "What the licence of an open-weight AI model lets you do: a verdict, the obligations that come "
        "with it, and the clause it rests on, quoted word for word.\n\n"
        "Answers are a careful reading of the licence texts, not legal advice."
    ),
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion (bash, zsh, fish, PowerShell)
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"licencecmp {__version__}\n")
        raise typer.Exit(ExitCode.OK)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Answers are a careful reading of the licence texts, not legal advice."""


def run(argv: list[str] | None = None) -> int:
    """Run the app; exits with the exit code. Never prints a traceback for bad input."""
    # The CLI has no use for pydantic plugins; skipping their entry-point scan saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    with guarded():
        result = command.main(args=args, prog_name="licencecmp", standalone_mode=False)
    if result == ExitCode.INTERRUPTED:  # typer turns KeyboardInterrupt into Exit(130), silently
        fail("interrupted", ExitCode.INTERRUPTED)
    raise SystemExit(result if isinstance(result, int) else int(ExitCode.OK))
