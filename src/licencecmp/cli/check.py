"""`licencecmp check`, `licencecmp policy init` and `licencecmp sbom`.

Heavy modules (spdx-tools, yaml, pathspec) are imported inside the commands.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from licencecmp.cli.options import out, style_for_stdout
from licencecmp.cli.output import Progress, atomic_write, is_stdout
from licencecmp.errors import InputError

if TYPE_CHECKING:
    from licencecmp.data.catalogue import Catalogue
    from licencecmp.scan.policy import Policy, PolicySource

__all__ = ["register"]

MAX_LINE = 500


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    junit = "junit"
    github = "github"
    markdown = "markdown"


class SbomFormat(str, Enum):
    spdx_json = "spdx-json"
    spdx_yaml = "spdx-yaml"
    spdx_tv = "spdx-tv"


PathArg = Annotated[Path, typer.Argument(metavar="PATH", help="The repository or folder to scan.",
                                         show_default=True)]
PolicyOpt = Annotated[Path | None, typer.Option(
    "--policy", metavar="FILE",
    help="Policy file: licencecmp.toml, or a pyproject.toml with [tool.licencecmp] (default: found in PATH).",
    show_default=False)]
OutputOpt = Annotated[Path | None, typer.Option(
    "--output", "-o", metavar="FILE", help="Write the report to FILE (atomically) instead of stdout.",
    show_default=False)]


def _root(path: Path) -> Path:
    if not path.exists():
        raise InputError(f"{str(path)!r} does not exist")
    if not path.is_dir():
        raise InputError(f"{str(path)!r} is not a directory (licencecmp check scans a folder)")
    return path


def _load(root: Path, policy: Path | None, cat: Catalogue) -> tuple[Policy, PolicySource]:
    from licencecmp.scan.policy import find_policy, load_policy

    if policy is not None and not policy.is_file():
        what = "is a directory" if policy.is_dir() else (
            "is not a regular file (a broken or looping link?)" if os.path.lexists(policy) else "does not exist")
        raise InputError(f"policy file {str(policy)!r} {what}")
    return load_policy(policy if policy is not None else find_policy(root), cat)


def check(
    path: PathArg = Path("."),
    policy: PolicyOpt = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Report format.")] = CheckFormat.text,
    output: OutputOpt = None,
    explain: Annotated[bool, typer.Option("--explain", help="Quote the clause behind each verdict.")] = False,
    obligations_only: Annotated[bool, typer.Option(
        "--obligations-only", help="Print only what the project must do (a release checklist): "
        "text, markdown or json.")] = False,
    max_file_size: Annotated[int | None, typer.Option(
        "--max-file-size", min=1, metavar="BYTES", help="Skip (and report) larger files (default: policy's, "
        "or 5 MiB).", show_default=False)] = None,
    progress: Annotated[bool, typer.Option("--progress/--no-progress",
                                           help="Progress on stderr (only shown on a terminal).")] = True,
) -> None:
    """Check the models PATH uses against the policy: the CI gate.

    Finds models in code and configuration (Hugging Face repo ids known to the registry), model
    cards (README.md front matter), SBOMs (SPDX 2.3, CycloneDX) and the policy's own list; decides
    every action the policy names; applies allow/deny lists and waivers.

    Exit 0 all fine (obligations may exist), 1 at least one violation, 2 usage or input error.
    """
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.render import report as r
    from licencecmp.render.style import PLAIN
    from licencecmp.scan.check import run_check

    root = _root(path)
    cat = default_catalogue()
    pol, source = _load(root, policy, cat)
    report = run_check(root, pol, source, cat=cat, progress=Progress() if progress else None,
                       max_file_size=max_file_size)
    style = style_for_stdout() if is_stdout(output) else None
    if obligations_only:
        if format not in (CheckFormat.text, CheckFormat.markdown, CheckFormat.json):
            raise InputError(f"--obligations-only prints text, markdown or json, not {format.value}")
        text = {CheckFormat.text: lambda: r.obligations_text(report, style or PLAIN),
                CheckFormat.markdown: lambda: r.obligations_markdown(report),
                CheckFormat.json: lambda: r.obligations_json(report)}[format]()
    else:
        text = r.render_report(report, format.value, style or PLAIN, explain=explain)
    if output is None or is_stdout(output):
        out(text)
    else:
        atomic_write(output, text)
        out(r.result_line(report, PLAIN) + f"; {format.value} report written to {output}\n")
    from licencecmp.render.escape import text as safe

    for f in report.findings if not report.errors else ():  # (exit 2 prints its one error line only)
        if f.rule == "incomplete-scan":  # loud: the scan may have missed files
            sys.stderr.write(f"licencecmp: {f.level}: {safe(' '.join(f.message.split()))}\n")
    if report.errors:
        first = report.errors[0]
        more = f" (and {len(report.errors) - 1} more)" if len(report.errors) > 1 else ""
        sys.stderr.write(f"licencecmp: error: {safe(first.path)}{f':{first.line}' if first.line else ''}: "
                         f"{safe(' '.join(first.message.split()))[:MAX_LINE]}{more}\n")
    raise typer.Exit(report.exit_code)


def policy_init(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write it ('-' for stdout).")] = Path(
        "licencecmp.toml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    pyproject: Annotated[bool, typer.Option(
        "--pyproject", help="Print a [tool.licencecmp] table for pyproject.toml to stdout instead.")] = False,
) -> None:
    """Write a commented starter policy (licencecmp.toml)."""
    from licencecmp.scan.policy import starter_policy

    text = starter_policy(pyproject=pyproject)
    if pyproject or str(file) == "-":
        out(text)
        return
    if file.exists() and not force:
        raise InputError(f"{str(file)!r} already exists; use --force to overwrite it")
    atomic_write(file, text)
    out(f"wrote {file}: edit the facts and actions, then run `licencecmp check`\n")


def sbom(
    path: PathArg = Path("."),
    format: Annotated[SbomFormat, typer.Option("--format", "-f", help="SBOM format.")] = SbomFormat.spdx_json,
    output: OutputOpt = None,
    policy: PolicyOpt = None,
) -> None:
    """An SPDX 2.3 document of the models PATH uses, each a package with its declared licence."""
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.render.spdx import spdx_document, write_spdx
    from licencecmp.scan.check import collect_models
    from licencecmp.scan.files import relative_path
    from licencecmp.scan.refs import scan

    root = _root(path)
    cat = default_catalogue()
    pol, source = _load(root, policy, cat)
    skip = []
    if source.path is not None:
        skip.append(relative_path(source.path, root))
    res = scan(root, cat, max_file_size=pol.max_file_size, exclude=pol.exclude, skip=skip, progress=Progress())
    if res.problems:
        p = res.problems[0]
        more = f" (and {len(res.problems) - 1} more)" if len(res.problems) > 1 else ""
        raise InputError(f"{p.path}{f':{p.line}' if p.line else ''}: {p.message}{more}")
    uses = collect_models(res, pol, source, cat, root)
    name = root.resolve().name or "repository"
    text = write_spdx(spdx_document(uses, cat, name=f"{name} models"), format.value)
    if output is None or is_stdout(output):
        out(text)
    else:
        atomic_write(output, text)
        out(f"wrote {output}: {len(uses)} model(s)\n")



def register(app: typer.Typer) -> None:
    """Add `check`, `sbom` and the `policy` group to the app."""
    app.command()(check)
    app.command()(sbom)
    policy_app = typer.Typer(name="policy", help="The policy file that `licencecmp check` enforces.",
                             no_args_is_help=True, add_completion=False, rich_markup_mode=None)
    policy_app.command("init")(policy_init)
    app.add_typer(policy_app, name="policy")
