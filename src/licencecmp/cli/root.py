"""The typer app and the one place that turns errors into exit codes (see :class:`ExitCode`).

Commands live in their own modules and are registered by :mod:`licencecmp.cli`; this module
knows none of them.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import Annotated, NoReturn

import typer

from licencecmp._version import __version__
from licencecmp.errors import ExitCode, LicencecmpError

__all__ = ["Format", "app", "exit_code_for", "run"]

app = typer.Typer(
    name="licencecmp",
    help=(
        "What the licence of an open-weight AI model lets you do: a verdict, the obligations that come "
        "with it, and the clause it rests on, quoted word for word.\n\n"
        "Answers are a careful reading of the licence texts, not legal advice."
    ),
    no_args_is_help=True,
    add_completion=False,
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


def exit_code_for(exc: BaseException) -> ExitCode:
    """The exit code for an exception that ends a command (the map of pip's status codes)."""
    if isinstance(exc, LicencecmpError):
        return ExitCode.USAGE
    if isinstance(exc, KeyboardInterrupt):
        return ExitCode.INTERRUPTED
    if hasattr(exc, "format_message") and getattr(exc, "exit_code", None) is not None:  # click usage errors
        return ExitCode.USAGE
    if type(exc).__name__ == "Abort":
        return ExitCode.REFUSED
    return ExitCode.INTERNAL


def _fail(message: str, code: ExitCode) -> NoReturn:
    first = " ".join(str(message).split()) or "error"
    sys.stderr.write(f"licencecmp: error: {first}\n")
    raise SystemExit(int(code))


def run(argv: list[str] | None = None) -> int:
    """Run the app; exits with the exit code. Never prints a traceback for bad input."""
    # The CLI has no use for pydantic plugins; skipping their entry-point scan saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    try:
        result = command.main(args=args, prog_name="licencecmp", standalone_mode=False)
    except BrokenPipeError:
        sys.stderr.close()
        raise SystemExit(int(ExitCode.REFUSED)) from None
    except Exception as exc:
        if type(exc).__name__ != "NoArgsIsHelpError" or getattr(exc, "ctx", None) is None:
            _handle(exc)
        # `licencecmp` or a group such as `licencecmp policy` alone: the help, as --help prints it.
        sys.stdout.write(exc.ctx.get_help() + "\n")  # type: ignore[attr-defined]
        raise SystemExit(int(ExitCode.OK)) from None
    except KeyboardInterrupt as exc:
        _handle(exc)
    raise SystemExit(result if isinstance(result, int) else int(ExitCode.OK))


def _handle(exc: BaseException) -> NoReturn:
    """End the run for an exception: a one-line message on stderr and its exit code."""
    code = exit_code_for(exc)
    if code is ExitCode.INTERRUPTED:
        _fail("interrupted", code)
    if code is ExitCode.INTERNAL:
        if os.environ.get("LICENCECMP_DEBUG"):
            raise exc
        _fail(f"internal error: {type(exc).__name__}: {exc} (set LICENCECMP_DEBUG=1 for a traceback)", code)
    message = exc.format_message() if hasattr(exc, "format_message") else (
        "aborted" if type(exc).__name__ == "Abort" else str(exc))
    _fail(message, code)
