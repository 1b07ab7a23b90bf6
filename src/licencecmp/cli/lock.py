"""`licencecmp lock`: resolve every model a repository uses once, and write licencecmp.lock."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from licencecmp.cli.options import out

__all__ = ["register"]


def lock(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The repository or folder to scan.")] = Path("."),
    online: Annotated[bool, typer.Option(
        "--online", help="Ask the Hugging Face Hub about models no local source resolves.")] = False,
    policy: Annotated[Path | None, typer.Option(
        "--policy", metavar="FILE", help="Policy file (default: found in PATH or above it, up to the "
        "repository root).", show_default=False)] = None,
) -> None:
    """Resolve every model PATH uses and write licencecmp.lock at the repository root.

    Commit the lock: `licencecmp check` then resolves from it offline, and `check --locked` fails
    when the repository uses a model the lock does not list. Entries that cannot be re-resolved
    are kept as they were (and listed).
    """
    import datetime as dt

    from licencecmp._version import __version__
    from licencecmp.cli.output import atomic_write
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.scan.check import run_check
    from licencecmp.scan.inventory import check_root as scan_root
    from licencecmp.scan.inventory import load_policy_for
    from licencecmp.scan.lock import (
        LOCK_FILE,
        Lock,
        LockEntry,
        find_lock,
        lock_text,
        read_lock,
        relocked,
        repository_root,
    )

    root = scan_root(path)
    cat = default_catalogue()
    pol, source = load_policy_for(root, policy, cat)
    old_path = find_lock(root)
    old = read_lock(old_path) if old_path is not None else Lock()
    target = old_path or repository_root(root) / LOCK_FILE
    # resolve without the old lock, so that every model is resolved afresh
    report = run_check(root, pol, source, cat=cat, online=online, lock=Lock(), progress=None)
    today = dt.date.today()
    entries: list[LockEntry] = []
    kept: list[str] = []
    for m in report.models:
        previous = old.get(m.model)
        if not m.licences and previous is not None and previous.licences:
            entries.append(previous)
            kept.append(m.model)
            continue
        entries.append(relocked(previous, LockEntry(
            id=m.model, licences=m.licences, resolution=m.resolution, upstream=m.upstream,
            inferred_from=m.inferred_from, sha=m.sha, resolved=today, reason=m.reason)))
    atomic_write(target, lock_text(entries, __version__))
    unknown = [e.id for e in entries if not e.licences]
    out(f"wrote {target}: {len(entries)} model(s)"
        + (f"; {len(unknown)} unknown" if unknown else "") + (f"; {len(kept)} kept as locked" if kept else "")
        + "\n")
    for mid in kept:
        out(f"  kept: {mid} (could not be re-resolved; the locked entry is unchanged)\n")
    for e in entries:
        if not e.licences:
            out(f"  unknown: {e.id}: {e.reason or 'no source answered'}\n")


def register(app: typer.Typer) -> None:
    """Add `lock` to the app."""
    app.command()(lock)
