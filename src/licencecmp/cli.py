"""The ``licencecmp`` command line (typer). A thin layer: parse, call the library, format, exit.

Exit codes: 0 allowed or conditional; 1 needs-permission, prohibited, unclear or a policy breach;
2 a usage or input error, reported in one line on stderr.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from ._version import __version__
from .errors import LicencecmpError

if TYPE_CHECKING:
    from .engine import Scenario
    from .render.style import Style

__all__ = ["app", "main"]

app = typer.Typer(
    name="licencecmp",
    help=(
        "What the licence of an open-weight AI model lets you do: a verdict, the obligations that come "
        "with it, and the clause it rests on, quoted word for word.\n\n"
        "Answers are a careful reading of the licence texts, not legal advice."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, Enum):
    text = "text"
    json = "json"


# -- shared options ---------------------------------------------------------------------------

LicenceArg = Annotated[
    str,
    typer.Argument(
        metavar="LICENCE",
        help="Licence id (llama-3.1), alias (llama3.1, LicenseRef-...), SPDX expression, or a "
        "Hugging Face model repo id from the registry (meta-llama/Llama-3.1-8B).",
        show_default=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
MauOpt = Annotated[int | None, typer.Option("--mau", min=0, help="Monthly active users of your products.",
                                            show_default=False)]
MonthlyRevOpt = Annotated[float | None, typer.Option("--monthly-revenue", min=0, metavar="USD",
                                                     help="Monthly revenue in USD.", show_default=False)]
AnnualRevOpt = Annotated[float | None, typer.Option("--annual-revenue", min=0, metavar="USD",
                                                    help="Annual revenue in USD.", show_default=False)]
DomicileOpt = Annotated[str | None, typer.Option(
    "--domicile", metavar="CC",
    help="Where you live or have your principal place of business (ISO 3166-1 alpha-2, e.g. DE).",
    show_default=False)]
UsedInOpt = Annotated[list[str] | None, typer.Option(
    "--used-in", metavar="CC",
    help="A country or group (EU, EEA) where the model or its outputs are used or offered; repeat for more.",
    show_default=False)]
RegionOpt = Annotated[str | None, typer.Option(
    "--region", metavar="CC",
    help="Shorthand: based in CC and using the model only there (EU and other groups accepted).",
    show_default=False)]
CommercialOpt = Annotated[bool | None, typer.Option(
    "--commercial/--non-commercial",
    help="Whether the use is for a commercial purpose (not stated unless given; always so for commercial-use).",
    show_default=False)]
ModalityOpt = Annotated[str | None, typer.Option(
    "--modality", metavar="text|multimodal",
    help="The model's modality (taken from the registry for known models).", show_default=False)]


def scenario_from(mau: int | None, monthly_revenue: float | None, annual_revenue: float | None,
                  domicile: str | None, used_in: list[str] | None, region: str | None,
                  modality: str | None, commercial: bool | None = None) -> Scenario:
    from .api import make_scenario

    return make_scenario(mau=mau, monthly_revenue=monthly_revenue, annual_revenue=annual_revenue,
                         domicile=domicile, used_in=_split(used_in), region=region, modality=modality,
                         commercial=commercial)


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [v for item in values for v in item.replace(",", " ").split()]


def out(text: str) -> None:
    sys.stdout.write(text)


def style_for_stdout() -> Style:
    from .render.style import Style, wants_colour

    return Style(wants_colour(sys.stdout))


def _version(value: bool) -> None:
    if value:
        out(f"licencecmp {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Answers are a careful reading of the licence texts, not legal advice."""


# -- commands ---------------------------------------------------------------------------------


@app.command()
def can(
    licence: LicenceArg,
    action: Annotated[str, typer.Argument(
        metavar="ACTION",
        help="use, commercial-use, modify, distribute, distribute-derivative, serve or train-on-outputs.",
        show_default=False)],
    mau: MauOpt = None,
    monthly_revenue: MonthlyRevOpt = None,
    annual_revenue: AnnualRevOpt = None,
    domicile: DomicileOpt = None,
    used_in: UsedInOpt = None,
    region: RegionOpt = None,
    modality: ModalityOpt = None,
    commercial: CommercialOpt = None,
    format: FormatOpt = Format.text,
) -> None:
    """May I do ACTION with LICENCE? Prints the verdict, obligations and quoted clauses.

    Exit 0 for allowed or conditional, 1 for needs-permission, prohibited or unclear.

    Example: licencecmp can llama-3.1 commercial-use --mau 800000000
    """
    from .api import parse_action
    from .expression import decide_name
    from .render.decision import decision_json, decision_text

    act = parse_action(action)
    scenario = scenario_from(mau, monthly_revenue, annual_revenue, domicile, used_in, region, modality, commercial)
    decision = decide_name(licence, act, scenario)
    out(decision_json(decision) if format is Format.json else decision_text(decision, style_for_stdout()))
    raise typer.Exit(0 if decision.verdict.permits else 1)


@app.command()
def show(licence: LicenceArg, format: FormatOpt = Format.text) -> None:
    """Every rule of one licence, with the clause behind it."""
    from .api import catalogue, resolve
    from .render.decision import licence_json, licence_text

    lic = resolve(licence).licence
    out(licence_json(lic) if format is Format.json else licence_text(lic, catalogue(), style_for_stdout()))


@app.command("list")
def list_(format: FormatOpt = Format.text) -> None:
    """The catalogue: id, title, version and kind of every licence."""
    import json

    from .api import catalogue
    from .model import SCHEMA_VERSION
    from .render.decision import catalogue_rows

    rows = catalogue_rows(catalogue())
    if format is Format.json:
        out(json.dumps({"schema_version": SCHEMA_VERSION, "licences": rows}, indent=2) + "\n")
        return
    from tabulate import tabulate

    table = [[r["id"], r["title"], r["version"] or "", r["release_date"] or "", r["kind"],
              f"superseded by {r['superseded_by']}" if r["superseded_by"] else ""] for r in rows]
    out(tabulate(table, headers=["id", "title", "version", "released", "kind", ""], tablefmt="simple") + "\n")


@app.command()
def models(
    licence: Annotated[str | None, typer.Option("--licence", "--license", metavar="ID",
                                                help="Only models under this licence.")] = None,
    format: FormatOpt = Format.text,
) -> None:
    """The model registry: Hugging Face repo ids and the licences that bind them."""
    import json

    from .api import catalogue
    from .model import SCHEMA_VERSION

    cat = catalogue()
    entries = cat.models()
    if licence is not None:
        wanted = cat.get(licence).id
        entries = [m for m in entries if m.licence == wanted]
    rows = []
    for m in entries:
        ups = [lic.id for lic in cat.upstream_licences(m)]
        rows.append({**m.model_dump(mode="json"), "upstream_licences": ups})
    if format is Format.json:
        out(json.dumps({"schema_version": SCHEMA_VERSION, "models": rows}, indent=2) + "\n")
        return
    from tabulate import tabulate

    table = [[r["id"], r["licence"], ", ".join(r["upstream_licences"]), r["modality"]] for r in rows]
    out(tabulate(table, headers=["model", "licence", "also bound by", "modality"]) + "\n")


class SchemaName(str, Enum):
    licence = "licence"
    decision = "decision"
    policy = "policy"


@app.command()
def schema(
    name: Annotated[SchemaName, typer.Argument(help="Which schema.")] = SchemaName.licence,
) -> None:
    """Print the JSON Schema of licence data files (default), decisions, or the policy file."""
    import json

    from .schemas import json_schema

    out(json.dumps(json_schema(name.value), indent=2) + "\n")


# -- entry point ------------------------------------------------------------------------------


def _fail(message: str, code: int = 2) -> NoReturn:
    first = " ".join(str(message).split()) or "error"
    sys.stderr.write(f"licencecmp: error: {first}\n")
    raise SystemExit(code)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns (and exits with) the exit code. Never prints a traceback for bad input."""
    # The CLI has no use for pydantic plugins; skipping their entry-point scan saves start-up time.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    command = typer.main.get_command(app)
    args = sys.argv[1:] if argv is None else argv
    try:
        result = command.main(args=args, prog_name="licencecmp", standalone_mode=False)
    except LicencecmpError as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _fail("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()
        raise SystemExit(1) from None
    except Exception as exc:
        code = getattr(exc, "exit_code", None)
        if hasattr(exc, "format_message") and code is not None:  # click's usage errors
            _fail(exc.format_message(), 2)
        if type(exc).__name__ == "Abort":
            _fail("aborted", 1)
        if os.environ.get("LICENCECMP_DEBUG"):
            raise
        _fail(f"internal error: {type(exc).__name__}: {exc} (set LICENCECMP_DEBUG=1 for a traceback)", 3)
    code = result if isinstance(result, int) else 0
    raise SystemExit(code)


# Commands of other modules register themselves on `app` when imported; each imports its heavy
# dependencies inside the command functions, so registering costs almost nothing at start-up.
from . import cli_check, cli_compare, cli_compat, cli_identify  # noqa: E402,F401
