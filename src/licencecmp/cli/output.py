"""Writing what the CLI produces: reports written atomically, a progress line on a terminal."""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from licencecmp.errors import InputError

__all__ = ["Progress", "atomic_write", "batched_text", "is_stdout"]

BATCH = 1 << 16
"""Characters written at a time when a text comes in pieces."""


def batched_text(pieces: Iterable[str], size: int = BATCH) -> Iterator[str]:
    """The pieces of a text joined into runs of about ``size`` characters (one write each), in order.

    >>> list(batched_text(["ab", "c", "de", "f"], size=3))
    ['abc', 'def']
    """
    run: list[str] = []
    held = 0
    for piece in pieces:
        run.append(piece)
        held += len(piece)
        if held >= size:
            yield "".join(run)
            run.clear()
            held = 0
    if run:
        yield "".join(run)


def is_stdout(path: Path | str | None) -> bool:
    """``-o -`` (or no ``-o``): the report goes to stdout."""
    return path is None or str(path) == "-"


def _escapes_cwd(path: Path) -> str | None:
    """The first folder of ``path`` at or below the working directory that is a symlink leading
    out of it (a scanned repository must not redirect a report elsewhere), else None."""
    cwd = os.path.realpath(os.getcwd())
    absolute = Path(os.path.abspath(path))
    try:
        rel = absolute.parent.relative_to(os.path.abspath(os.getcwd()))
    except ValueError:
        return None  # a path the user named outside the working directory: theirs to choose
    here = Path(os.getcwd())
    for part in rel.parts:
        here = here / part
        if os.path.islink(here):
            target = os.path.realpath(here)
            if target != cwd and not target.startswith(cwd.rstrip(os.sep) + os.sep):
                return str(here)
    return None


def _writes_in_place(path: Path, lst: os.stat_result | None, shown: str) -> bool:
    """Whether ``path`` is written into rather than replaced: a device or FIFO, or a link to one outside the
    working directory (``/dev/stdout``); a directory is an error."""
    import stat

    if lst is not None and not stat.S_ISREG(lst.st_mode) and not stat.S_ISLNK(lst.st_mode):
        if stat.S_ISDIR(lst.st_mode):
            raise InputError(f"cannot write {shown}: it is a directory")
        return True  # a device or FIFO: write into it
    if lst is not None and stat.S_ISLNK(lst.st_mode):
        try:
            target = os.stat(path)
        except OSError:
            return False
        if not stat.S_ISREG(target.st_mode):
            # /dev/stdout and the like are written through; a link inside the working directory (a
            # scanned repository's) is replaced by a regular file, never followed to a device.
            return not Path(os.path.abspath(path)).is_relative_to(os.path.abspath(os.getcwd()))
    return False


def atomic_write(path: Path, text: str | Iterable[str]) -> None:
    """Write ``text`` (a string, or a string in pieces, written as they come: see
    :func:`licencecmp.render.report.render_report_parts`) to ``path``: ``-`` is stdout; a device, FIFO
    or other non-regular file (or a link to one outside the working directory, like ``/dev/stdout``) is
    written in place, never replaced; a regular file is written to a temporary file beside it and
    renamed into place, with the mode of the file it replaces or the umask's mode for a new one. A
    full disk is an error; an interrupt leaves no temporary file."""
    import stat
    import tempfile

    pieces = (text,) if isinstance(text, str) else batched_text(text)
    if is_stdout(path):
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()
        return
    path = Path(path)
    shown = repr(os.fsdecode(path))
    try:
        lst: os.stat_result | None = os.lstat(path)
    except OSError:
        lst = None
    if _writes_in_place(path, lst, shown):
        try:
            fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
            try:
                _write_all(fd, pieces)
            finally:
                os.close(fd)
        except OSError as exc:
            raise InputError(f"cannot write {shown}: {exc.strerror or exc}") from None
        return
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise InputError(f"cannot write {shown}: the directory {str(parent)!r} does not exist")
    escape = _escapes_cwd(path)
    if escape is not None:
        raise InputError(f"cannot write {shown}: {escape!r} is a symlink to a folder outside the working "
                         "directory; name the real path")
    try:
        fd, tmp = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write {shown}: {exc.strerror}") from None
    try:
        if lst is not None and stat.S_ISREG(lst.st_mode):
            mode = stat.S_IMODE(lst.st_mode)
        else:
            umask = os.umask(0o022)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.fchmod(fd, mode)
        _write_all(fd, pieces)
        os.fsync(fd)
        os.close(fd)
        fd = -1
        now = os.lstat(path) if os.path.lexists(path) else None
        if now is not None and not stat.S_ISREG(now.st_mode) and not stat.S_ISLNK(now.st_mode):
            raise InputError(f"cannot write {shown}: it became a special file while writing")
        os.replace(tmp, path)
    except BaseException as exc:
        if fd >= 0:
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise InputError(f"cannot write {shown}: {exc.strerror or exc}") from None
        raise


def _write_all(fd: int, pieces: Iterable[str]) -> None:
    for piece in pieces:
        view = memoryview(piece.encode("utf-8", "surrogateescape"))
        while view:
            view = view[os.write(fd, view):]


class Progress:
    """A one-line progress counter on stderr, only on a terminal and only once a scan takes a while."""

    DELAY = 0.5

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream: IO[str] = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty())
        self.start = time.monotonic()
        self.last = 0.0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if done < total and (now - self.start < self.DELAY or now - self.last < 0.1):
            return
        self.last = now
        if done >= total:
            if self.shown:
                self.stream.write("\r\033[K")
                self.stream.flush()
            return
        width = 30
        filled = int(width * done / max(total, 1))
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\rlicencecmp: scanning [{bar}] {done:,}/{total:,} files")
        self.stream.flush()
        self.shown = True
