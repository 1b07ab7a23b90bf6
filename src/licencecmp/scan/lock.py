"""``licencecmp.lock``: the licence of every model a repository uses, resolved once.

Written by ``licencecmp lock`` at the repository root, meant to be committed and reviewed like
``uv.lock``: TOML, one ``[[model]]`` table per model sorted by id, with its licences, the source
that answered (``resolution``), the upstream licences, the Hub revision (``sha``) when the Hub
answered, and the date. ``check`` reads it automatically; ``check --locked`` fails when the
repository uses a model the lock does not list, or the lock lists one no longer used.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from licencecmp.errors import InputError

__all__ = ["LOCK_FILE", "LOCK_VERSION", "Lock", "LockEntry", "check_lock_licences", "find_lock", "lock_text",
           "read_lock", "relocked", "repository_root"]

LOCK_FILE = "licencecmp.lock"
LOCK_VERSION = 1
MAX_LOCK_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class LockEntry:
    id: str
    licences: tuple[str, ...] = ()
    resolution: str = "unknown"
    upstream: tuple[str, ...] = ()
    base_models: tuple[str, ...] = ()
    inferred_from: str | None = None
    sha: str | None = None
    resolved: _dt.date | None = None
    reason: str | None = None

    def same_resolution(self, other: LockEntry) -> bool:
        """Whether two entries say the same thing about a model, whenever they were resolved."""
        return replace(self, resolved=None, reason=_one_line(self.reason)) == replace(
            other, resolved=None, reason=_one_line(other.reason))


def relocked(previous: LockEntry | None, fresh: LockEntry) -> LockEntry:
    """The entry to write for a model just resolved as ``fresh``: the ``previous`` one, byte for
    byte, when its resolution has not changed (re-locking a month later gives no diff)."""
    if previous is not None and previous.same_resolution(fresh):
        return previous
    return fresh


@dataclass
class Lock:
    path: Path | None = None
    entries: dict[str, LockEntry] = field(default_factory=dict)  # casefold id -> entry

    def get(self, model_id: str) -> LockEntry | None:
        return self.entries.get(model_id.casefold())

    def ids(self) -> list[str]:
        return sorted((e.id for e in self.entries.values()), key=str.casefold)


def repository_root(start: Path) -> Path:
    """The nearest folder at or above ``start`` that holds ``.git``; ``start`` itself if none."""
    start = Path(start).resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def find_lock(root: Path) -> Path | None:
    """``licencecmp.lock`` in ``root`` or, walking up, at the repository root."""
    start = Path(root).resolve()
    top = repository_root(start)
    for folder in (start, *start.parents):
        if os.path.lexists(folder / LOCK_FILE):  # a link or a folder is found, and refused by read_lock
            return folder / LOCK_FILE
        if folder == top:
            break
    return None


def _strs(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: {key} must be a list of strings")
    return tuple(value)


def _opt(value: Any, where: str, key: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{where}: {key} must be a string")
    return value


def read_lock(path: Path) -> Lock:
    """Read a lock file; InputError (exit 2) naming the file when it is not a valid lock."""
    from licencecmp.scan.reading import ReadRefused, read_capped, toml_written

    try:  # a regular file only (never a link out of the tree, a FIFO or a device), read up to the cap
        raw = read_capped(path, MAX_LOCK_BYTES, follow=False)
    except ReadRefused as exc:
        raise InputError(f"{path}: the lock file is not read: {exc.reason}") from None
    models = toml_written(path, raw, what="lock", version=LOCK_VERSION, rerun="licencecmp lock", array="model")
    lock = Lock(path=path)
    for i, item in enumerate(models):
        where = f"{path}: model[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            raise InputError(f"{where}: every [[model]] needs an id")
        resolved = item.get("resolved")
        if resolved is not None and not isinstance(resolved, _dt.date):
            raise InputError(f"{where}: resolved must be a date (YYYY-MM-DD)")
        entry = LockEntry(
            id=item["id"], licences=_strs(item.get("licences"), where, "licences"),
            resolution=_opt(item.get("resolution"), where, "resolution") or "unknown",
            upstream=_strs(item.get("upstream"), where, "upstream"),
            base_models=_strs(item.get("base_models"), where, "base_models"),
            inferred_from=_opt(item.get("inferred_from"), where, "inferred_from"),
            sha=_opt(item.get("sha"), where, "sha"), resolved=resolved,
            reason=_opt(item.get("reason"), where, "reason"))
        lock.entries[entry.id.casefold()] = entry
    return lock


def check_lock_licences(lock: Lock, cat: Any) -> None:
    """Every licence a lock names is one the catalogue knows: an InputError naming the lock file
    and the entry otherwise (a bad id must not surface later as an error that names no file)."""
    from licencecmp.errors import LicencecmpError
    from licencecmp.reasoning.expression import is_expression, parse_expression

    name = str(lock.path) if lock.path is not None else LOCK_FILE
    for entry in lock.entries.values():
        for key, values in (("licences", entry.licences), ("upstream", entry.upstream)):
            for value in values:
                why = "longer than 500 characters"
                if len(value) <= 500:
                    try:
                        parse_expression(value, cat) if is_expression(value) else cat.get(value)
                        continue
                    except LicencecmpError as exc:
                        why = " ".join(str(exc).split())[:300]
                shown = value if len(value) <= 80 else value[:77] + "..."
                raise InputError(f"{name}: model {entry.id[:200]!r}: {key}: {shown!r} is not a licence the "
                                 f"catalogue knows ({why}); run `licencecmp lock` again")


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text is not None else None


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's, for what json.dumps writes; DEL, which JSON
    leaves raw and TOML forbids, is escaped too)."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _list(items: Iterable[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


def lock_text(entries: Iterable[LockEntry], tool_version: str) -> str:
    """The text of a lock file: a header, then one table per model sorted by id."""
    lines = [
        f"# licencecmp.lock: written by licencecmp {tool_version} (`licencecmp lock`). Do not edit by hand;",
        "# review and commit it. `licencecmp check` resolves models from it; `check --locked` fails when",
        "# the repository uses a model it does not list, or it lists one no longer used.",
        f"version = {LOCK_VERSION}",
    ]
    for e in sorted(entries, key=lambda x: (x.id.casefold(), x.id)):
        lines += ["", "[[model]]", f"id = {_q(e.id)}", f"licences = {_list(e.licences)}",
                  f"resolution = {_q(e.resolution)}", f"upstream = {_list(e.upstream)}"]
        if e.base_models:
            lines.append(f"base_models = {_list(e.base_models)}")
        if e.inferred_from:
            lines.append(f"inferred_from = {_q(e.inferred_from)}")
        if e.sha:
            lines.append(f"sha = {_q(e.sha)}")
        if e.resolved:
            lines.append(f"resolved = {e.resolved.isoformat()}")
        if e.reason:
            lines.append(f"reason = {_q(_one_line(e.reason) or '')}")
    return "\n".join(lines) + "\n"


