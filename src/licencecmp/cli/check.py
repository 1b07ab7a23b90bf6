"""`licencecmp check`, `licencecmp policy init` and `licencecmp sbom`.

Heavy modules (spdx-tools, yaml, pathspec) are imported inside the commands.
"""

from __future__ import annotations

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
    brief = "brief"


class SbomFormat(str, Enum):
    spdx_json = "spdx-json"
    spdx_yaml = "spdx-yaml"
    spdx_tv = "spdx-tv"
    cyclonedx_json = "cyclonedx-json"
    cyclonedx_xml = "cyclonedx-xml"
    spdx3_json = "spdx3-json"


class CdxVersion(str, Enum):
    v1_6 = "1.6"
    v1_7 = "1.7"


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
    from licencecmp.scan.inventory import check_root

    return check_root(path)


def _load(root: Path, policy: Path | None, cat: Catalogue) -> tuple[Policy, PolicySource]:
    from licencecmp.scan.inventory import load_policy_for

    return load_policy_for(root, policy, cat)


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
    online: Annotated[bool, typer.Option(
        "--online", help="Ask the Hugging Face Hub about models no local source resolves (also "
        "LICENCECMP_ONLINE=1 or online = true in the policy; HF_HUB_OFFLINE=1 wins).")] = False,
    locked: Annotated[bool, typer.Option(
        "--locked", help="Fail (lock-stale) when licencecmp.lock does not list exactly the models used.")] = False,
    include_comments: Annotated[bool, typer.Option(
        "--include-comments", help="List models named in comments (never judged).")] = False,
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
                       max_file_size=max_file_size, online=online, locked=locked,
                       include_comments=include_comments)
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
    spec_version: Annotated[CdxVersion, typer.Option(
        "--spec-version", help="CycloneDX version (cyclonedx-json and cyclonedx-xml).")] = CdxVersion.v1_6,
) -> None:
    """An SBOM of the models PATH uses: SPDX 2.3 (one package per model with its declared licence),
    SPDX 3.0.1 with the AI profile (spdx3-json: one ai_AIPackage per model, licence and lineage
    relationships) or a CycloneDX ML-BOM (machine-learning-model components with purl, licences, upstream models
    as pedigree ancestors, model card and obligations)."""
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.scan.inventory import models_in

    root = _root(path)
    cat = default_catalogue()
    pol, source = _load(root, policy, cat)
    uses = models_in(root, pol, source, cat, progress=Progress())
    name = f"{root.resolve().name or 'repository'} models"
    if format.value.startswith("cyclonedx"):
        from licencecmp.render.cyclonedx import cyclonedx_bom, write_cyclonedx

        text = write_cyclonedx(cyclonedx_bom(uses, cat, name=name, spec=spec_version.value), format.value)
    elif format is SbomFormat.spdx3_json:
        from licencecmp.render.spdx3 import spdx3_document, write_spdx3

        text = write_spdx3(spdx3_document(uses, cat, name=name))
    else:
        from licencecmp.render.spdx import spdx_document, write_spdx

        text = write_spdx(spdx_document(uses, cat, name=name), format.value)
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
