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
from licencecmp.facts import FACTS, FactKind, ScenarioFact

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

# The scenario options: one per fact of the table (licencecmp.facts), as (parameter name, annotation).
# `takes_scenario` adds them to a command and hands the command one checked Scenario.
_TYPES: dict[FactKind, Any] = {FactKind.COUNTRY: str, FactKind.COUNTRIES: list[str], FactKind.MODALITY: str,
                               FactKind.FLAG: bool, FactKind.PURPOSES: list[str]}


def _option(f: ScenarioFact) -> Any:
    if f.kind is FactKind.FIGURE:
        return Annotated[(int if f.whole else float) | None, typer.Option(
            f.option, min=0, metavar=f.metavar, help=f.description, show_default=False)]
    return Annotated[_TYPES[f.kind] | None, typer.Option(f.option, metavar=f.metavar, help=f.description,
                                                         show_default=False)]


SCENARIO_OPTIONS: tuple[tuple[str, Any], ...] = tuple((f.name, _option(f)) for f in FACTS)


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
