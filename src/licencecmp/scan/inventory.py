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
    from licencecmp.scan.check import ModelUse
    from licencecmp.scan.policy import Policy, PolicySource

__all__ = ["check_root", "load_policy_for", "models_in"]


def check_root(path: Path) -> Path:
    """``path`` if it is a folder to scan; :class:`InputError` otherwise."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{str(path)!r} does not exist")
    if not path.is_dir():
        raise InputError(f"{str(path)!r} is not a directory (licencecmp check scans a folder)")
    return path


def load_policy_for(root: Path, policy: Path | None, cat: Catalogue, *,
                    pin_root: bool = False) -> tuple[Policy, PolicySource]:
    """The policy named by ``policy``, else the one found in ``root`` or the folders above it up to
    the repository root (``licencecmp.toml`` or ``[tool.licencecmp]`` in ``pyproject.toml``): the
    nearest, unless one above is pinned (``root = true``) or ``pin_root`` (``--policy-root``, the
    topmost); else the default policy. The policies found and not applied are named in
    ``PolicySource.ignored`` (the report lists them)."""
    from dataclasses import replace

    from licencecmp.scan.policy import PolicyError, choose_policy, find_policies_up, load_policy

    if policy is not None:
        policy = Path(policy)
        if not policy.is_file():
            what = "is a directory" if policy.is_dir() else (
                "is not a regular file (a broken or looping link?)" if os.path.lexists(policy) else "does not exist")
            raise InputError(f"policy file {str(policy)!r} {what}")
        pol, source = load_policy(policy, cat)
        try:
            ignored = tuple(p for p in find_policies_up(root) if p.resolve() != policy.resolve())
        except PolicyError:  # a policy in the tree that cannot be read: not used anyway
            ignored = ()
        return pol, replace(source, ignored=ignored)
    chosen, ignored = choose_policy(root, pin_root=pin_root)
    pol, source = load_policy(chosen, cat)
    return pol, replace(source, ignored=ignored)


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
