"""`licencecmp can`, `show`, `list`, `models` and `schema`: questions about one licence and the catalogue."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from licencecmp.cli.options import FormatOpt, LicenceArg, OnlineOpt, out, takes_scenario
from licencecmp.cli.root import Format
from licencecmp.scenario import Scenario  # read at run time by typing.get_type_hints

__all__ = ["register"]


@takes_scenario
def can(
    licence: LicenceArg,
    action: Annotated[str, typer.Argument(
        metavar="ACTION",
        help="use, commercial-use, modify, distribute, distribute-derivative, serve or train-on-outputs.",
        show_default=False)],
    scenario: Scenario,
    format: FormatOpt = Format.text,
    online: OnlineOpt = False,
) -> None:
    """May I do ACTION with LICENCE? Prints the verdict, obligations and quoted clauses.

    Exit 0 for allowed or conditional, 1 for needs-permission, prohibited or unclear.

    Example: licencecmp can llama-3.1 commercial-use --mau 800000000
    """
    from licencecmp.cli.fast import can_answer

    text, code = can_answer(licence, action, scenario, format is Format.json, online)
    out(text)
    raise typer.Exit(code)


def show(licence: LicenceArg, format: FormatOpt = Format.text, online: OnlineOpt = False) -> None:
    """Every rule of one licence, with the clause behind it; for a model or an expression, every
    licence that binds it (a model's upstream licences too)."""
    from licencecmp.cli.fast import show_answer

    out(show_answer(licence, format is Format.json, online)[0])


def list_(format: FormatOpt = Format.text) -> None:
    """The catalogue: id, title, version and kind of every licence."""
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.render.catalogue import catalogue_json, catalogue_text

    cat = default_catalogue()
    out(catalogue_json(cat) if format is Format.json else catalogue_text(cat))


def models(
    licence: Annotated[str | None, typer.Option("--licence", "--license", metavar="ID",
                                                help="Only models under this licence.")] = None,
    format: FormatOpt = Format.text,
) -> None:
    """The model registry: Hugging Face repo ids and the licences that bind them, and the family
    rules (a maker's statement of the licence of a family of its models)."""
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.render.catalogue import models_json, models_text

    cat = default_catalogue()
    entries = cat.models()
    rules = cat.families()
    if licence is not None:
        wanted = cat.get(licence).id
        entries = [m for m in entries if m.licence == wanted]
        rules = [r for r in rules if r.licence == wanted]
    out(models_json(entries, cat, rules) if format is Format.json else models_text(entries, cat, rules))


class SchemaName(str, Enum):
    licence = "licence"
    decision = "decision"
    policy = "policy"


def schema(
    name: Annotated[SchemaName, typer.Argument(help="Which schema.")] = SchemaName.licence,
) -> None:
    """Print the JSON Schema of licence data files (default), decisions, or the policy file."""
    import json

    from licencecmp.schemas import json_schema

    out(json.dumps(json_schema(name.value), indent=2) + "\n")


def register(app: typer.Typer) -> None:
    app.command()(can)
    app.command()(show)
    app.command("list")(list_)
    app.command()(models)
    app.command()(schema)
