"""`licencecmp compat`, `matrix`, `combine` and `openness`."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from licencecmp.cli.options import FormatOpt, LicenceArg, OnlineOpt, out, style_for_stdout, takes_scenario
from licencecmp.cli.root import Format
from licencecmp.errors import ExitCode
from licencecmp.scenario import Scenario  # read at run time by typing.get_type_hints

if TYPE_CHECKING:
    from licencecmp.reasoning.lookup import Binding

__all__ = ["register"]


def _binding(name: str, online: bool) -> Binding:
    from licencecmp.cli.fast import bind_name

    return bind_name(name, online)


def compat(
    upstream: Annotated[str, typer.Argument(
        metavar="UPSTREAM", help="Licence (id, alias, SPDX expression) or registry model id of the work you build "
        "on; a model's upstream licences travel with it.")],
    outbound: Annotated[str, typer.Argument(
        metavar="OUTBOUND", help="Licence (or model whose terms) you want to release under.")],
    format: FormatOpt = Format.text,
    online: OnlineOpt = False,
) -> None:
    """May a derivative of a work under UPSTREAM be released under OUTBOUND alone?

    Exit 0 for compatible or conditional, 1 for incompatible or unclear.
    """
    from licencecmp.cli.fast import compat_answer

    text, code = compat_answer(upstream, outbound, format is Format.json, online)
    out(text)
    raise typer.Exit(code)


class MatrixFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    csv = "csv"


def matrix(
    ids: Annotated[list[str] | None, typer.Argument(
        metavar="[IDS]...", help="Licences, aliases, SPDX expressions or registry model ids to include (default: "
        "the whole catalogue).")] = None,
    format: Annotated[MatrixFormat, typer.Option("--format", "-f", help="Output format.")] = MatrixFormat.text,
    online: OnlineOpt = False,
) -> None:
    """The upstream x outbound compatibility table, one cell per pair, with a legend."""
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.reasoning.compatibility import matrix, matrix_bindings
    from licencecmp.render.compat import matrix_csv, matrix_json, matrix_table

    cat = default_catalogue()
    licences: list[Any]
    if ids:
        bindings = [_binding(i, online) for i in ids]
        licences = [b.label for b in bindings]
        results = matrix_bindings(bindings, cat)
    else:
        licences = [lic for lic in cat if not lic.deprecated]
        results = matrix(licences, cat)
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
    online: OnlineOpt = False,
) -> None:
    """The terms that bind a model built from several: fine-tuned, distilled, merged, trained on data.

    Exit 0 when no action is refused and there is no conflict, 1 otherwise.
    """
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.errors import CombinationError
    from licencecmp.reasoning.combination import combine as run
    from licencecmp.reasoning.combination import resolve_inputs
    from licencecmp.render.compat import combination_text
    from licencecmp.vocab import Verdict

    named = [(role, name) for role, names in (("base", base), ("teacher", teacher), ("merge", merge),
                                              ("data", data)) for name in names or []]
    if not named:
        raise CombinationError("name at least one input: --base, --teacher, --merge or --data")
    from licencecmp.reasoning.lookup import provenances

    bound = [(role, _binding(name, online)) for role, name in named]
    inputs, scenario = resolve_inputs(bound, scenario, default_catalogue())
    result = run(inputs, scenario).model_copy(update={"resolved": provenances(*(b for _, b in bound))})
    out(result.model_dump_json(indent=2) + "\n" if format is Format.json
        else combination_text(result, style_for_stdout()))
    refused = any(v.severity > Verdict.CONDITIONAL.severity for v in result.verdicts.values())
    raise typer.Exit(ExitCode.REFUSED if refused or result.conflicts else ExitCode.OK)


def openness(licence: LicenceArg, format: FormatOpt = Format.text, online: OnlineOpt = False) -> None:
    """Is LICENCE an open-source licence? Each failing Open Source Definition criterion, with its clause.

    Exit 0 when it is open source, 1 when not.
    """
    from licencecmp.reasoning.openness import openness_of
    from licencecmp.render.compat import openness_text

    report = openness_of(_binding(licence, online))
    out(report.model_dump_json(indent=2) + "\n" if format is Format.json
        else openness_text(report, style_for_stdout()))
    raise typer.Exit(ExitCode.OK if report.open_source else ExitCode.REFUSED)


def register(app: typer.Typer) -> None:
    app.command()(compat)
    app.command()(matrix)
    app.command()(combine)
    app.command()(openness)
