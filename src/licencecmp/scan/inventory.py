"""What the CLI's ``check``/``sbom`` and the Python API share: the root checked, the policy found
as the CLI finds it, and the models a tree uses (for an SBOM)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from licencecmp.errors import InputError

if TYPE_CHECKING:
    from licencecmp.data.catalogue import Catalogue
    from licencecmp.scan.check import CheckReport, ModelUse
    from licencecmp.scan.policy import Policy, PolicySource

__all__ = ["check_path", "check_root", "load_policy_for", "models_in"]


def check_root(path: Path) -> Path:
    """``path`` if it is a folder to scan; :class:`InputError` otherwise."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{str(path)!r} does not exist")
    if not path.is_dir():
        raise InputError(f"{str(path)!r} is not a directory (licencecmp check scans a folder)")
    return path


def load_policy_for(root: Path, policy: Path | None, cat: Catalogue) -> tuple[Policy, PolicySource]:
    """The policy named by ``policy``, else the one found in ``root`` or the folders above it up to
    the repository root (``licencecmp.toml`` or ``[tool.licencecmp]`` in ``pyproject.toml``), else
    the default policy."""
    from licencecmp.scan.policy import find_policy_up, load_policy

    if policy is not None:
        policy = Path(policy)
        if not policy.is_file():
            what = "is a directory" if policy.is_dir() else (
                "is not a regular file (a broken or looping link?)" if os.path.lexists(policy) else "does not exist")
            raise InputError(f"policy file {str(policy)!r} {what}")
    return load_policy(policy if policy is not None else find_policy_up(root), cat)


def check_path(path: Path, policy: Path | None = None, *, cat: Catalogue | None = None, online: bool = False,
               progress: Callable[[int, int], None] | None = None, max_file_size: int | None = None,
               locked: bool = False, include_comments: bool = False) -> CheckReport:
    """``licencecmp check``, whole: the folder checked, the policy found as the CLI finds it, the scan and
    the judgement. The CLI's command and :func:`licencecmp.api.check` are both this function."""
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.scan.check import run_check

    root = check_root(path)
    cat = cat or default_catalogue()
    pol, source = load_policy_for(root, policy, cat)
    return run_check(root, pol, source, cat=cat, progress=progress, max_file_size=max_file_size, online=online,
                     locked=locked, include_comments=include_comments)


def models_in(root: Path, pol: Policy, source: PolicySource, cat: Catalogue,
              progress: Callable[[int, int], None] | None = None) -> list[ModelUse]:
    """Every model ``root`` uses (for an SBOM); a file that cannot be understood is an :class:`InputError`."""
    from licencecmp.scan.check import collect_models
    from licencecmp.scan.files import relative_path
    from licencecmp.scan.refs import scan

    skip = [relative_path(source.path, root)] if source.path is not None else []
    res = scan(root, cat, max_file_size=pol.max_file_size, exclude=pol.exclude, skip=skip, progress=progress)
    if res.problems:
        p = res.problems[0]
        more = f" (and {len(res.problems) - 1} more)" if len(res.problems) > 1 else ""
        raise InputError(f"{p.path}{f':{p.line}' if p.line else ''}: {p.message}{more}")
    return collect_models(res, pol, source, cat, root)
