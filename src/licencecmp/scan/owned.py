"""The files licencecmp itself writes, which a scan never reads for references.

``licencecmp lock`` writes ``licencecmp.lock`` and ``licencecmp baseline`` writes
``licencecmp-baseline.toml``: both name models (``inferred_from = "meta-llama/..."``), and a scan
that read them would report those names as models the repository uses (issue 22: the second
``lock`` added the base model of a re-upload "used at licencecmp.lock"). They are excluded by name
wherever they are in the tree, and so is any other file named here (a baseline named in the policy).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

__all__ = ["BASELINE_FILE", "OWN_NAMES", "literal_pattern", "own_excludes"]

BASELINE_FILE = "licencecmp-baseline.toml"
OWN_NAMES: tuple[str, ...] = ("licencecmp.lock", BASELINE_FILE)
"""The names of the files licencecmp writes into a repository (the lock's name is
:data:`licencecmp.scan.lock.LOCK_FILE`; a test checks they agree)."""

_SPECIAL = frozenset("\\*?[]!# ")


def literal_pattern(rel: str) -> str:
    """A .gitignore pattern that matches exactly ``rel`` (anchored, specials escaped; a folder keeps
    its trailing slash)."""
    return "/" + "".join("\\" + c if c in _SPECIAL else c for c in rel)


def own_excludes(root: Path, exclude: Sequence[str], written: Iterable[Path] = ()) -> list[str]:
    """The policy's ``exclude`` plus the files licencecmp writes: every file named in
    :data:`OWN_NAMES`, anywhere, and each of ``written`` that lies inside ``root``."""
    out = [*exclude, *OWN_NAMES]
    base = Path(root).resolve()
    for path in written:
        try:
            rel = Path(path).resolve().relative_to(base).as_posix()
        except (ValueError, OSError):
            continue  # outside the tree: never listed anyway
        if rel and rel != ".":
            out.append(literal_pattern(rel))
    return out
