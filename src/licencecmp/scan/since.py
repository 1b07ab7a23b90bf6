"""``check --since REV``: the lines added or changed since a git revision, to judge only the
references on them (a pull request against ``origin/main``).

The repository's own git is asked, with the hardening every git call of the scan has
(:data:`~licencecmp.scan.files.GIT_HARDENING`, :func:`~licencecmp.scan.files.git_env`) and, for
``diff``, no external diff driver and no textconv (either would run a command the repository's
configuration names). The revision is never taken as an option. The diff is read as a stream,
one bounded line at a time, and only the hunk headers are kept: memory grows with the number of
changed hunks, not with the size of the diff.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from licencecmp.errors import InputError
from licencecmp.scan.files import git_command, git_env

__all__ = ["Changes", "changes_since", "file_at"]

MAX_REV = 256
MAX_HEADER = 64 * 1024  # a diff line longer than this is content, never a header we need
TIMEOUT = 120
_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_OCTAL = re.compile(r"\\([0-7]{3})|\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "r": "\r", "v": "\v"}


@dataclass
class Changes:
    """What changed since a revision: whole files (new, untracked, binary) and added line ranges."""

    rev: str
    base: str = ""
    files: set[str] = field(default_factory=set)
    lines: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # path -> [(first, last)]

    def touches(self, path: str, line: int | None = None) -> bool:
        """Whether the line (or, with no line, anything) of ``path`` was added or changed."""
        if path in self.files:
            return True
        ranges = self.lines.get(path)
        if not ranges:
            return False
        if line is None:
            return True
        return any(a <= line <= b for a, b in ranges)


def _unquote(raw: bytes) -> str:
    """A path as git prints it: C-quoted (``"a\\303\\251.py"``) when it holds special bytes."""
    text = raw.decode("utf-8", "surrogateescape")
    if not (text.startswith('"') and text.endswith('"') and len(text) >= 2):
        return text
    out = bytearray()
    body = text[1:-1]
    pos = 0
    for m in _OCTAL.finditer(body):
        out += body[pos:m.start()].encode("utf-8", "surrogateescape")
        if m.group(1):
            out.append(int(m.group(1), 8))
        else:
            out += _ESCAPES.get(m.group(2), m.group(2)).encode("utf-8", "surrogateescape")
        pos = m.end()
    out += body[pos:].encode("utf-8", "surrogateescape")
    return out.decode("utf-8", "surrogateescape")


def _run(root: Path, *args: str) -> str:
    try:
        proc = subprocess.run(git_command(root, *args), capture_output=True, timeout=TIMEOUT, check=False,
                              env=git_env(), stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise InputError("--since needs git, and git is not installed") from None
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"--since: git did not run: {type(exc).__name__}") from None
    if proc.returncode != 0:
        err = " ".join(proc.stderr.decode("utf-8", "replace").split())[:300]
        raise InputError(f"--since: git {args[0]} failed: {err or f'exit status {proc.returncode}'}")
    return proc.stdout.decode("utf-8", "surrogateescape")


def _check_rev(rev: str) -> str:
    if not rev or len(rev) > MAX_REV or rev.startswith("-") or any(c.isspace() or ord(c) < 32 for c in rev):
        raise InputError(f"--since: {rev[:80]!r} is not a git revision")
    return rev


def _prefix(root: Path) -> str:
    """The scanned folder relative to the top of its work tree (``""`` at the top)."""
    return _run(root, "rev-parse", "--show-prefix").strip()


def changes_since(root: Path, rev: str) -> Changes:
    """The lines added or changed in ``root`` (work tree, staged and committed) since the merge
    base of ``rev`` and ``HEAD``, as paths relative to ``root``; untracked files count whole.
    :class:`InputError` when git cannot answer (no repository, an unknown revision)."""
    rev = _check_rev(rev)
    root = Path(root)
    base = _run(root, "merge-base", "--end-of-options", rev, "HEAD").strip().splitlines()
    if not base:
        raise InputError(f"--since: {rev!r} and HEAD have no common ancestor")
    out = Changes(rev=rev, base=base[0])
    prefix = _prefix(root)

    def rel(path: str) -> str | None:
        if prefix and not path.startswith(prefix):
            return None
        return path[len(prefix):]

    for name in _run(root, "ls-files", "-z", "--others", "--exclude-standard").split("\0"):
        if name:
            out.files.add(name)  # ls-files prints paths relative to the folder it runs in
    argv = git_command(root, "diff", "--no-ext-diff", "--no-textconv", "--no-color", "--no-renames", "-U0",
                       "--src-prefix=a/", "--dst-prefix=b/", out.base, "--", ".")
    try:
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                env=git_env())
    except (OSError, subprocess.SubprocessError) as exc:
        raise InputError(f"--since: git did not run: {type(exc).__name__}") from None
    assert proc.stdout is not None
    current: str | None = None
    at_start = True
    try:
        while True:
            line = proc.stdout.readline(MAX_HEADER)
            if not line:
                break
            starts, at_start = at_start, line.endswith(b"\n")
            if not starts:
                continue  # the rest of a long line
            if line.startswith(b"+++ "):
                target = line[4:].rstrip(b"\n").removesuffix(b"\t")  # git ends a name holding a space with a tab
                name = _unquote(target)
                current = rel(name[2:]) if name.startswith("b/") else None
            elif line.startswith(b"@@ ") and current is not None:
                m = _HUNK.match(line)
                if m:
                    first, count = int(m.group(1)), int(m.group(2) or 1)
                    if count:
                        out.lines.setdefault(current, []).append((first, first + count - 1))
            elif line.startswith(b"diff --git "):
                current = None
            elif line.startswith(b"GIT binary patch") or (line.startswith(b"Binary files ") and b" and b/" in line):
                name = _unquote(line.rsplit(b" and ", 1)[-1].removesuffix(b" differ\n"))
                path = rel(name[2:]) if name.startswith("b/") else None
                if path is not None:
                    out.files.add(path)
        code = proc.wait(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
    if code != 0:
        raise InputError(f"--since: git diff against {rev!r} failed (exit status {code})")
    return out


def file_at(root: Path, rev: str, path: Path, limit: int) -> bytes | None:
    """The content of ``path`` (a file under ``root``'s work tree) at the merge base of ``rev`` and
    HEAD, None if it did not exist there; InputError when larger than ``limit`` bytes."""
    rev = _check_rev(rev)
    root = Path(root)
    base = _run(root, "merge-base", "--end-of-options", rev, "HEAD").strip().splitlines()
    if not base:
        raise InputError(f"--since: {rev!r} and HEAD have no common ancestor")
    top = Path(_run(root, "rev-parse", "--show-toplevel").strip())
    try:
        rel = Path(path).resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return None  # outside the repository: it has no past here
    spec = f"{base[0]}:{rel}"
    argv = git_command(root, "cat-file", "-s", spec)
    size = subprocess.run(argv, capture_output=True, timeout=TIMEOUT, check=False, env=git_env(),
                          stdin=subprocess.DEVNULL)
    if size.returncode != 0:
        return None
    if int(size.stdout.strip() or b"0") > limit:
        raise InputError(f"--since: {rel} at {rev} is larger than {limit} bytes")
    blob = subprocess.run(git_command(root, "cat-file", "blob", spec), capture_output=True, timeout=TIMEOUT,
                          check=False, env=git_env(), stdin=subprocess.DEVNULL)
    return blob.stdout if blob.returncode == 0 else None
