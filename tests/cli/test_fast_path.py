"""The fast path (``licencecmp.cli.fast``, no typer) answers ``can``, ``show``, ``compat``, ``compare``
and ``--version`` byte for byte as the typer app does: stdout, stderr and exit code, over a broad
matrix of licences, models, expressions, actions, facts, formats and bad input."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import typer

import licencecmp
import licencecmp.cli
from licencecmp.cli import fast
from licencecmp.cli.root import run
from licencecmp.vocab import Action
from tests.tiers import sample

CAT = licencecmp.catalogue()
IDS = CAT.ids()
MODELS = [m.id for m in CAT.models()]
SOME_MODELS = MODELS[:: max(1, len(MODELS) // 40)]
ACTIONS = [a.value for a in Action]

Outcome = tuple[int, str, str]


def _code(exc: SystemExit) -> int:
    return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)


def _capture(capsys: pytest.CaptureFixture[str], call: Callable[[], object]) -> tuple[Outcome, bool]:
    """(exit code, stdout, stderr) of one call, and whether it exited (False: it returned)."""
    capsys.readouterr()
    exited = True
    try:
        call()
        exited, code = False, 0
    except SystemExit as exc:
        code = _code(exc)
    captured = capsys.readouterr()
    return (code, captured.out, captured.err), exited


def both(capsys: pytest.CaptureFixture[str], args: Sequence[str]) -> tuple[Outcome, Outcome, bool]:
    """The typer app's outcome, the fast path's (falling back to typer as ``main`` does), and
    whether the fast path answered by itself."""
    licencecmp.cli.app  # noqa: B018 - registers the commands on the typer app
    slow, _ = _capture(capsys, lambda: run(list(args)))
    quick, answered = _capture(capsys, lambda: fast.answer(list(args)))
    if not answered:
        assert quick == (0, "", ""), "the fast path wrote output and then fell back"
        quick, _ = _capture(capsys, lambda: run(list(args)))
    return slow, quick, answered


def assert_same(capsys: pytest.CaptureFixture[str], args: Sequence[str], *, fast_answers: bool) -> None:
    slow, quick, answered = both(capsys, args)
    assert quick == slow, f"licencecmp {' '.join(args)}"
    assert answered is fast_answers, f"licencecmp {' '.join(args)}: fast path answered={answered}"


@pytest.mark.parametrize("licence", sample(IDS, 4))  # all of them in the slow tier
def test_can_every_licence_every_action(capsys: pytest.CaptureFixture[str], licence: str) -> None:
    for action in ACTIONS:
        assert_same(capsys, ["can", licence, action], fast_answers=True)
    assert_same(capsys, ["can", licence, "commercial-use", "--format", "json"], fast_answers=True)
    assert_same(capsys, ["show", licence], fast_answers=True)
    assert_same(capsys, ["show", licence, "-f", "json"], fast_answers=True)


FACTS: list[list[str]] = [
    [],
    ["--mau", "800000000"],
    ["--mau=1000", "--annual-revenue", "2000000000.5"],
    ["--org-mau", "900000000", "--mau", "10"],
    ["--monthly-revenue", "5", "--org-monthly-revenue", "10", "--org-annual-revenue", "1000"],
    ["--region", "EU"],
    ["--domicile", "de", "--used-in", "US,FR", "--used-in", "CN"],
    ["--used-in", "KR US"],
    ["--modality", "multimodal", "--commercial"],
    ["--modality", "text", "--non-commercial"],
    ["--purpose", "research", "--non-production"],
    ["--purpose", "research,evaluation", "--production", "--release"],
    ["--purpose", "commercial", "--no-release", "--end-user"],
    ["--end-user", "--mau", "1000000000"],
]


@pytest.mark.parametrize("facts", sample(FACTS, 2), ids=lambda f: " ".join(f) or "no-facts")
def test_can_with_facts(capsys: pytest.CaptureFixture[str], facts: list[str]) -> None:
    names = IDS[::9] + SOME_MODELS[::4] + ["llama-3.1", "gemma", "MIT AND Apache-2.0", "mit OR llama-3.1"]
    for name, action in itertools.product(names, ("use", "commercial-use", "distribute")):
        assert_same(capsys, ["can", name, action, *facts], fast_answers=True)
    assert_same(capsys, ["can", "llama-3.1", "serve", *facts, "-fjson"], fast_answers=True)
    assert_same(capsys, ["can", *facts, "llama-3.1", "modify", "--format=json"], fast_answers=True)


@pytest.mark.parametrize("model", SOME_MODELS)
def test_models(capsys: pytest.CaptureFixture[str], model: str) -> None:
    assert_same(capsys, ["can", model, "commercial-use"], fast_answers=True)
    assert_same(capsys, ["can", model.upper(), "train-on-outputs", "--format", "json"], fast_answers=True)
    assert_same(capsys, ["show", model], fast_answers=True)
    assert_same(capsys, ["show", model, "--format", "json"], fast_answers=True)
    assert_same(capsys, ["compat", model, "apache-2.0"], fast_answers=True)


def test_compat_pairs(capsys: pytest.CaptureFixture[str]) -> None:
    names = [*IDS[::5], "MIT OR GPL-2.0", "llama-3.1 AND mit"]
    for up, out in itertools.product(names, names[::3]):
        assert_same(capsys, ["compat", up, out], fast_answers=True)
    for up, out in itertools.product(names[::4], names[::4]):
        assert_same(capsys, ["compat", up, out, "--format", "json"], fast_answers=True)


GOOD_NAMES_BAD_INPUT: list[list[str]] = [
    # errors the library reports (the fast path answers them itself)
    ["can", "llama-9", "use"],
    ["can", "lama-3.1", "use"],
    ["can", "meta-llama/Llama-9", "use"],
    ["can", "mit", "fly"],
    ["can", "mit", "use", "--region", "XX"],
    ["can", "mit", "use", "--domicile", "Germany"],
    ["can", "mit", "use", "--modality", "smell"],
    ["can", "mit", "use", "--purpose", "fun"],
    ["can", "mit", "use", "--purpose", "commercial", "--non-commercial"],
    ["can", "mit", "use", "--mau", "10", "--org-mau", "5"],
    ["can", "mit", "use", "--monthly-revenue", "10", "--annual-revenue", "5"],
    ["can", "mit", "use", "--mau", "9999999999999999"],
    ["can", "mit WITH foo", "use"],
    ["can", "mit AND (", "use"],
    ["can", "mit OR nope", "use"],
    ["show", "nope"],
    ["show", "mit OR"],
    ["compat", "nope", "mit"],
    ["compat", "mit", "apache"],
    ["compat", "meta-llama/nope", "mit"],
    ["compare", "nope", "mit"],
    ["compare", "mit", "--actions", "fly"],
    ["compare", "mit", "--facts", "colour"],
    ["compare", "mit OR gemma"],
    ["compare", "mit", "--mau", "10", "--org-mau", "5"],
]
TYPER_ANSWERS: list[list[str]] = [
    # usage errors and help pages: the typer app answers
    ["can"],
    ["can", "mit"],
    ["can", "mit", "use", "extra"],
    ["can", "mit", "use", "--mau", "-3"],
    ["can", "mit", "use", "--mau", "lots"],
    ["can", "mit", "use", "--mau", "1e9"],
    ["can", "mit", "use", "--mau", "+5"],
    ["can", "mit", "use", "--mau"],
    ["can", "mit", "use", "--annual-revenue", "-1"],
    ["can", "mit", "use", "--annual-revenue", "nan"],
    ["can", "mit", "use", "--format", "yaml"],
    ["can", "mit", "use", "-f=json"],
    ["can", "mit", "use", "--format"],
    ["can", "mit", "use", "--frobnicate"],
    ["can", "mit", "use", "--commercial=yes"],
    ["can", "mit", "use", "--domicile"],
    ["can", "mit", "use", "--domicile", "--mau"],
    ["can", "--", "mit", "use"],
    ["can", "-", "use"],
    ["can", "--help"],
    ["can", "mit", "use", "-h"],
    ["show"],
    ["show", "mit", "--mau", "5"],
    ["show", "--help"],
    ["show", "mit", "apache-2.0"],
    ["compat", "mit"],
    ["compat", "mit", "apache-2.0", "--region", "EU"],
    ["compat", "--help"],
    ["compat", "mit", "apache-2.0", "-f", "csv"],
    ["mcp", "--help"],
    ["mcp", "extra"],
    ["compare"],
    ["compare", "--help"],
    ["compare", "mit", "-f", "yaml"],
    ["compare", "mit", "--transpose=yes"],
    ["compare", "mit", "--actions"],
    ["compare", "mit", "-a"],
    ["compare", "mit", "-ause"],
    ["compare", "mit", "--facts", "--transpose"],
    ["compare", "mit", "--mau", "-1"],
    ["compare", "mit", "--", "gemma"],
    ["--help"],
    [],
    ["--version", "can", "mit", "use"],
    ["list"],
]


@pytest.mark.parametrize("args", GOOD_NAMES_BAD_INPUT, ids=" ".join)
def test_bad_input_answered_fast(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    slow, quick, answered = both(capsys, args)
    assert quick == slow
    assert answered and slow[0] == 2 and slow[1] == "" and slow[2].startswith("licencecmp: error: ")


@pytest.mark.parametrize("args", TYPER_ANSWERS, ids=lambda a: " ".join(a) or "nothing")
def test_usage_errors_and_help_go_to_typer(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert_same(capsys, args, fast_answers=False)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert_same(capsys, ["--version"], fast_answers=True)


def test_scenario_flags_are_the_typer_options() -> None:
    """The fast parser's table of flags is the typer command's options, flag by flag."""
    command = typer.main.get_command(licencecmp.cli.app)
    can = command.commands["can"]  # type: ignore[attr-defined]  # a click group (typer vendors click)
    typer_flags: dict[str, tuple[str, str, object]] = {}
    for param in can.params:
        if param.param_type_name != "option" or param.name in ("format", "help", "online"):
            continue  # not scenario facts (--online is read by the fast parser itself: test_online_flag)
        assert param.name is not None
        if param.is_flag:
            for flag in param.opts:
                typer_flags[flag] = (param.name, "bool", True)
            for flag in param.secondary_opts:
                typer_flags[flag] = (param.name, "bool", False)
            continue
        kind = "list" if param.multiple else {"int": "int", "float": "float", "str": "str"}[
            param.type.name.split(" ")[0].lower()]
        for flag in param.opts:
            typer_flags[flag] = (param.name, kind, None)
    assert typer_flags == fast.SCENARIO_FLAGS


COMPARE: list[list[str]] = [
    ["compare", "deepseek-ai/DeepSeek-R1", "llama-3.1", "gemma", "qwen", "hunyuan"],
    ["compare", "deepseek-ai/DeepSeek-R1", "llama-3.1", "gemma", "qwen", "hunyuan", "--actions",
     "commercial-use,distribute-derivative,train-on-outputs", "--facts", "threshold,territory,attribution,openness",
     "--format", "github"],
    ["compare", "mit", "apache-2.0", "-a", "use", "-a", "serve modify", "--facts=none", "--transpose"],
    ["compare", "--mau", "1000000000", "llama-3.1", "--domicile", "DE", "gemma", "--used-in", "DE,FR", "qwen"],
    ["compare", "llama3.1", "LLAMA-3.2", *SOME_MODELS[:3], "--facts", "kind", "--facts", "openness"],
    ["compare", "mit", "mit", "--online"],
]


@pytest.mark.parametrize("args", COMPARE, ids=" ".join)
def test_compare_every_format(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    from licencecmp.render.table import FORMATS

    assert_same(capsys, args, fast_answers=True)
    for fmt in (*FORMATS, "html-page"):
        assert_same(capsys, [*args, "--format", fmt], fast_answers=True)
    assert_same(capsys, [*args, "-fjson", "--transpose"], fast_answers=True)


def test_compare_options_are_the_typer_options() -> None:
    """compare's own options and formats in the fast parser are the typer command's."""
    from licencecmp.render.table import FORMATS

    command = typer.main.get_command(licencecmp.cli.app)
    compare = command.commands["compare"]  # type: ignore[attr-defined]
    own: dict[str, tuple[str, str, object]] = {}
    for param in compare.params:
        if param.param_type_name != "option" or param.name in fast.SCENARIO_FLAGS or param.name in (
                "help", "online", "output") or any(o in fast.SCENARIO_FLAGS for o in param.opts):
            continue
        assert param.name is not None
        if param.name == "format":
            assert set(param.type.choices) == {*FORMATS, "html-page"}
            continue
        for flag in param.opts:
            own[flag] = (param.name, "bool", True) if param.is_flag else (param.name, "list" if param.multiple else "",
                                                                         None)
    assert own == fast.COMPARE_OPTIONS


def test_identify(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from ..conftest import need_shared

    texts = need_shared()
    files = [str(texts / name) for name in ("mit.txt", "apache-2.0.txt", "llama-3.1.txt")]
    (tmp_path / "LICENSE").write_text("Not quite the MIT licence.\n", encoding="utf-8")
    for args in ([files[0]], [files[1], "-f", "json"], files, [*files, "--format=json"], [str(tmp_path)],
                 [str(tmp_path), "-fjson"], [files[0], str(tmp_path / "missing")]):
        assert_same(capsys, ["identify", *args], fast_answers=True)
    for args in ([], ["--help"], [files[0], "--online"], [files[0], "-f", "csv"]):
        assert_same(capsys, ["identify", *args], fast_answers=False)


def test_online_flag(capsys: pytest.CaptureFixture[str]) -> None:
    """``--online`` is read by both paths alike (here for names the registry knows: nothing to ask)."""
    for args in (["can", "mit", "use", "--online"], ["show", SOME_MODELS[0], "--online", "-f", "json"],
                 ["compat", "--online", SOME_MODELS[0], "mit"], ["can", "bartowski/Llama-3.2-3B-Instruct-GGUF", "use"]):
        assert_same(capsys, args, fast_answers=True)
