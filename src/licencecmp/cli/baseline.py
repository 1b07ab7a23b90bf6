"""`licencecmp baseline`: accept today's failing findings, so that `check` fails only on new ones."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from licencecmp.cli.options import out

__all__ = ["register"]


def baseline(
    path: Annotated[Path, typer.Argument(metavar="PATH", help="The repository or folder to scan.")] = Path("."),
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", metavar="FILE", help="Where to write it (default: the policy's `baseline`, else "
        "licencecmp-baseline.toml at the repository root).", show_default=False)] = None,
    policy: Annotated[Path | None, typer.Option(
        "--policy", metavar="FILE", help="Policy file (default: found in PATH or above it, up to the "
        "repository root).", show_default=False)] = None,
    online: Annotated[bool, typer.Option(
        "--online", help="Ask the Hugging Face Hub about models no local source resolves.")] = False,
) -> None:
    """Write the baseline: every finding that fails the check today, keyed by model and kind
    (never by line), sorted, the same on every run. Commit it: `licencecmp check` then reports
    those findings as known and fails only on new ones; run it again to drop what was fixed.
    """
    from licencecmp._version import __version__
    from licencecmp.cli.output import atomic_write
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.scan.baseline import BASELINE_FILE, baseline_text
    from licencecmp.scan.check import run_check
    from licencecmp.scan.inventory import check_root, load_policy_for
    from licencecmp.scan.lock import repository_root

    root = check_root(path)
    cat = default_catalogue()
    pol, source = load_policy_for(root, policy, cat)
    target = output
    if target is None and pol.baseline is not None:
        target = (source.path.parent if source.path is not None else root) / pol.baseline
    target = target or repository_root(root) / BASELINE_FILE
    report = run_check(root, pol, source, cat=cat, online=online, written=[target])
    if report.errors:
        first = report.errors[0]
        from licencecmp.errors import InputError

        raise InputError(f"{first.path}{f':{first.line}' if first.line else ''}: {first.message} (no baseline "
                         "written: a file that cannot be understood is never accepted)")
    failing = report.failing
    atomic_write(target, baseline_text(failing, __version__))
    models = {f.model for f in failing if f.model}
    out(f"wrote {target}: {len(failing)} failing finding(s) of {len(models)} model(s) accepted; "
        "`licencecmp check` now fails only on new ones\n")


def register(app: typer.Typer) -> None:
    """Add `baseline` to the app."""
    app.command()(baseline)
