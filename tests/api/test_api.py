"""The Python API: every command as a function, facts taken from make_scenario, results with the
CLI's JSON field names, and every docstring example run as a doctest."""

from __future__ import annotations

import doctest
import inspect
import json
from pathlib import Path
from typing import Any

import pytest

import licencecmp
from licencecmp import api
from licencecmp.errors import LicencecmpError, ScenarioError
from licencecmp.facts import FACTS as FACT_TABLE

from ..conftest import Cli

PUBLIC = ["can", "get", "show", "compare", "compat", "matrix", "combine", "openness", "identify", "check",
          "sbom", "resolve"]


def test_every_public_function_is_exported_lazily() -> None:
    for name in PUBLIC:
        assert getattr(licencecmp, name) is getattr(api, name)
        assert name in dir(licencecmp)


@pytest.mark.parametrize("name", [n for n in api.__all__ if inspect.isfunction(getattr(api, n))]
                         + ["Table.render", "Sbom.render"])
def test_every_docstring_has_an_example_that_runs(name: str) -> None:
    obj = api
    for part in name.split("."):
        obj = getattr(obj, part)
    tests = [t for t in doctest.DocTestFinder().find(obj, name, globs={}) if t.examples]
    assert tests, f"{name} has no doctest example"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for t in tests:
        runner.run(t)
    assert runner.summarize(verbose=False).failed == 0


def test_module_and_package_doctests() -> None:
    for module in (api, licencecmp):
        assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0


def test_facts_follow_the_facts_table() -> None:
    params = [f.name for f in FACT_TABLE]
    assert list(api.FACTS) == params
    schema = api.CanInput.model_json_schema()
    assert set(params) <= set(schema["properties"]) and schema["required"] == ["licence", "action"]


def test_bool_of_a_decision_is_whether_it_permits() -> None:
    refused = licencecmp.can("llama-3.1", "commercial-use", mau=800_000_000)
    allowed = licencecmp.can("mit", "use")
    assert not refused.permits and not refused
    assert allowed.permits and allowed


def test_can_matches_the_cli(cli: Cli) -> None:
    cases: list[tuple[str, str, dict[str, Any], list[str]]] = [
        ("llama-3.1", "commercial-use", {"mau": 800_000_000}, ["--mau", "800000000"]),
        ("meta-llama/Llama-3.2-11B-Vision-Instruct", "use", {"region": "FR"}, ["--region", "FR"]),
        ("MIT AND llama-3.1", "distribute", {}, []),
    ]
    for licence, action, facts, flags in cases:
        code, out, _ = cli("can", licence, action, *flags, "--format", "json")
        decision = licencecmp.can(licence, action, **facts)
        assert json.loads(decision.model_dump_json()) == json.loads(out)
        assert code == (0 if decision else 1)


def test_unknown_fact_is_a_scenario_error_with_a_suggestion() -> None:
    with pytest.raises(ScenarioError, match="did you mean 'mau'"):
        licencecmp.can("mit", "use", mauu=5)  # type: ignore[call-arg]  # the run-time check


@pytest.mark.parametrize("used_in", [[1], 5, ["DE", None]])
def test_places_that_are_not_codes_are_a_scenario_error(used_in: object) -> None:
    with pytest.raises(ScenarioError, match="used_in must be country codes"):
        licencecmp.can("mit", "use", used_in=used_in)  # type: ignore[arg-type]  # the run-time check


def test_compare_renders_to_every_format() -> None:
    from licencecmp.render.table import FORMATS

    table = licencecmp.compare(["llama-3.1", "mit"], ["use", "serve"], mau=10)
    assert [r.licence for r in table.rows] == ["llama-3.1", "mit"]
    for fmt in (*FORMATS, "html-page"):
        assert "llama-3.1" in table.render(fmt)
    assert json.loads(table.render("json"))["rows"][0]["licence"] == "llama-3.1"


def test_results_carry_the_cli_json_fields(cli: Cli) -> None:
    _, out, _ = cli("openness", "llama-3.1", "--format", "json")
    assert set(json.loads(out)) == set(licencecmp.openness("llama-3.1").model_dump())
    _, out, _ = cli("compat", "mit", "gpl-3.0", "--format", "json")
    assert json.loads(out) == json.loads(licencecmp.compat("mit", "gpl-3.0").model_dump_json())
    _, out, _ = cli("matrix", "mit", "gpl-3.0", "--format", "json")
    m = licencecmp.matrix(["mit", "gpl-3.0"])
    cli_cells = {(c["upstream"], c["outbound"]): c["verdict"] for c in json.loads(out)["cells"]}
    assert cli_cells == {(c.upstream, c.outbound): c.verdict.value for c in m.cells}


def test_combine_accepts_models_and_lists() -> None:
    c = licencecmp.combine(base="deepseek-ai/DeepSeek-R1-Distill-Llama-8B", data=["mit"])
    assert {i.licence for i in c.inputs} == {"mit", "llama-3.1"}
    with pytest.raises(LicencecmpError):
        licencecmp.combine()


def test_identify_path_and_text(tmp_path: Path) -> None:
    lic = licencecmp.get("mit")
    text = "\n".join(e.quote for r in lic.actions.values() for e in r.evidence)
    path = tmp_path / "LICENSE"
    path.write_text(text, encoding="utf-8")
    assert licencecmp.identify(path).licence == licencecmp.identify(str(path)).licence \
        == licencecmp.identify(text).licence


def test_check_finds_the_policy_as_the_cli_does(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "app.py").write_text('MODEL = "meta-llama/Llama-3.1-8B"\n', encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.licencecmp]\nactions = ["commercial-use"]\n'
                                             "mau = 800000000\n", encoding="utf-8")
    report = licencecmp.check(tmp_path)
    code, out, _ = cli("check", str(tmp_path), "--format", "json")
    assert report.policy is not None and report.policy.endswith("pyproject.toml")
    assert report.exit_code == code == 1
    assert [m.verdict for m in report.models] == [m["verdict"] for m in json.loads(out)["models"]]
    assert licencecmp.check(tmp_path, policy=None).exit_code == 1
    other = tmp_path / "other.toml"
    other.write_text('actions = ["use"]\nmau = 1000\n', encoding="utf-8")
    assert licencecmp.check(tmp_path, policy=other).exit_code == 0


def test_resolve_is_the_registry_answer() -> None:
    r = licencecmp.resolve("deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
    entry = licencecmp.catalogue().model("deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
    assert (r.model, r.licence, r.source) == (entry.id, entry.licence, "registry")
    assert licencecmp.resolve("llama3.1").model is None
