"""The CLI contract: output, JSON fields and exit codes, in-process and as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import Cli


def test_can_json_needs_permission(cli: Cli) -> None:
    code, out, _ = cli("can", "llama-3.1", "commercial-use", "--mau", "800000000", "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["verdict"] == "needs-permission" and data["licence"] == "llama-3.1"
    assert any(e["section"] == "2" for e in data["evidence"])


def test_can_text_puts_the_verdict_first(cli: Cli) -> None:
    code, out, _ = cli("can", "mit", "distribute-derivative")
    assert code == 0
    assert out.splitlines()[0].split()[1] == "conditional"
    assert "permission notice" in out and "\033[" not in out  # no colour when not a TTY


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("can", "llama-9", "use"), "unknown licence or model 'llama-9'"),
        (("can", "mit", "fly"), "unknown action 'fly'"),
        (("can", "mit", "use", "--region", "XX"), "unknown country or group 'XX'"),
        (("can", "mit", "use", "--mau", "-3"), "--mau"),
        (("can", "mit", "use", "--mau", "lots"), "--mau"),
        (("can", "mit", "use", "--modality", "smell"), "unknown modality"),
        (("can", "mit"), "Missing argument"),
        (("show", "nope"), "unknown licence"),
        (("frobnicate",), "No such command"),
        (("can", "Apache-2.0 OR", "use"), "invalid licence expression"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli: Cli, args: tuple[str, ...],
                                         needle: str) -> None:
    code, out, err = cli(*args)
    assert code == 2
    assert err.count("\n") == 1 and needle in err and "Traceback" not in err
    assert out == ""


def test_unknown_name_suggests_nearest(cli: Cli) -> None:
    _, _, err = cli("can", "llama-3.0", "use")
    assert "did you mean" in err and "llama-3.1" in err


def test_show_and_list(cli: Cli) -> None:
    code, out, _ = cli("show", "llama3.1")
    assert code == 0 and "train-on-outputs" in out and "§2" in out
    code, out, _ = cli("show", "mit", "--format", "json")
    assert json.loads(out)["id"] == "mit"
    code, out, _ = cli("list", "--format", "json")
    ids = {r["id"] for r in json.loads(out)["licences"]}
    assert {"mit", "llama-3.1"} <= ids
    code, out, _ = cli("list")
    assert "llama-3.1" in out


def test_schema_command_prints_json_schema(cli: Cli) -> None:
    code, out, _ = cli("schema")
    assert code == 0 and json.loads(out)["title"] == "Licence"


def test_help_and_version(cli: Cli) -> None:
    code, out, _ = cli("--help")
    assert code == 0 and "not legal advice" in out
    code, out, _ = cli("--version")
    assert code == 0 and out.startswith("licencecmp ")


def test_subprocess_exit_codes_and_no_colour() -> None:
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "1"}
    ok = subprocess.run([sys.executable, "-m", "licencecmp", "can", "mit", "use"], capture_output=True,
                        text=True, env=env)
    assert ok.returncode == 0 and ok.stdout.startswith("✓ allowed") and "\033[" not in ok.stdout
    refused = subprocess.run([sys.executable, "-m", "licencecmp", "can", "llama-3.1", "use", "--mau", "10000000000"],
                             capture_output=True, text=True, env=env)
    assert refused.returncode == 1
    bad = subprocess.run([sys.executable, "-m", "licencecmp", "can", "zzz", "use"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr


def test_an_empty_no_color_does_not_disable_colour() -> None:
    """no-color.org: NO_COLOR disables colour when "present and not empty"."""
    env = {**os.environ, "NO_COLOR": "", "FORCE_COLOR": "1"}
    res = subprocess.run([sys.executable, "-m", "licencecmp", "can", "mit", "use"], capture_output=True,
                         text=True, env=env)
    assert "\033[" in res.stdout


def test_every_column_of_list_has_a_header(cli: Cli) -> None:
    code, out, _ = cli("list")
    header, rule = out.splitlines()[:2]
    assert code == 0 and len(header.split()) == len(rule.split()), (header, rule)


def test_colour_when_forced_on_a_non_tty() -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env["FORCE_COLOR"] = "1"
    res = subprocess.run([sys.executable, "-m", "licencecmp", "can", "mit", "use"], capture_output=True,
                         text=True, env=env)
    assert "\033[" in res.stdout
