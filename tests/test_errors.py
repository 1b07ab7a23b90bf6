"""Every error a caller can trigger is a LicencecmpError (the CLI maps it to exit 2, one line on stderr),
and the exit codes come from ExitCode."""

from __future__ import annotations

from pathlib import Path

import pytest

from licencecmp.data.catalogue import default_catalogue
from licencecmp.engine import combine_decisions, evaluate
from licencecmp.errors import (
    CombinationError,
    ExitCode,
    FormatError,
    InputError,
    LicencecmpError,
    UnknownActionError,
    UnknownFactError,
)
from licencecmp.reasoning.combination import combine
from licencecmp.reasoning.comparison import compare
from licencecmp.render.report import render_report
from licencecmp.render.spdx import spdx_document, write_spdx
from licencecmp.render.table import render, table_tabulate
from licencecmp.scan.cards import load_yaml_bounded
from licencecmp.scan.check import run_check


def test_a_combination_of_nothing() -> None:
    with pytest.raises(CombinationError, match="at least one input"):
        combine([])


def test_an_unknown_role_names_the_known_ones() -> None:
    with pytest.raises(CombinationError, match="unknown role 'mentor'; known roles: base, teacher, merge, data"):
        combine([("mentor", "mit")])


def test_combining_no_decisions() -> None:
    with pytest.raises(CombinationError):
        combine_decisions([], licence="mit")


def test_an_unknown_action_in_evaluate_and_compare() -> None:
    cat = default_catalogue()
    with pytest.raises(UnknownActionError):
        evaluate(cat.get("mit"), "sell-weights", territories=cat.territories)
    with pytest.raises(UnknownActionError):
        compare(["mit"], ["sell-weights"])


def test_an_unknown_fact_column() -> None:
    with pytest.raises(UnknownFactError):
        compare(["mit"], facts=["colour"])


def test_unknown_output_formats() -> None:
    comp = compare(["mit"])
    with pytest.raises(FormatError):
        render(comp, "docx")
    with pytest.raises(FormatError):
        table_tabulate(comp, "docx")
    with pytest.raises(FormatError):
        write_spdx(spdx_document([], default_catalogue(), name="nothing"), "spdx-xml")


def test_yaml_beyond_the_bounds_is_an_input_error() -> None:
    with pytest.raises(InputError, match="larger than"):
        load_yaml_bounded("a: " + "x" * (1024 * 1024 + 1))
    with pytest.raises(InputError, match="nested deeper"):
        load_yaml_bounded("a: " + "[" * 300 + "]" * 300)
    with pytest.raises(InputError):
        load_yaml_bounded("a: [")


@pytest.mark.parametrize(
    "error",
    [CombinationError, FormatError, InputError, UnknownActionError, UnknownFactError],
)
def test_each_is_a_licencecmp_error_and_the_builtin_it_resembles(error: type[Exception]) -> None:
    assert issubclass(error, LicencecmpError)
    assert issubclass(error, ValueError)


def test_the_check_report_exit_code_is_an_exit_code(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text('MODEL = "meta-llama/Llama-3.1-8B"\n', encoding="utf-8")
    report = run_check(tmp_path)
    assert isinstance(report.exit_code, ExitCode)
    assert render_report(report, "json").count(f'"exit_code": {int(report.exit_code)}') == 1
    with pytest.raises(FormatError):
        render_report(report, "docx")
