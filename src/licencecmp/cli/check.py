"""`licencecmp check`, `licencecmp policy init` and `licencecmp sbom`.

Heavy modules (spdx-tools, yaml, the scanner) are imported inside the commands.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from licencecmp.cli.options import out, style_for_stdout
from licencecmp.cli.output import Progress, atomic_write, batched_text, is_stdout
from licencecmp.errors import InputError
from licencecmp.render.formats import CHECKLIST_FORMATS, REPORT_FORMATS

if TYPE_CHECKING:
    from licencecmp.data.catalogue import Catalogue
    from licencecmp.scan.policy import Policy, PolicySource

__all__ = ["register"]

MAX_LINE = 500


if TYPE_CHECKING:
    CheckFormat = str
else:  # the choices of --format: the list of report formats (render/formats.py)
    CheckFormat = Enum("CheckFormat", {f.name: f.name for f in REPORT_FORMATS}, type=str)


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


def _progress() -> Progress | None:
    """The progress counter, where it is shown (a terminal): counting the files for it costs a walk of
    the tree, which a run in CI (no terminal) does not pay."""
    shown = Progress()
    return shown if shown.enabled else None


def _warn(message: str) -> None:
    from licencecmp.render.escape import text as safe_text

    sys.stderr.write(f"licencecmp: warning: {safe_text(message)}\n")


def _root(path: Path) -> Path:
    from licencecmp.scan.inventory import check_root

    return check_root(path)


def _load(root: Path, policy: Path | None, cat: Catalogue, *, pin_root: bool = False) -> tuple[Policy, PolicySource]:
    from licencecmp.scan.inventory import load_policy_for

    return load_policy_for(root, policy, cat, pin_root=pin_root)


def check(
    path: PathArg = Path("."),
    policy: PolicyOpt = None,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Report format.")] = "text",
    output: OutputOpt = None,
    explain: Annotated[bool, typer.Option("--explain", help="Quote the clause behind each verdict.")] = False,
    obligations_only: Annotated[bool, typer.Option(
        "--obligations-only", help="Print only what the project must do (a release checklist): "
        + ", ".join(CHECKLIST_FORMATS) + ".")] = False,
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
    verbose: Annotated[bool, typer.Option(
        "--verbose", "-v", help="Text report: the detail of every model, however many (a large report "
        "otherwise shows the overview and one line per failure).")] = False,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", metavar="FILE", help="Findings this baseline lists are known: reported and counted, not "
        "failing (default: the policy's `baseline`, else licencecmp-baseline.toml at the repository root if "
        "present; write it with `licencecmp baseline`).", show_default=False)] = None,
    no_baseline: Annotated[bool, typer.Option(
        "--no-baseline", help="Apply no baseline, even one the policy names or the repository holds.")] = False,
    since: Annotated[str | None, typer.Option(
        "--since", metavar="REV", help="Judge only models referenced on lines added or changed since this git "
        "revision (its merge base with HEAD), e.g. origin/main in a pull request.", show_default=False)] = None,
    policy_root: Annotated[bool, typer.Option(
        "--policy-root", help="Apply the topmost policy found up to the repository root, not the nearest "
        "(a package's own [tool.licencecmp] cannot replace the root policy).")] = False,
) -> None:
    """Check the models PATH uses against the policy: the CI gate.

    Finds models by the shape of their references: Hugging Face repo ids in code and configuration
    (from_pretrained, pipeline, model= keys, hf_hub_download, vllm serve, ...), whether or not the
    registry knows them, model cards (README.md front matter), SBOMs (SPDX 2.3, CycloneDX) and the
    policy's own list; resolves each licence (registry, policy, lock, card, local cache, the Hub with
    --online); decides every action the policy names; applies allow/deny lists, waivers and the
    baseline. The text report opens with an overview: counts, top causes, failures by kind.

    Exit 0 all fine (obligations may exist), 1 at least one violation, 2 usage or input error.
    """
    from licencecmp.render import report as r
    from licencecmp.render.style import PLAIN
    from licencecmp.scan.inventory import check_path

    report = check_path(path, policy, progress=_progress() if progress else None, max_file_size=max_file_size,
                        online=online, locked=locked, include_comments=include_comments, baseline=baseline,
                        use_baseline=not no_baseline, since=since,
                        warn=_warn, pin_root=policy_root)
    style = style_for_stdout() if is_stdout(output) else None
    format = str(getattr(format, "value", format))  # the choice's name
    if obligations_only and format not in CHECKLIST_FORMATS:
        raise InputError(f"--obligations-only prints {', '.join(CHECKLIST_FORMATS)}, not {format}")
    # In pieces: a large JSON report is written as it is encoded, never held whole (issue 26).
    text = r.render_report_parts(report, format, style or PLAIN, explain=explain,
                                 obligations_only=obligations_only, verbose=verbose)
    if output is None or is_stdout(output):
        for piece in batched_text(text):
            out(piece)
    else:
        atomic_write(output, text)
        out(r.result_line(report, PLAIN) + f"; {format} report written to {output}\n")
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
    from_scan: Annotated[bool, typer.Option(
        "--from-scan", help="Propose a policy from a scan of FILE's folder: excludes for tests/, examples/, "
        "docs/, fixtures/ (with what each removes), the models to decide on, commented waivers with an "
        "expiry date. Printed only, unless --write.")] = False,
    write: Annotated[bool, typer.Option("--write", help="With --from-scan: write FILE.")] = False,
    online: Annotated[bool, typer.Option("--online", help="With --from-scan: ask the Hub, as check "
                                                          "--online.")] = False,
) -> None:
    """Write a commented starter policy (licencecmp.toml), or propose one from a scan (--from-scan)."""
    from licencecmp.scan.policy import starter_policy

    if from_scan:
        _propose(file, force=force, write=write, online=online)
        return
    if write:
        raise InputError("--write goes with --from-scan (without it, `policy init` writes FILE)")

    text = starter_policy(pyproject=pyproject)
    if pyproject or str(file) == "-":
        out(text)
        return
    if file.exists() and not force:
        raise InputError(f"{str(file)!r} already exists; use --force to overwrite it")
    atomic_write(file, text)
    out(f"wrote {file}: edit the facts and actions, then run `licencecmp check`\n")


def _propose(file: Path, *, force: bool, write: bool, online: bool) -> None:
    import datetime as dt

    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.scan.check import run_check
    from licencecmp.scan.proposal import proposal_text, propose_policy

    stdout = str(file) == "-"
    root = _root(Path(".") if stdout else (file.parent if str(file.parent) else Path(".")))
    cat = default_catalogue()
    pol, source = _load(root, None, cat)  # the facts and actions the repository states already, if any
    report = run_check(root, pol, source, cat=cat, online=online, progress=_progress())
    proposal = propose_policy(report, dt.date.today())
    text = proposal_text(report, proposal)
    if not write or stdout:
        out(text)
        if not stdout:
            sys.stderr.write(f"licencecmp: nothing written: add --write to write {file}\n")
        return
    if file.exists() and not force:
        raise InputError(f"{str(file)!r} already exists; use --force to overwrite it")
    atomic_write(file, text)
    out(f"wrote {file}: {len(proposal.excludes)} exclude(s), {len(proposal.decide)} model(s) to decide on\n")


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
    uses = models_in(root, pol, source, cat, progress=_progress())
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
