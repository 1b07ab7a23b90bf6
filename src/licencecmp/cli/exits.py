"""How a command ends, without typer: the one map from exceptions to exit codes (pip's
``status_codes``), the one-line error message, SIGTERM, and a stdout that cannot take the output.
Both the typer app (:mod:`licencecmp.cli.root`) and the fast path (:mod:`licencecmp.cli.fast`) end here.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import NoReturn

from licencecmp.errors import ExitCode, LicencecmpError

__all__ = ["MAX_MESSAGE", "OutputError", "Terminated", "exit_code_for", "fail", "guarded", "handle", "is_stdout_error",
           "on_sigterm", "one_line", "prepare_streams", "stdout_failed"]


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


def fail(message: str, code: ExitCode) -> NoReturn:
    sys.stderr.write(f"licencecmp: error: {one_line(message)}\n")
    raise SystemExit(int(code))


class Terminated(BaseException):
    """SIGTERM arrived (a CI job cancelled): unwinds like KeyboardInterrupt, so temporary files go."""


def on_sigterm(signum: int, frame: object) -> None:
    raise Terminated


def prepare_streams() -> None:
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


def stdout_failed(exc: OSError) -> NoReturn:
    sys.stdout = None  # nothing more can be written: don't flush it at exit
    fail(f"cannot write to stdout: {exc.strerror or exc}", ExitCode.USAGE)


def handle(exc: BaseException) -> NoReturn:
    """End the run for an exception: a one-line message on stderr and its exit code (the one place
    errors become exit codes; the fast path of cli/fast.py ends here too)."""
    code = exit_code_for(exc)
    if code is ExitCode.INTERRUPTED:
        fail("interrupted", code)
    if code is ExitCode.TERMINATED:
        fail("terminated", code)
    if code is ExitCode.INTERNAL:
        if os.environ.get("LICENCECMP_DEBUG"):
            raise exc
        fail(f"internal error: {type(exc).__name__}: {exc} (set LICENCECMP_DEBUG=1 for a traceback)", code)
    message = exc.format_message() if hasattr(exc, "format_message") else (
        "aborted" if type(exc).__name__ == "Abort" else str(exc))
    fail(message, code)


class OutputError(LicencecmpError):
    """Writing to stdout failed (closed, full)."""

    def __init__(self, cause: OSError) -> None:
        self.cause = cause
        super().__init__(f"cannot write to stdout: {cause.strerror or cause}")


def is_stdout_error(exc: OSError) -> bool:
    """An OSError from flushing stdout (ENOSPC on /dev/full, EBADF on a closed descriptor)."""
    import errno

    return exc.errno in (errno.ENOSPC, errno.EBADF, errno.EIO, errno.EDQUOT) and exc.filename is None


@contextlib.contextmanager
def guarded() -> Iterator[None]:
    """Run a command: streams prepared, SIGTERM raised as :class:`Terminated`, stdout flushed at the
    end, and any failure ended with one line on stderr and its exit code. The typer app and the
    fast path both run their commands inside it."""
    import signal

    prepare_streams()
    previous = None
    with contextlib.suppress(ValueError):  # not the main thread
        previous = signal.signal(signal.SIGTERM, on_sigterm)
    try:
        try:
            yield
            sys.stdout.flush()
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)
    except BrokenPipeError:
        sys.stderr.close()
        raise SystemExit(int(ExitCode.REFUSED)) from None
    except Terminated:
        fail("terminated", ExitCode.TERMINATED)
    except OutputError as exc:
        stdout_failed(exc.cause)
    except (Exception, KeyboardInterrupt) as exc:
        if isinstance(exc, OSError) and is_stdout_error(exc):
            stdout_failed(exc)
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            # `licencecmp` or a group such as `licencecmp policy` alone: the help, as --help prints it.
            sys.stdout.write(ctx.get_help() + "\n")
            raise SystemExit(int(ExitCode.OK)) from None
        handle(exc)
