"""CLI contract for the scenario facts of issue 11: every flag is accepted by every command that
takes a scenario, lands in the JSON ``scenario``, and impossible input exits 2 with one line."""

from __future__ import annotations

import json

import pytest

from licencecmp.data.schema import SCHEMA_VERSION

FLAGS: list[tuple[list[str], str, object]] = [
    (["--purpose", "research"], "purpose", ["research"]),
    (["--purpose", "research", "--purpose", "evaluation"], "purpose", ["research", "evaluation"]),
    (["--purpose", "research,education"], "purpose", ["research", "education"]),
    (["--commercial"], "commercial", True),
    (["--non-commercial"], "commercial", False),
    (["--production"], "production", True),
    (["--non-production"], "production", False),
    (["--end-user"], "end_user", True),
    (["--release"], "release", True),
    (["--no-release"], "release", False),
    (["--org-mau", "1000"], "org_mau", 1000),
    (["--org-monthly-revenue", "5000"], "org_monthly_revenue", 5000.0),
    (["--org-annual-revenue", "90000"], "org_annual_revenue", 90000.0),
    (["--mau", "10", "--org-mau", "10"], "mau", 10),
]


@pytest.mark.parametrize(("args", "field", "value"), FLAGS)
def test_every_flag_lands_in_the_json_scenario(cli, args: list[str], field: str, value: object) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("can", "mit", "use", *args, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["scenario"][field] == value


@pytest.mark.parametrize("command", [["compare", "mit"], ["combine", "--base", "mit"], ["can", "mit", "use"]])
def test_every_scenario_command_takes_the_new_flags(cli, command: list[str]) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli(*command, "--purpose", "research", "--non-production", "--end-user", "--no-release",
                       "--org-mau", "5", "--org-monthly-revenue", "1", "--org-annual-revenue", "12")
    assert code in (0, 1), err


IMPOSSIBLE = [
    ["--mau", "10", "--org-mau", "5"],
    ["--monthly-revenue", "10", "--org-monthly-revenue", "5"],
    ["--annual-revenue", "10", "--org-annual-revenue", "5"],
    ["--monthly-revenue", "10", "--annual-revenue", "5"],
    ["--org-monthly-revenue", "10", "--org-annual-revenue", "5"],
    ["--mau", "-1"],
    ["--org-mau", "-1"],
    ["--org-annual-revenue", "-5"],
    ["--mau", "10000000000000001"],
    ["--org-annual-revenue", "1e16"],
    ["--mau", "1.5"],
    ["--org-mau", "2.5"],
    ["--purpose", "profit"],
    ["--non-commercial", "--purpose", "commercial"],
    ["--monthly-revenue", "nan"],
]


@pytest.mark.parametrize("args", IMPOSSIBLE)
def test_impossible_input_exits_2_with_one_line(cli, args: list[str]) -> None:  # type: ignore[no-untyped-def]
    code, out, err = cli("can", "mit", "use", *args)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_regressions_through_the_cli(cli) -> None:  # type: ignore[no-untyped-def]
    assert cli("compat", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "mit").code == 1
    assert cli("openness", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B").code == 1
    assert cli("can", "qwen-research", "commercial-use").code == 1
    code, out, _ = cli("can", "qwen-research", "use", "--non-commercial")
    assert code == 0 and "research or evaluation" in out
    assert cli("can", "stability-community", "commercial-use", "--monthly-revenue", "1500000").code == 1
    code, out, _ = cli("show", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
    assert code == 0 and "llama-3.1" in out and "Llama 3.1 Community License" in out
    code, out, _ = cli("matrix", "mit", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "--format", "json")
    cells = {(c["upstream"], c["outbound"]): c["verdict"] for c in json.loads(out)["cells"]}
    assert cells[("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", "mit")] == "incompatible"
    code, out, _ = cli("combine", "--base", "meta-llama/Llama-3.2-11B-Vision-Instruct", "--domicile", "DE",
                       "--format", "json")
    assert code == 1 and json.loads(out)["decisions"]["use"]["verdict"] == "prohibited"
    code, out, _ = cli("show", "Apache-2.0 OR MIT", "--format", "json")
    assert code == 0 and json.loads(out)["choices"] == [["apache-2.0"], ["mit"]]
    code, out, _ = cli("can", "llama-3.1", "distribute", "--format", "json")
    assert all(o["trigger"] in ("always", "distribution", "made-available", "trained-model-release")
               for o in json.loads(out)["obligations"])
