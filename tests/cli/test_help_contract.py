"""Bare `licencecmp` and a bare command group print their help on stdout and exit 0."""

from __future__ import annotations

import pytest

from ..conftest import Cli


@pytest.mark.parametrize("args", [(), ("policy",)])
def test_bare_command_prints_help(cli: Cli, args: tuple[str, ...]) -> None:
    code, out, err = cli(*args)
    _, help_out, _ = cli(*args, "--help")
    assert code == 0 and err == ""
    assert out == help_out and out.startswith("Usage: licencecmp")


def test_a_missing_argument_is_still_a_one_line_usage_error(cli: Cli) -> None:
    code, out, err = cli("can")
    assert code == 2 and out == "" and err.count("\n") == 1
