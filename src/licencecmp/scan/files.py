"""Listing the files of a tree: ``git ls-files`` inside a git work tree (so ``.gitignore`` is
respected), or a walk that honours every ``.gitignore`` with a real gitignore matcher (pathspec)."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from licencecmp.errors import InputError
from licencecmp.scan.results import Skipped

__all__ = ["DEFAULT_EXCLUDED_DIRS", "gitignore_spec", "list_files", "relative_path"]

DEFAULT_EXCLUDED_DIRS = frozenset({".git", ".venv", "venv", "node_modules", "site-packages", "__pycache__", ".tox",
                                   ".nox", "build", "dist", ".mypy_cache"})
"""Folders never walked outside git (as is any folder holding ``pyvenv.cfg``, a virtual environment)."""


def _git_files(root: Path) -> list[str] | None:
    """Files git knows or would add (tracked + untracked not ignored), or None outside git."""
    try:
        proc = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, timeout=120, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if proc.returncode != 0:
        return None
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted({n for n in names if n})


def gitignore_spec(lines: list[str], *, strict: bool = False) -> Any:
    """A gitignore matcher. A line that is not a valid pattern (a lone ``\\``, ``!``) is dropped,
    as git drops it; with ``strict`` (the policy's own ``exclude``) it is an InputError."""
    import warnings

    import pathspec

    def compile_lines(some: list[str]) -> Any:
        with warnings.catch_warnings():  # re's FutureWarning ("possible nested set") on odd patterns
            warnings.simplefilter("ignore")
            return pathspec.GitIgnoreSpec.from_lines(some)

    try:
        return compile_lines(lines)
    except (ValueError, re.error):  # re.error: a pattern that compiles to a bad regex ("[X-2]")
        pass
    good = []
    for line in lines:
        try:
            compile_lines([line])
        except (ValueError, re.error):
            if strict:
                raise InputError(f"exclude: {line!r} is not a valid .gitignore pattern") from None
            continue
        good.append(line)
    return compile_lines(good)


def _read_ignore(path: Path) -> list[str] | None:
    try:
        return path.read_text("utf-8", "replace").splitlines()
    except OSError:
        return None


def _walk_files(root: Path, skipped: list[Skipped]) -> list[str]:
    """Walk the tree without following symlinks to directories, honouring nested .gitignore files."""
    out: list[str] = []
    # Each entry: (directory relative to root with trailing '/', spec)
    stack: list[tuple[str, list[tuple[str, Any]]]] = [("", [])]
    while stack:
        rel_dir, specs = stack.pop()
        here = root / rel_dir if rel_dir else root
        ignore = _read_ignore(here / ".gitignore")
        if ignore:
            specs = [*specs, (rel_dir, gitignore_spec(ignore))]
        try:
            entries = sorted(os.scandir(here), key=lambda e: e.name)
        except OSError as exc:
            skipped.append(Skipped(rel_dir.rstrip("/") or ".", f"cannot list the directory: {exc.strerror}"))
            continue
        subdirs = []
        for entry in entries:
            rel = rel_dir + entry.name
            try:
                is_dir = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if is_dir and (entry.name in DEFAULT_EXCLUDED_DIRS or os.path.isfile(os.path.join(entry.path,
                                                                                                "pyvenv.cfg"))):
                continue
            if _ignored(specs, rel, is_dir):
                continue
            if is_dir:
                subdirs.append(rel + "/")
            else:
                out.append(rel)  # files and symlinks (a symlink is reported, never followed, when scanned)
        stack.extend((d, specs) for d in reversed(subdirs))
    return sorted(out)


def _ignored(specs: list[tuple[str, Any]], rel: str, is_dir: bool) -> bool:
    """Last match wins across the .gitignore files from the root down, as git does."""
    verdict = False
    for base, spec in specs:
        sub = rel[len(base):]
        if is_dir:
            sub += "/"
        res = spec.check_file(sub)
        if res.include is not None:
            verdict = bool(res.include)
    return verdict


def list_files(root: Path, exclude: Sequence[str] = ()) -> tuple[list[str], list[Skipped], bool]:
    """The files to scan (relative POSIX paths), what was skipped while listing, and whether git was used."""
    skipped: list[Skipped] = []
    files = _git_files(root)
    used_git = files is not None
    if files is None:
        files = _walk_files(root, skipped)
    if exclude:
        spec = gitignore_spec(list(exclude), strict=True)
        files = [f for f in files if not spec.match_file(f)]
    return files, skipped, used_git


def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with POSIX separators (or as given when outside it)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
