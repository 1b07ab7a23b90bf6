"""What commands share: the licence argument, the output format, the scenario options (declared
once, added to a command by :func:`takes_scenario`), and writing to stdout."""

from __future__ import annotations

import functools
import inspect
import sys
import typing
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from licencecmp.cli.fast import scenario_from_options, split_list
from licencecmp.cli.root import Format

if TYPE_CHECKING:
    from licencecmp.render.style import Style

__all__ = ["FormatOpt", "LicenceArg", "OnlineOpt", "out", "split_list", "style_for_stdout", "takes_scenario"]

LicenceArg = Annotated[
    str,
    typer.Argument(
        metavar="LICENCE",
        help="Licence id (llama-3.1), alias (llama3.1, LicenseRef-...), SPDX expression, or a "
        "Hugging Face model repo id (meta-llama/Llama-3.1-8B; one the registry does not know is resolved "
        "through the chain: lock, local Hugging Face cache, re-upload of a known model, the Hub with --online).",
        show_default=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OnlineOpt = Annotated[bool, typer.Option(
    "--online", help="Ask the Hugging Face Hub about models no local source knows (also LICENCECMP_ONLINE=1; "
    "HF_HUB_OFFLINE=1 wins).")]

# The scenario options, each declared once: (parameter name, annotation). `takes_scenario` adds
# them to a command and hands the command one checked Scenario.
SCENARIO_OPTIONS: tuple[tuple[str, Any], ...] = (
    ("mau", Annotated[int | None, typer.Option(
        "--mau", min=0, help="Monthly active users of the product or service that uses the model.",
        show_default=False)]),
    ("monthly_revenue", Annotated[float | None, typer.Option(
        "--monthly-revenue", min=0, metavar="USD",
        help="Revenue in USD of the product or service that uses the model, in one month.", show_default=False)]),
    ("annual_revenue", Annotated[float | None, typer.Option(
        "--annual-revenue", min=0, metavar="USD",
        help="Annual revenue in USD of the product or service that uses the model.", show_default=False)]),
    ("org_mau", Annotated[int | None, typer.Option(
        "--org-mau", min=0, help="Monthly active users of your whole organisation with its affiliates "
        "(all its products and services).", show_default=False)]),
    ("org_monthly_revenue", Annotated[float | None, typer.Option(
        "--org-monthly-revenue", min=0, metavar="USD",
        help="Revenue in USD of your whole organisation with its affiliates, in one month.", show_default=False)]),
    ("org_annual_revenue", Annotated[float | None, typer.Option(
        "--org-annual-revenue", min=0, metavar="USD",
        help="Annual revenue in USD of your whole organisation with its affiliates.", show_default=False)]),
    ("domicile", Annotated[str | None, typer.Option(
        "--domicile", metavar="CC",
        help="Where you live or have your principal place of business (ISO 3166-1 alpha-2, e.g. DE).",
        show_default=False)]),
    ("used_in", Annotated[list[str] | None, typer.Option(
        "--used-in", metavar="CC",
        help="A country or group (EU, EEA) where the model or its outputs are used or offered; repeat for more.",
        show_default=False)]),
    ("region", Annotated[str | None, typer.Option(
        "--region", metavar="CC",
        help="Shorthand: based in CC and using the model only there (EU and other groups accepted).",
        show_default=False)]),
    ("modality", Annotated[str | None, typer.Option(
        "--modality", metavar="text|multimodal",
        help="The model's modality (taken from the registry for known models).", show_default=False)]),
    ("commercial", Annotated[bool | None, typer.Option(
        "--commercial/--non-commercial",
        help="Whether the use is for a commercial purpose (not stated unless given; always so for commercial-use).",
        show_default=False)]),
    ("purpose", Annotated[list[str] | None, typer.Option(
        "--purpose", metavar="P",
        help="What the use is for: commercial, research, evaluation, testing, personal, education or "
        "non-profit; repeat when it serves several.", show_default=False)]),
    ("production", Annotated[bool | None, typer.Option(
        "--production/--non-production",
        help="Whether the model runs live, with end users or on real-world inputs (not stated unless given).",
        show_default=False)]),
    ("end_user", Annotated[bool | None, typer.Option(
        "--end-user",
        help="You receive the model inside an integrated end-user product from a licensee: the licence's "
        "carve-outs for end users apply.", show_default=False)]),
    ("release", Annotated[bool | None, typer.Option(
        "--release/--no-release",
        help="Whether what you make (the model, a derivative, a model trained with its outputs) is "
        "distributed or made available to others, a hosted service included (not stated unless given; "
        "always so for distribute and serve).", show_default=False)]),
)

_F = TypeVar("_F", bound=Callable[..., Any])


def takes_scenario(func: _F) -> _F:
    """Give a command the scenario options. The command takes ``scenario: Scenario`` instead; the
    options appear before its own keyword options (``--format`` stays last in ``--help``)."""
    sig = inspect.signature(func)
    hints = typing.get_type_hints(func, include_extras=True)  # the annotations are strings (PEP 563)
    own = [p.replace(annotation=hints[p.name]) for p in sig.parameters.values() if p.name != "scenario"]
    names = [name for name, _ in SCENARIO_OPTIONS]
    added = [inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=ann)
             for name, ann in SCENARIO_OPTIONS]
    positional = [p for p in own if p.default is inspect.Parameter.empty]
    keywords = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in own if p.default is not inspect.Parameter.empty]
    params = [*(p.replace(kind=inspect.Parameter.POSITIONAL_OR_KEYWORD) for p in positional), *added, *keywords]

    @functools.wraps(func)
    def command(*args: Any, **kwargs: Any) -> Any:
        facts = {name: kwargs.pop(name, None) for name in names}
        return func(*args, **kwargs, scenario=scenario_from_options(facts))

    command.__signature__ = sig.replace(parameters=params, return_annotation=None)  # type: ignore[attr-defined]
    command.__annotations__ = {p.name: p.annotation for p in params}
    return command  # type: ignore[return-value]


def out(text: str) -> None:
    """Write to stdout; a stdout that fails (full, closed) is an :class:`OutputError` (exit 2)."""
    from licencecmp.cli.exits import OutputError

    try:
        sys.stdout.write(text)
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(exc) from None


def style_for_stdout() -> Style:
    from licencecmp.render.style import Style, wants_colour

    return Style(wants_colour(sys.stdout))
