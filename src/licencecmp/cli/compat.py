"""`licencecmp compat`, `matrix`, `combine` and `openness`."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from licencecmp.cli.app import Format
from licencecmp.cli.options import FormatOpt, LicenceArg, out, style_for_stdout, takes_scenario
from licencecmp.errors import ExitCode
from licencecmp.scenario import Scenario  # read at run time by typing.get_type_hints

if TYPE_CHECKING:
    from licencecmp.data.schema import Licence

__all__ = ["register"]


def _licence(name: str) -> Licence:
    from licencecmp.data.catalogue import default_catalogue

    return default_catalogue().resolve(name).licence


def compat(
    upstream: Annotated[str, typer.Argument(metavar="UPSTREAM", help="Licence of the work you build on.")],
    outbound: Annotated[str, typer.Argument(metavar="OUTBOUND", help="Licence you want to release under.")],
    format: FormatOpt = Format.text,
) -> None:
    """May a derivative of a work under UPSTREAM be released under OUTBOUND alone?

    Exit 0 for compatible or conditional, 1 for incompatible or unclear.
    """
    from licencecmp.reasoning.compatibility import compat as run
    from licencecmp.render.compat import compat_text

    result = run(_licence(upstream), _licence(outbound))
    out(result.model_dump_json(indent=2) + "\n" if format is Format.json else compat_text(result, style_for_stdout()))
    raise typer.Exit(ExitCode.OK if result.verdict.permits else ExitCode.REFUSED)


class MatrixFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    csv = "csv"


def matrix(
    ids: Annotated[list[str] | None, typer.Argument(metavar="[IDS]...",
                                                    help="Licences to include (default: the whole catalogue).")] = None,
    format: Annotated[MatrixFormat, typer.Option("--format", "-f", help="Output format.")] = MatrixFormat.text,
) -> None:
    """The upstream x outbound compatibility table, one cell per pair, with a legend."""
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.reasoning.compatibility import matrix as run
    from licencecmp.render.compat import matrix_csv, matrix_json, matrix_table

    cat = default_catalogue()
    licences = [_licence(i) for i in ids] if ids else [lic for lic in cat if not lic.deprecated]
    results = run(licences, cat)
    if format is MatrixFormat.json:
        out(matrix_json(licences, results))
    elif format is MatrixFormat.csv:
        out(matrix_csv(licences, results))
    else:
        out(matrix_table(licences, results, "github" if format is MatrixFormat.github else "simple"))


@takes_scenario
def combine(
    base: Annotated[list[str] | None, typer.Option(
        "--base", metavar="ID", help="Model or licence fine-tuned from.")] = None,
    teacher: Annotated[list[str] | None, typer.Option(
        "--teacher", metavar="ID", help="Licence whose outputs trained the model (repeatable).")] = None,
    merge: Annotated[list[str] | None, typer.Option(
        "--merge", metavar="ID", help="Weights merged in (repeatable).")] = None,
    data: Annotated[list[str] | None, typer.Option(
        "--data", metavar="ID", help="Licensed training data (repeatable).")] = None,
    scenario: Scenario = None,  # type: ignore[assignment]  # supplied by @takes_scenario
    format: FormatOpt = Format.text,
) -> None:
    """The terms that bind a model built from several: fine-tuned, distilled, merged, trained on data.

    Exit 0 when no action is refused and there is no conflict, 1 otherwise.
    """
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.errors import CombinationError
    from licencecmp.reasoning.combination import combine as run
    from licencecmp.render.compat import combination_text
    from licencecmp.vocab import Verdict

    inputs: list[tuple[str, str]] = []
    upstream_inputs: list[tuple[str, str]] = []
    for role, names in (("base", base), ("teacher", teacher), ("merge", merge), ("data", data)):
        for name in names or []:
            r = default_catalogue().resolve(name)
            inputs.append((role, r.licence.id))
            # A model's upstream licences bind whatever is built from it, in the same role.
            upstream_inputs += [(role, lic.id) for lic in r.upstream]
    if not inputs:
        raise CombinationError("name at least one input: --base, --teacher, --merge or --data")
    result = run(inputs + upstream_inputs, scenario)
    out(result.model_dump_json(indent=2) + "\n" if format is Format.json
        else combination_text(result, style_for_stdout()))
    refused = any(v.severity > Verdict.CONDITIONAL.severity for v in result.verdicts.values())
    raise typer.Exit(ExitCode.REFUSED if refused or result.conflicts else ExitCode.OK)


def openness(licence: LicenceArg, format: FormatOpt = Format.text) -> None:
    """Is LICENCE an open-source licence? Each failing Open Source Definition criterion, with its clause.

    Exit 0 when it is open source, 1 when not.
    """
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.reasoning.openness import openness as run
    from licencecmp.render.compat import openness_text

    r = default_catalogue().resolve(licence)
    training = (r.model.training_data if r.model and r.model.training_data else "unknown")
    report = run(r.licence, training_data=training)
    out(report.model_dump_json(indent=2) + "\n" if format is Format.json
        else openness_text(report, style_for_stdout()))
    raise typer.Exit(ExitCode.OK if report.open_source else ExitCode.REFUSED)


def register(app: typer.Typer) -> None:
    app.command()(compat)
    app.command()(matrix)
    app.command()(combine)
    app.command()(openness)
