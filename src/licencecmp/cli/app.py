"""The typer app and the one place that turns errors into exit codes (see :class:`ExitCode`).

Commands live in their own modules and are registered by :mod:`licencecmp.cli`; this module
knows none of them.
"""

from __future__ import annotations

import contextlib
import os
import sys
from enum import Enum
from typing import Annotated, NoReturn

import typer

from licencecmp._version import __version__
from licencecmp.errors import ExitCode, LicencecmpError

__all__ = ["Format", "OutputError", "Terminated", "app", "exit_code_for", "one_line", "run"]

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
    if isinstance(exc, Terminated):
        return ExitCode.TERMINATED
    if hasattr(exc, "format_message") and getattr(exc, "exit_code", None) is not None:  # click usage errors
        return ExitCode.USAGE
    if type(exc).__name__ == "Abort":
        return ExitCode.REFUSED
    return ExitCode.INTERNAL


MAX_MESSAGE = 500
"""The one error line is cut to this many characters (input echoed in it may be huge)."""


def one_line(message: str, limit: int = MAX_MESSAGE) -> str:
    """An error message as one safe line: whitespace collapsed, controls shown, length bounded."""
    from licencecmp.render.escape import text

    first = text(" ".join(str(message)[: limit * 4].split())) or "error"
    return first if len(first) <= limit else first[: limit - 1] + "…"


def _fail(message: str, code: ExitCode) -> NoReturn:
    sys.stderr.write(f"licencecmp: error: {one_line(message)}\n")
    raise SystemExit(int(code))


class Terminated(BaseException):
    """SIGTERM arrived (a CI job cancelled): unwinds like KeyboardInterrupt, so temporary files go."""


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def _prepare_streams() -> None:
    """A closed stdout discards output; a stdout that cannot encode everything (PYTHONIOENCODING=ascii,
    a C locale) shows what it cannot encode as escapes instead of failing."""
    import io

    if sys.stdout is None:
        sys.stdout = io.StringIO()
    encoding = str(getattr(sys.stdout, "encoding", "") or "").lower().replace("-", "").replace("_", "")
    if encoding not in ("utf8", "utf8sig") and hasattr(sys.stdout, "reconfigure"):
        with contextlib.suppress(ValueError, OSError):  # a stream that cannot be reconfigured
            sys.stdout.reconfigure(errors="backslashreplace")
    if sys.stderr is None:
        sys.stderr = io.StringIO()


def _stdout_failed(exc: OSError) -> NoReturn:
    sys.stdout = None  # nothing more can be written: don't flush it at exit
    _fail(f"cannot write to stdout: {exc.strerror or exc}", ExitCode.USAGE)


def run(argv: list[str] | None = None) -> int:
    """Run the app; exits with the exit code. Never prints a traceback for bad input."""
    import signal

    # The CLI has no use for pydantic plugins; skipping their entry-point scan saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _prepare_streams()
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    previous = None
    with contextlib.suppress(ValueError):  # not the main thread
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        try:
            result = command.main(args=args, prog_name="licencecmp", standalone_mode=False)
            sys.stdout.flush()
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
    except BrokenPipeError:
        sys.stderr.close()
        raise SystemExit(int(ExitCode.REFUSED)) from None
    except Terminated:
        _fail("terminated", ExitCode.TERMINATED)
    except OutputError as exc:
        _stdout_failed(exc.cause)
    except (Exception, KeyboardInterrupt) as exc:
        if isinstance(exc, OSError) and _is_stdout_error(exc):
            _stdout_failed(exc)
        code = exit_code_for(exc)
        if code is ExitCode.INTERRUPTED:
            _fail("interrupted", code)
        if code is ExitCode.INTERNAL:
            if os.environ.get("LICENCECMP_DEBUG"):
                raise
            _fail(f"internal error: {type(exc).__name__}: {exc} (set LICENCECMP_DEBUG=1 for a traceback)", code)
        message = exc.format_message() if hasattr(exc, "format_message") else (
            "aborted" if type(exc).__name__ == "Abort" else str(exc))
        _fail(message, code)
    if result == ExitCode.INTERRUPTED:  # typer turns KeyboardInterrupt into Exit(130), silently
        _fail("interrupted", ExitCode.INTERRUPTED)
    raise SystemExit(result if isinstance(result, int) else int(ExitCode.OK))


class OutputError(LicencecmpError):
    """Writing to stdout failed (closed, full)."""

    def __init__(self, cause: OSError) -> None:
        self.cause = cause
        super().__init__(f"cannot write to stdout: {cause.strerror or cause}")


def _is_stdout_error(exc: OSError) -> bool:
    """An OSError from flushing stdout (ENOSPC on /dev/full, EBADF on a closed descriptor)."""
    import errno

    return exc.errno in (errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT) and exc.filename is None
