"""`licencecmp compat`, `matrix`, `combine` and `openness`."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated

import typer

from .cli import (
    AnnualRevOpt,
    CommercialOpt,
    DomicileOpt,
    Format,
    FormatOpt,
    LicenceArg,
    MauOpt,
    ModalityOpt,
    MonthlyRevOpt,
    RegionOpt,
    UsedInOpt,
    app,
    out,
    scenario_from,
    style_for_stdout,
)


def _licence(name: str):  # type: ignore[no-untyped-def]
    from .api import resolve

    return resolve(name).licence


@app.command()
def compat(
    upstream: Annotated[str, typer.Argument(metavar="UPSTREAM", help="Licence of the work you build on.")],
    outbound: Annotated[str, typer.Argument(metavar="OUTBOUND", help="Licence you want to release under.")],
    format: FormatOpt = Format.text,
) -> None:
    """May a derivative of a work under UPSTREAM be released under OUTBOUND alone?

    Exit 0 for compatible or conditional, 1 for incompatible or unclear.
    """
    from .compat import compat as run
    from .render.compat import compat_text

    result = run(_licence(upstream), _licence(outbound))
    out(result.model_dump_json(indent=2) + "\n" if format is Format.json else compat_text(result, style_for_stdout()))
    raise typer.Exit(0 if result.verdict.permits else 1)


class MatrixFormat(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    csv = "csv"


@app.command()
def matrix(
    ids: Annotated[list[str] | None, typer.Argument(metavar="[IDS]...",
                                                    help="Licences to include (default: the whole catalogue).")] = None,
    format: Annotated[MatrixFormat, typer.Option("--format", "-f", help="Output format.")] = MatrixFormat.text,
) -> None:
    """The upstream x outbound compatibility table, one cell per pair, with a legend."""
    from .api import catalogue
    from .compat import matrix as run
    from .render.compat import matrix_csv, matrix_table

    cat = catalogue()
    licences = [_licence(i) for i in ids] if ids else [lic for lic in cat if not lic.deprecated]
    results = run(licences, cat)
    if format is MatrixFormat.json:
        data = {"schema_version": results[0].schema_version if results else "1",
                "licences": [lic.id for lic in licences],
                "cells": [{"upstream": r.upstream, "outbound": r.outbound, "verdict": r.verdict.value,
                           "reasons": [x.model_dump(mode="json") for x in r.reasons]} for r in results]}
        out(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    elif format is MatrixFormat.csv:
        out(matrix_csv(licences, results))
    else:
        out(matrix_table(licences, results, "github" if format is MatrixFormat.github else "simple"))


@app.command()
def combine(
    base: Annotated[list[str] | None, typer.Option(
        "--base", metavar="ID", help="Model or licence fine-tuned from.")] = None,
    teacher: Annotated[list[str] | None, typer.Option(
        "--teacher", metavar="ID", help="Licence whose outputs trained the model (repeatable).")] = None,
    merge: Annotated[list[str] | None, typer.Option(
        "--merge", metavar="ID", help="Weights merged in (repeatable).")] = None,
    data: Annotated[list[str] | None, typer.Option(
        "--data", metavar="ID", help="Licensed training data (repeatable).")] = None,
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
    """The terms that bind a model built from several: fine-tuned, distilled, merged, trained on data.

    Exit 0 when no action is refused and there is no conflict, 1 otherwise.
    """
    from .api import resolve
    from .combine import combine as run
    from .errors import ScenarioError
    from .render.compat import combination_text
    from .vocab import Verdict

    inputs: list[tuple[str, str]] = []
    upstream_inputs: list[tuple[str, str]] = []
    for role, names in (("base", base), ("teacher", teacher), ("merge", merge), ("data", data)):
        for name in names or []:
            r = resolve(name)
            inputs.append((role, r.licence.id))
            # A model's upstream licences bind whatever is built from it, in the same role.
            upstream_inputs += [(role, lic.id) for lic in r.upstream]
    if not inputs:
        raise ScenarioError("name at least one input: --base, --teacher, --merge or --data")
    scenario = scenario_from(mau, monthly_revenue, annual_revenue, domicile, used_in, region, modality, commercial)
    result = run(inputs + upstream_inputs, scenario)
    out(result.model_dump_json(indent=2) + "\n" if format is Format.json
        else combination_text(result, style_for_stdout()))
    refused = any(v.severity > Verdict.CONDITIONAL.severity for v in result.verdicts.values())
    raise typer.Exit(1 if refused or result.conflicts else 0)


@app.command()
def openness(licence: LicenceArg, format: FormatOpt = Format.text) -> None:
    """Is LICENCE an open-source licence? Each failing Open Source Definition criterion, with its clause.

    Exit 0 when it is open source, 1 when not.
    """
    from .api import resolve
    from .openness import openness as run
    from .render.compat import openness_text

    r = resolve(licence)
    training = (r.model.training_data if r.model and r.model.training_data else "unknown")
    report = run(r.licence, training_data=training)
    out(report.model_dump_json(indent=2) + "\n" if format is Format.json
        else openness_text(report, style_for_stdout()))
    raise typer.Exit(0 if report.open_source else 1)
