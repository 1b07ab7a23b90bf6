"""Listing the files of a tree: ``git ls-files`` inside a git work tree (so ``.gitignore`` is
respected), or a walk that honours every ``.gitignore`` with a linear-time gitignore matcher.

Files of checked-out submodules are listed (``--recurse-submodules``). Git runs hardened against
the scanned repository's own configuration (no ``core.fsmonitor`` command, no hooks, no system
config, no untracked cache, no implicit bare repositories): see :data:`GIT_HARDENING`. When git
fails inside a git work tree (git missing, "dubious ownership"), the tree is walked *without*
``.gitignore`` rules (they must never hide committed files) and the scan says so (:data:`FALLBACK_NOTICE`).

Patterns (``.gitignore`` and the policy's ``exclude``) are matched by :class:`IgnoreRules`, which
never backtracks: a wildcard pattern costs at most (path length x pattern length) steps.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from licencecmp.errors import InputError
from licencecmp.scan.reading import ReadRefused, read_text_capped
from licencecmp.scan.results import Skipped

__all__ = ["DEFAULT_EXCLUDED_DIRS", "FALLBACK_NOTICE", "GIT_HARDENING", "IgnoreRules", "Listing", "git_command",
           "git_env", "gitignore_spec", "list_files", "relative_path"]

DEFAULT_EXCLUDED_DIRS = frozenset({".git", ".venv", "venv", "node_modules", "site-packages", "__pycache__", ".tox",
                                   ".nox", "build", "dist", ".mypy_cache"})
"""Folders never walked outside git (as is any folder holding ``pyvenv.cfg``, a virtual environment)."""

GIT_HARDENING: tuple[str, ...] = (
    "-c", "core.fsmonitor=false",
    "-c", f"core.hooksPath={os.devnull}",
    "-c", "core.untrackedCache=false",
    "-c", "safe.bareRepository=explicit",
    "-c", "core.splitIndex=false",
    "--no-optional-locks",
)
"""Options that keep git from running anything the scanned repository's configuration names."""
MAX_IGNORE_FILE = 1024 * 1024
MAX_PATTERN = 4096
FALLBACK_NOTICE = ("git could not list the files ({why}); the tree was walked instead and .gitignore rules were "
                   "NOT applied, so files git would ignore are scanned too")


def git_env() -> dict[str, str]:
    """The environment git runs with: no system configuration, no prompts, no optional locks."""
    env = dict(os.environ)
    env.update({"GIT_CONFIG_NOSYSTEM": "1", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"})
    for var in ("GIT_EXTERNAL_DIFF", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_ASKPASS", "GIT_EDITOR", "GIT_PAGER"):
        env.pop(var, None)
    return env


def git_command(root: Path, *args: str) -> list[str]:
    """The argv of a hardened git command run in ``root``."""
    return ["git", *GIT_HARDENING, "-C", str(root), *args]


def _ls_files(root: Path, *args: str) -> tuple[set[str] | None, str]:
    """``git ls-files -z ARGS`` (hardened), or (None, why not)."""
    try:
        proc = subprocess.run(
            git_command(root, "ls-files", "-z", *args),
            capture_output=True, timeout=120, check=False, env=git_env(), stdin=subprocess.DEVNULL,
        )
    except FileNotFoundError:
        return None, "git is not installed"
    except (OSError, subprocess.SubprocessError) as exc:
        return None, f"git did not run: {type(exc).__name__}"
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        first = next((ln for ln in err if ln.startswith(("fatal", "error"))), err[0] if err else "")
        return None, " ".join(first.split())[:200] or f"exit status {proc.returncode}"
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return {n for n in names if n}, ""


def _git_files(root: Path) -> tuple[list[str] | None, str]:
    """Files git knows or would add (tracked + untracked not ignored), or (None, why not). The
    files of checked-out submodules are listed too (``--recurse-submodules``, run with the same
    hardening, which git passes on to the submodules' git); a submodule that is not checked out
    stays listed as its folder, which the scan reports as not scanned."""
    names, why = _ls_files(root, "--cached", "--others", "--exclude-standard")
    if names is None:
        return None, why
    if ".gitmodules" in names or any(n.endswith("/.gitmodules") for n in names):
        # git cannot list untracked files and submodules' files in one command
        inner, why = _ls_files(root, "--cached", "--recurse-submodules")
        if inner is None:
            return None, f"listing the submodules: {why}"
        names |= inner
        folders: set[str] = set()
        for n in names:
            i = n.rfind("/")
            while i > 0 and n[:i] not in folders:  # stops at a folder seen before (its parents are too)
                folders.add(n[:i])
                i = n.rfind("/", 0, i)
        names -= folders  # a checked-out submodule's folder: its files are listed instead
    return sorted(names), ""


def _in_git_tree(root: Path) -> bool:
    """Whether ``root`` is inside what looks like a git work tree (a ``.git`` here or above)."""
    here = Path(os.path.abspath(root))
    return any(os.path.lexists(d / ".git") for d in (here, *here.parents))


# -- gitignore patterns, matched without backtracking ----------------------------------------------

_STAR = object()  # `*` inside one path component
_ANY = object()  # `?`


def _component_tokens(seg: str) -> list[Any] | None:
    """Tokens of one path-component glob: a literal character, _ANY, _STAR, or a character
    class ``(negated, chars, ranges)``. None when the glob is invalid (a trailing backslash)."""
    out: list[Any] = []
    i, n = 0, len(seg)
    while i < n:
        ch = seg[i]
        if ch == "\\":
            if i + 1 >= n:
                return None
            out.append(seg[i + 1])
            i += 2
            continue
        if ch == "*":
            if not out or out[-1] is not _STAR:
                out.append(_STAR)
        elif ch == "?":
            out.append(_ANY)
        elif ch == "[":
            j = i + 1
            neg = j < n and seg[j] in "!^"
            if neg:
                j += 1
            chars: set[str] = set()
            ranges: list[tuple[str, str]] = []
            first = True
            while j < n and (seg[j] != "]" or first):
                c = seg[j]
                if c == "\\" and j + 1 < n:
                    j += 1
                    c = seg[j]
                if j + 2 < n and seg[j + 1] == "-" and seg[j + 2] != "]":
                    hi = seg[j + 2]
                    if hi == "\\" and j + 3 < n:
                        hi = seg[j + 3]
                        j += 1
                    if c > hi:
                        return None  # a reversed range ([X-2]): invalid, as pathspec and git's regex see it
                    ranges.append((c, hi))
                    j += 3
                else:
                    chars.add(c)
                    j += 1
                first = False
            if j >= n:  # no closing bracket: a literal "["
                out.append("[")
            else:
                out.append((neg, frozenset(chars), tuple(ranges)))
                i = j + 1
                continue
        else:
            out.append(ch)
        i += 1
    return out


def _one(tok: Any, c: str) -> bool:
    if tok is _ANY:
        return True
    if isinstance(tok, str):
        return tok == c
    neg, chars, ranges = tok
    hit = c in chars or any(lo <= c <= hi for lo, hi in ranges)
    return bool(hit != neg)


def _glob_match(tokens: Sequence[Any], s: Sequence[Any], one: Any, star: object) -> bool:
    """Wildcard matching with one remembered star (no backtracking beyond it): O(len(s) x len(tokens))."""
    ti = si = 0
    star_t, star_s = -1, 0
    nt, ns = len(tokens), len(s)
    while si < ns:
        if ti < nt and tokens[ti] is star:
            star_t, star_s = ti, si
            ti += 1
        elif ti < nt and one(tokens[ti], s[si]):
            ti += 1
            si += 1
        elif star_t >= 0:
            ti = star_t + 1
            star_s += 1
            si = star_s
        else:
            return False
    while ti < nt and tokens[ti] is star:
        ti += 1
    return ti == nt


class _Segment:
    """One component of a pattern: a literal, a literal after or before one star (``*.pyc``,
    ``tmp*``, ``*cache*``: string tests), or any other glob."""

    __slots__ = ("literal", "prefix", "suffix", "tokens")

    def __init__(self, text: str) -> None:
        tokens = _component_tokens(text)
        if tokens is None:
            raise ValueError("a trailing backslash or a reversed range")
        self.tokens = tokens
        self.literal = "".join(tokens) if all(isinstance(t, str) for t in tokens) else None
        self.prefix = self.suffix = None
        stars = [i for i, t in enumerate(tokens) if t is _STAR]
        rest = [t for t in tokens if t is not _STAR]
        if stars and all(isinstance(t, str) for t in rest):
            inner = "".join(rest)
            if stars == [0]:  # *lit
                self.prefix, self.suffix = "", inner
            elif stars == [len(tokens) - 1]:  # lit*
                self.prefix, self.suffix = inner, ""
            elif stars == [0, len(tokens) - 1] and len(tokens) > 1:  # *lit*
                self.prefix, self.suffix = None, inner
                self.literal = None

    def matches(self, name: str) -> bool:
        if self.literal is not None:
            return self.literal == name
        if self.suffix is not None:
            if self.prefix is None:  # *lit*
                return self.suffix in name
            return name.startswith(self.prefix) and name.endswith(self.suffix) and \
                len(name) >= len(self.prefix) + len(self.suffix)
        return _glob_match(self.tokens, name, _one, _STAR)


_DSTAR = object()  # `**`: any number of components


def _seg_one(seg: _Segment, name: str) -> bool:
    return seg.matches(name)


class _Rule:
    __slots__ = ("dir_only", "last", "negate", "segments")

    def __init__(self, segments: list[Any], negate: bool, dir_only: bool) -> None:
        self.segments, self.negate, self.dir_only = segments, negate, dir_only
        # `**/x` (any unanchored one-component pattern): only the last component can match x
        self.last = segments[1] if len(segments) == 2 and segments[0] is _DSTAR and \
            isinstance(segments[1], _Segment) else None

    def matches(self, parts: Sequence[str], is_dir: bool) -> bool:
        if self.dir_only and not is_dir:
            return False
        if self.last is not None:
            return bool(parts) and self.last.matches(parts[-1])
        return _glob_match(self.segments, parts, _seg_one, _DSTAR)


def _parse_rule(line: str) -> _Rule | None:
    """A gitignore line as a rule; None for blanks and comments; ValueError when invalid."""
    line = line.rstrip("\r\n")
    if not line or line.startswith("#"):
        return None
    # Trailing spaces are dropped unless escaped.
    stripped = line.rstrip(" ")
    if stripped.endswith("\\") and len(stripped) < len(line):
        stripped += " "
    line = stripped
    if not line:
        return None
    negate = line.startswith("!")
    if negate or line.startswith(("\\#", "\\!")):
        line = line[1:]
    if not line or line == "/":
        raise ValueError("an empty pattern")
    if len(line) > MAX_PATTERN:
        raise ValueError(f"longer than {MAX_PATTERN} characters")
    dir_only = line.endswith("/") and not line.endswith("\\/")
    if dir_only:
        line = line[:-1]  # one slash, as git strips it
    if "//" in line or line.endswith("/"):  # matches no path in git: dropped from a .gitignore, an error in
        raise ValueError("an empty path component")  # the policy's exclude
    anchored = "/" in line
    line = line.removeprefix("/")
    parts = [p for p in line.split("/") if p]
    if not parts:
        raise ValueError("an empty pattern")
    segments: list[Any] = [] if anchored else [_DSTAR]
    for p in parts:
        if p == "**":
            if not segments or segments[-1] is not _DSTAR:
                segments.append(_DSTAR)
        else:
            segments.append(_Segment(p))
    if segments[-1] is _DSTAR:  # a trailing `/**` matches everything inside, not the folder itself
        segments[-1:] = [_Segment("*"), _DSTAR]
    return _Rule(segments, negate, dir_only)


class IgnoreRules:
    """The rules of one ``.gitignore`` (or the policy's ``exclude``), last match wins."""

    def __init__(self, rules: list[_Rule]) -> None:
        self.rules = rules
        self._dirs: dict[str, bool | None] = {}
        # every rule a bare name (`licencecmp.lock`, `node_modules/`): only a path with a component so named
        # can match (the names licencecmp writes are excluded so from every scan)
        names = [r.last.literal for r in rules if r.last is not None and r.last.literal is not None]
        self._names = frozenset(names) if len(names) == len(rules) else None

    def check(self, rel: str, is_dir: bool) -> bool | None:
        """True (ignored), False (re-included by ``!``) or None (no rule matches) for ``rel``
        (relative to the folder of the rules, POSIX separators)."""
        parts = [p for p in rel.split("/") if p]
        for rule in reversed(self.rules):
            if rule.matches(parts, is_dir):
                return not rule.negate
        return None

    def match_file(self, rel: str) -> bool:
        """Whether a file (listed flat, e.g. by git) is excluded: it or a folder above it is."""
        parts = rel.split("/")
        if self._names is not None and self._names.isdisjoint(parts):
            return False
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            verdict = self._dirs.get(d, 0)
            if verdict == 0:
                verdict = self._dirs[d] = self.check(d, True)
            if verdict:
                return True  # a file inside an excluded folder cannot be re-included
        return bool(self.check(rel, False))


def gitignore_spec(lines: list[str], *, strict: bool = False) -> IgnoreRules:
    """A gitignore matcher. A line that is not a valid pattern (a lone ``\\``, ``!``) is dropped,
    as git drops it; with ``strict`` (the policy's own ``exclude``) it is an InputError."""
    rules: list[_Rule] = []
    for line in lines:
        try:
            rule = _parse_rule(line)
        except ValueError as exc:
            if strict:
                shown = line if len(line) <= 80 else line[:77] + "..."
                raise InputError(f"exclude: {shown!r} is not a valid .gitignore pattern ({exc})") from None
            continue
        if rule is not None:
            rules.append(rule)
    return IgnoreRules(rules)


def _read_ignore(path: Path, skipped: list[Skipped], rel: str) -> list[str] | None:
    if not os.path.lexists(path):
        return None
    try:
        return read_text_capped(path, MAX_IGNORE_FILE, follow=False).splitlines()
    except ReadRefused as exc:
        skipped.append(Skipped(rel, f".gitignore not applied: {exc.reason}"))
        return None
    except UnicodeDecodeError:  # pragma: no cover - read_text_capped raises ReadRefused
        return None


def _walk_files(root: Path, skipped: list[Skipped], use_ignore: bool = True) -> Iterator[str]:
    """Walk the tree without following symlinks to directories, honouring nested .gitignore files
    (unless ``use_ignore`` is false): the files in sorted order, one at a time (the list of a large tree
    is never held). Each folder's entries are sorted with a folder's name followed by ``/``, so that the
    depth-first walk gives the files in the order of their sorted paths. What cannot be read while walking
    is added to ``skipped`` once the walk is done, in the order of the folders' names, a folder before
    what it holds."""
    notes: list[tuple[tuple[str, ...], int, Skipped]] = []

    def enter(rel_dir: str, specs: list[tuple[str, Any]]) -> Iterator[tuple[str, bool, list[tuple[str, Any]]]]:
        here = root / rel_dir if rel_dir else root
        where = tuple(rel_dir.split("/")[:-1])
        if use_ignore:
            unread: list[Skipped] = []
            ignore = _read_ignore(here / ".gitignore", unread, rel_dir + ".gitignore")
            notes.extend((where, 0, s) for s in unread)
            if ignore:
                specs = [*specs, (rel_dir, gitignore_spec(ignore))]
        try:
            with os.scandir(here) as it:
                listed = list(it)
        except OSError as exc:
            notes.append((where, 1, Skipped(rel_dir.rstrip("/") or ".", f"cannot list the directory: {exc.strerror}")))
            return iter(())
        kept: list[tuple[str, str, bool]] = []
        for entry in listed:
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
            # files and symlinks (a symlink is reported, never followed, when scanned); a folder sorts as "name/"
            kept.append((entry.name + "/" if is_dir else entry.name, rel, is_dir))
        kept.sort()
        return ((rel, is_dir, specs) for _, rel, is_dir in kept)

    stack = [enter("", [])]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
            continue
        rel, is_dir, specs = item
        if is_dir:
            stack.append(enter(rel + "/", specs))
        else:
            yield rel
    skipped.extend(s for _, _, s in sorted(notes, key=lambda n: (n[0], n[1])))


def _ignored(specs: list[tuple[str, Any]], rel: str, is_dir: bool) -> bool:
    """Last match wins across the .gitignore files from the root down, as git does."""
    verdict = False
    for base, spec in specs:
        sub = rel[len(base):]
        res = spec.check(sub, is_dir)
        if res is not None:
            verdict = res
    return verdict


class Listing:
    """The files to scan (relative POSIX paths, sorted), listed as they are iterated: ``git ls-files``
    inside a git work tree, else a walk that yields each file as it is reached (a tree's list is never
    held whole outside git). ``git`` says whether git listed them; ``skipped`` holds what was skipped while
    listing, complete once the files have been iterated. When git fails inside a git work tree, a notice
    is appended to ``notices`` and the walk applies no ``.gitignore`` (committed files must not vanish).
    Iterate it once."""

    def __init__(self, root: Path, exclude: Sequence[str] = (), notices: list[str] | None = None) -> None:
        self.root = root
        self.skipped: list[Skipped] = []
        self._spec = gitignore_spec(list(exclude), strict=True) if exclude else None
        files, why = _git_files(root)
        self.git = files is not None
        self._listed = files
        self._in_git = False
        if files is None:
            self._in_git = _in_git_tree(root)
            if self._in_git and notices is not None:
                notices.append(FALLBACK_NOTICE.format(why=why))
        self._files = self._list(self.skipped)

    def _list(self, skipped: list[Skipped]) -> Iterator[str]:
        files: Iterable[str] = self._listed if self._listed is not None else _walk_files(
            self.root, skipped, use_ignore=not self._in_git)
        spec = self._spec
        return iter(files) if spec is None else (f for f in files if not spec.match_file(f))

    def __iter__(self) -> Iterator[str]:
        return self._files

    def count(self) -> int:
        """How many files there are to scan: git's list, or a walk of its own (the tree is walked twice)."""
        return sum(1 for _ in self._list([]))


def list_files(root: Path, exclude: Sequence[str] = (),
               notices: list[str] | None = None) -> tuple[list[str], list[Skipped], bool]:
    """The files to scan (relative POSIX paths), what was skipped while listing, and whether git was
    used: a :class:`Listing`, whole."""
    listing = Listing(root, exclude, notices)
    files = list(listing)
    return files, listing.skipped, listing.git


def relative_path(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` with POSIX separators (or as given when outside it)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
