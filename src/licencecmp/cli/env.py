"""`licencecmp env`: what a bug report needs, in one block to paste."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from licencecmp.cli.options import FormatOpt, out
from licencecmp.cli.root import Format

__all__ = ["environment", "register"]

PACKAGES = ("pydantic", "typer", "click", "tabulate", "huggingface_hub", "spdx-tools", "spdx-python-model",
            "cyclonedx-python-lib", "license-expression", "pyyaml", "mcp")
"""The dependencies whose versions a report names (those not installed are said to be missing)."""

_TRUE = ("1", "true", "yes", "on")


def _version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _online(policy_online: bool) -> tuple[bool, str]:
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in _TRUE:
        return False, "HF_HUB_OFFLINE is set: the Hub is never asked, even with --online"
    if os.environ.get("LICENCECMP_ONLINE", "").strip().lower() in _TRUE:
        return True, "LICENCECMP_ONLINE is set: models no local source knows are looked up on the Hub"
    if policy_online:
        return True, "the policy says online = true: `licencecmp check` looks models up on the Hub"
    return False, "the default: nothing leaves the machine unless a command is run with --online"


def environment(path: Path) -> dict[str, Any]:
    """Versions, the catalogue in use, the Hugging Face cache, online or offline and why, and the
    policy file found from ``path`` (each problem reported as a value, never raised)."""
    import hashlib
    import platform

    from licencecmp._version import __version__
    from licencecmp.data.catalogue import DATA_ENV, compiled_path, default_catalogue
    from licencecmp.errors import LicencecmpError
    from licencecmp.scan.hfcache import hub_cache_dir

    report: dict[str, Any] = {
        "licencecmp": __version__,
        "python": f"{platform.python_version()} ({sys.executable})",
        "platform": platform.platform(),
        "packages": {name: _version(name) for name in PACKAGES},
    }
    source = os.environ.get(DATA_ENV)
    catalogue: dict[str, Any] = {"source": f"{DATA_ENV}={source}" if source else str(compiled_path())}
    try:
        cat = default_catalogue()
        catalogue.update(licences=len(cat.ids()), models=len(cat.models()), families=len(cat.families()),
                         known_not_encoded=len(cat.unavailable))
        if not source:
            data = compiled_path().read_bytes()
            catalogue["sha256"] = hashlib.sha256(data).hexdigest()[:16]
    except (LicencecmpError, OSError) as exc:
        catalogue["error"] = str(exc)
    report["catalogue"] = catalogue
    cache = hub_cache_dir()
    models = sorted(p.name for p in cache.glob("models--*")) if cache.is_dir() else []
    report["hf_cache"] = {"path": str(cache), "exists": cache.is_dir(), "models": len(models)}
    policy: dict[str, Any] = {"path": None}
    policy_online = False
    try:
        from licencecmp.scan.policy import find_policy_up, load_policy

        found = find_policy_up(path)
        if found is not None:
            policy["path"] = str(found)
            policy_online = load_policy(found)[0].online
    except LicencecmpError as exc:
        policy["error"] = str(exc)
    report["policy"] = policy
    online, why = _online(policy_online)
    report["online"] = {"online": online, "why": why,
                        "endpoint": os.environ.get("HF_ENDPOINT") or "https://huggingface.co"}
    return report


def _text(report: dict[str, Any]) -> str:
    lines = [f"licencecmp {report['licencecmp']}", f"python     {report['python']}",
             f"platform   {report['platform']}", "packages"]
    lines += [f"  {name:<22} {v or 'not installed'}" for name, v in report["packages"].items()]
    cat = report["catalogue"]
    lines.append("catalogue")
    lines += [f"  {k:<22} {v}" for k, v in cat.items()]
    hf = report["hf_cache"]
    lines.append("hugging face cache")
    lines.append(f"  {hf['path']} ({'found, ' + str(hf['models']) + ' model(s)' if hf['exists'] else 'not found'})")
    on = report["online"]
    lines.append(f"online     {'yes' if on['online'] else 'no'}: {on['why']} (endpoint {on['endpoint']})")
    pol = report["policy"]
    lines.append(f"policy     {pol.get('path') or 'none found (the default policy applies)'}")
    if "error" in pol:
        lines.append(f"  error: {pol['error']}")
    from licencecmp.render.escape import scrub

    return "\n".join(scrub(line) for line in lines) + "\n"


def env(
    path: Annotated[Path, typer.Argument(help="The project whose policy file is looked for.")] = Path("."),
    format: FormatOpt = Format.text,
) -> None:
    """What a bug report needs: the versions of licencecmp, Python and its dependencies, the
    catalogue in use (source, counts, checksum), the Hugging Face cache found, whether models are
    looked up online and why, and the policy file found from PATH.

    Example: licencecmp env --format json
    """
    import json

    report = environment(path)
    out(json.dumps({"schema_version": "1", **report}, indent=2) + "\n" if format is Format.json else _text(report))


def register(app: typer.Typer) -> None:
    app.command()(env)
