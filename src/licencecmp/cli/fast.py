"""The answer path without typer: ``can``, ``show``, ``compat``, ``compare``, ``identify`` and ``--version``
parsed by hand, and ``mcp`` (the server) started.

These commands run in every CI job, so they answer before typer and click are imported. The
parser here accepts only the plain forms of each command (its arguments, its options with
well-formed values); anything else (``--help``, a missing argument, an unknown option, a value
click would reject or read differently) returns ``None`` and the typer app runs as before, so
every usage error and help page comes from one place. The bodies of the commands are here
(:func:`can_answer`, :func:`show_answer`, :func:`compat_answer`, :func:`compare_answer`,
:func:`identify_answer`) and the typer commands call them,
so both paths give the same bytes; ``tests/cli/test_fast_path.py`` runs a matrix through both.

Imports nothing heavy at module level: only what the answer itself needs, inside
the functions.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from licencecmp.facts import FACTS, FactKind

if TYPE_CHECKING:
    from licencecmp.reasoning.lookup import Binding
    from licencecmp.render.style import Style
    from licencecmp.scenario import Scenario

__all__ = ["COMPARE_OPTIONS", "SCENARIO_FLAGS", "answer", "bind_name", "can_answer", "compare_answer",
           "compat_answer", "identify_answer", "scenario_from_options", "serve_mcp", "show_answer", "split_list",
           "write_errors"]

# The scenario options as the fast parser reads them: flag -> (parameter, kind, value for a flag).
# Kinds: int, float, str, list (repeatable), bool (a flag: its value is the third item). Derived from
# the facts table, as the typer options are; the test of the fast path proves the two equal.
_KINDS = {FactKind.COUNTRY: "str", FactKind.COUNTRIES: "list", FactKind.MODALITY: "str", FactKind.FLAG: "bool",
          FactKind.PURPOSES: "list"}
SCENARIO_FLAGS: dict[str, tuple[str, str, object]] = {
    flag: (f.name, ("int" if f.whole else "float") if f.kind is FactKind.FIGURE else _KINDS[f.kind], value)
    for f in FACTS for flag, value in f.flags().items()}
_LISTS = frozenset(name for name, kind, _ in SCENARIO_FLAGS.values() if kind == "list")
_FORMATS = ("text", "json")
# compare's own options, as SCENARIO_FLAGS: flag -> (parameter, kind, value for a flag).
COMPARE_OPTIONS: dict[str, tuple[str, str, object]] = {
    "--actions": ("actions", "list", None), "-a": ("actions", "list", None), "--facts": ("facts", "list", None),
    "--transpose": ("transpose", "bool", True)}
# Values the fast path parses itself; any other spelling (signs, exponents, "1_000", spaces) goes
# to click, whose reading and error messages then apply.
_INT = re.compile(r"[0-9]{1,16}\Z")
_FLOAT = re.compile(r"[0-9]{1,16}(?:\.[0-9]{1,16})?\Z")


def split_list(values: list[str] | None) -> list[str]:
    """Items of a repeatable option, each of which may itself be comma- or space-separated."""
    return [v for item in values or [] for v in item.replace(",", " ").split()]


def scenario_from_options(facts: dict[str, Any]) -> Scenario:
    """A checked Scenario from the values of the scenario options."""
    from licencecmp.scenario import make_scenario

    facts = {name: split_list(value) or None if name in _LISTS else value for name, value in facts.items()}
    return make_scenario(**facts)


def _style() -> Style:
    from licencecmp.render.style import Style, wants_colour

    return Style(wants_colour(sys.stdout))


def bind_name(name: str, online: bool = False) -> Binding:
    """What binds ``name``, for every command: the catalogue answers licence ids, aliases,
    expressions and registry models at once; any other model id goes down the resolution chain
    (:func:`licencecmp.scan.resolution.bind`), imported only then."""
    from licencecmp.errors import UnknownModelError
    from licencecmp.reasoning.lookup import lookup

    try:
        return lookup(name)
    except UnknownModelError:
        from licencecmp.scan.resolution import bind

        return bind(name, online=online)


# -- the command bodies (the typer commands call these too) ---------------------------------------


def can_answer(licence: str, action: str, scenario: Scenario, json_format: bool, online: bool = False
               ) -> tuple[str, int]:
    """``can``: the rendered decision and the exit code."""
    from licencecmp.errors import ExitCode
    from licencecmp.reasoning.lookup import decide_binding
    from licencecmp.render.decision import decision_json, decision_text
    from licencecmp.vocab import parse_action

    act = parse_action(action)
    decision = decide_binding(bind_name(licence, online), act, scenario)
    text = decision_json(decision) if json_format else decision_text(decision, _style())
    return text, int(ExitCode.OK if decision.verdict.permits else ExitCode.REFUSED)


def show_answer(licence: str, json_format: bool, online: bool = False) -> tuple[str, int]:
    """``show``: every rule of the licence (or of each licence that binds a model or expression)."""
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.errors import ExitCode
    from licencecmp.render.decision import binding_json, binding_text

    cat = default_catalogue()
    binding = bind_name(licence, online)
    return (binding_json(binding) if json_format else binding_text(binding, cat, _style())), int(ExitCode.OK)


def compat_answer(upstream: str, outbound: str, json_format: bool, online: bool = False) -> tuple[str, int]:
    """``compat``: the compatibility verdict and the exit code."""
    from licencecmp.errors import ExitCode
    from licencecmp.reasoning.compatibility import compat_bindings
    from licencecmp.render.compat import compat_json, compat_text

    result = compat_bindings(bind_name(upstream, online), bind_name(outbound, online))
    text = compat_json(result) if json_format else compat_text(result, _style())
    return text, int(ExitCode.OK if result.verdict.permits else ExitCode.REFUSED)


def compare_answer(ids: Sequence[str], actions: list[str] | None, facts: list[str] | None, scenario: Scenario,
                   transpose: bool, fmt: str | None, online: bool = False, to_stdout: bool = True
                   ) -> tuple[str, str, int]:
    """``compare``: the table, the format it was written in (``fmt``, or the default: text on a
    terminal, github otherwise), the number of rows."""
    from licencecmp.reasoning.comparison import compare as build
    from licencecmp.reasoning.comparison import parse_facts
    from licencecmp.vocab import parse_action

    acts = [parse_action(a) for a in split_list(actions)] or None
    bound = [bind_name(i, online) for i in ids]  # a row keeps the name as given unless the chain resolved it
    comp = build([b if b.model is None and b.provenance is not None else i for i, b in zip(ids, bound, strict=True)],
                 acts, scenario, facts=parse_facts(split_list(facts)) if facts else None)
    if fmt is None:
        fmt = "text" if to_stdout and sys.stdout.isatty() else "github"
    if fmt == "text":
        import shutil

        from licencecmp.render.style import PLAIN, Style, wants_colour
        from licencecmp.render.table import table_text

        style = Style(True) if to_stdout and wants_colour(sys.stdout) else PLAIN
        return table_text(comp, shutil.get_terminal_size((100, 24)).columns, transpose or None, style), fmt, \
            len(comp.rows)
    from licencecmp.render.table import render

    return render(comp, fmt, transpose=transpose), fmt, len(comp.rows)


def identify_answer(paths: Sequence[str], json_format: bool) -> tuple[str, list[str], int]:
    """``identify``: the output, one error line per file that could not be read, and the exit code
    (0 every file matches, 1 one is modified or different, 2 one could not be read). One FILE gives
    the one result as before; several, or a directory, give one result per file."""
    from pathlib import Path

    from licencecmp.errors import ExitCode
    from licencecmp.reasoning.identify import identify_file, identify_paths

    style = None if json_format else _style()
    if len(paths) == 1 and not Path(paths[0]).is_dir():
        from licencecmp.render.catalogue import identification_text

        result = identify_file(Path(paths[0]))  # unreadable: an InputError, exit 2
        text = result.model_dump_json(indent=2) + "\n" if style is None else identification_text(result, style)
        return text, [], int(ExitCode.OK if result.licence else ExitCode.REFUSED)
    from licencecmp.render.catalogue import identifications_json, identifications_text

    found = identify_paths([Path(p) for p in paths])
    shown = [(str(path), r if not isinstance(r, Exception) else str(r)) for path, r in found]
    errors = [str(r) for _, r in found if isinstance(r, Exception)]
    text = identifications_json(shown) if style is None else identifications_text(shown, style)
    code = ExitCode.USAGE if errors else ExitCode.OK if all(
        not isinstance(r, Exception) and r.licence for _, r in found) else ExitCode.REFUSED
    return text, errors, int(code)


MCP_INSTALL = "pip install 'licencecmp[mcp]'"


def serve_mcp() -> None:
    """``mcp``: serve the Model Context Protocol over stdio until the client leaves. The SDK loads while
    the client's ``initialize`` is read and answered (:mod:`licencecmp.mcp.handshake`)."""
    import importlib.util

    from licencecmp.errors import InputError

    missing = InputError(f"the MCP server needs the MCP Python SDK (mcp 2.x); install it with: {MCP_INSTALL}")
    try:
        found = importlib.util.find_spec("mcp") is not None
    except (ImportError, ValueError):
        found = False
    if not found:
        raise missing
    from licencecmp.mcp.handshake import Handshake

    handshake = Handshake.start()
    failed = handshake.sdk()
    if isinstance(failed, ImportError):
        raise missing from None
    if failed is not None:
        raise failed
    from licencecmp.mcp.server import main

    main(handshake)


def write_errors(errors: Sequence[str]) -> None:
    """One ``licencecmp: error:`` line on stderr per message (what could not be read)."""
    from licencecmp.cli.exits import one_line

    for message in errors:
        sys.stderr.write(f"licencecmp: error: {one_line(message)}\n")


# -- the parser -----------------------------------------------------------------------------------


def _format_arg(arg: str, args: Sequence[str], i: int, formats: tuple[str, ...]) -> tuple[str | None, int]:
    """The format that ``-f``/``--format`` (``arg``, read just before ``args[i]``) names and the index
    to read on from; None when it names no format of ``formats``."""
    if arg == "--format" or arg == "-f":
        if i >= len(args):
            return None, i
        value, i = args[i], i + 1
    else:
        value = arg[len("--format="):] if arg.startswith("--") else arg[2:]  # --format=json, -fjson
    return (value if value in formats else None), i


def _typed(kind: str, value: str) -> object | None:
    """An option's value as its kind (int, float, else the text), or None when it is not written
    plainly (the typer path then answers, with its own message)."""
    if value.startswith("-") or not value.strip() or value != value.strip():
        return None
    if kind == "int":
        return int(value) if _INT.match(value) else None
    if kind == "float":
        return float(value) if _FLOAT.match(value) else None
    return value


def _parse(args: Sequence[str], n_positional: int | None, scenario: bool, formats: tuple[str, ...] = _FORMATS,
           own: dict[str, tuple[str, str, object]] | None = None
           ) -> tuple[list[str], dict[str, Any], str | None, bool, dict[str, Any]] | None:
    """(positionals, scenario facts, format or None, online?, the command's own options) for the
    plain forms of a command, else None. ``n_positional`` None: one or more."""
    positional: list[str] = []
    facts: dict[str, Any] = {}
    options: dict[str, Any] = {}
    own = own or {}
    fmt: str | None = None
    online = False
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if not arg.startswith("-") or arg == "-":
            if arg == "-":
                return None
            positional.append(arg)
            continue
        if arg.startswith("-f") or arg == "--format" or arg.startswith("--format="):
            fmt, i = _format_arg(arg, args, i, formats)
            if fmt is None:
                return None
            continue
        if arg == "--online":
            online = True
            continue
        name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        spec = own.get(name) or (SCENARIO_FLAGS.get(name) if scenario and arg.startswith("--") else None)
        if spec is None:
            return None  # --help, --, -h, an unknown option: click answers
        param, kind, flag_value = spec
        if kind == "bool":
            if eq:
                return None
            (options if name in own else facts)[param] = flag_value
            continue
        if eq:
            value = inline
        elif i < len(args):
            value, i = args[i], i + 1
        else:
            return None
        typed = _typed(kind, value)
        if typed is None:
            return None
        if kind == "list":
            (options if name in own else facts).setdefault(param, []).append(typed)
        else:
            facts[param] = typed
    if len(positional) != n_positional if n_positional is not None else not positional:
        return None
    return positional, facts, fmt, online, options


def _run(command: str, args: Sequence[str]) -> tuple[str, int] | None:
    if command == "can":
        parsed = _parse(args, 2, scenario=True)
        if parsed is None:
            return None
        (licence, action), facts, fmt, online, _ = parsed
        return can_answer(licence, action, scenario_from_options(facts), fmt == "json", online)
    if command == "show":
        parsed = _parse(args, 1, scenario=False)
        if parsed is None:
            return None
        return show_answer(parsed[0][0], parsed[2] == "json", parsed[3])
    if command == "compat":
        parsed = _parse(args, 2, scenario=False)
        if parsed is None:
            return None
        return compat_answer(parsed[0][0], parsed[0][1], parsed[2] == "json", parsed[3])
    if command == "compare":
        from licencecmp.render.table import FORMATS

        parsed = _parse(args, None, scenario=True, formats=(*FORMATS, "html-page"), own=COMPARE_OPTIONS)
        if parsed is None:
            return None
        ids, facts, fmt, online, options = parsed
        text, _, _ = compare_answer(ids, options.get("actions"), options.get("facts"), scenario_from_options(facts),
                                    bool(options.get("transpose")), fmt, online)
        from licencecmp.errors import ExitCode

        return text, int(ExitCode.OK)
    if command == "identify":
        parsed = _parse(args, None, scenario=False)
        if parsed is None or parsed[3]:
            return None
        text, errors, code = identify_answer(parsed[0], parsed[2] == "json")
        write_errors(errors)
        return text, code
    return None


def answer(argv: Sequence[str]) -> None:
    """Answer ``can``, ``show``, ``compat``, ``compare``, ``identify`` or ``--version``, or serve ``mcp``,
    and exit; return (having written nothing) when the command line is anything else (``mcp --help``
    too), for the typer app to run it."""
    if list(argv) == ["--version"]:
        from licencecmp._version import __version__

        sys.stdout.write(f"licencecmp {__version__}\n")
        raise SystemExit(0)
    if list(argv) == ["mcp"]:  # the server: started by every agent session, without typer
        from licencecmp.cli.exits import guarded

        with guarded():
            serve_mcp()
        raise SystemExit(0)
    if not argv or argv[0] not in ("can", "show", "compat", "compare", "identify"):
        return
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from licencecmp.cli.exits import Terminated, guarded
    from licencecmp.errors import LicencecmpError

    result = None
    with guarded():
        try:
            result = _run(argv[0], argv[1:])
        except (LicencecmpError, KeyboardInterrupt, Terminated):
            raise
        except Exception:
            result = None  # anything unusual: the typer app answers it
        if result is not None:
            sys.stdout.write(result[0])
    if result is None:
        return
    raise SystemExit(result[1])
