"""The MCP tools' contract, in process (no SDK needed): strict arguments with the nearest names, one
name for the subject, capped inputs and messages, compact answers by default and the API's result
with ``detail: "full"`` (issue 23 §1)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import licencecmp
from licencecmp.errors import InputError
from licencecmp.mcp.tools import ECHO, MAX_STRING, TOOLS, answer, check_arguments, input_schema, text_of

SUBJECT = {"can", "show", "openness", "resolve"}


def call(name: str, **args: Any) -> dict[str, Any]:
    spec = TOOLS[name]
    checked = check_arguments(spec, args)
    detail = checked.pop("detail", "compact")
    return answer(spec, spec.call(checked), detail)


def test_every_schema_forbids_unknown_properties_and_the_subject_is_licence() -> None:
    assert set(TOOLS) == {"can", "show", "compare", "compat", "combine", "openness", "resolve", "check"}
    for name, spec in TOOLS.items():
        schema = input_schema(spec)
        assert schema["additionalProperties"] is False, name
        assert set(spec.required) <= set(schema["properties"]), name
        assert "detail" in schema["properties"] and "online" in schema["properties"], name
        assert not {"name", "model_id", "model"} & set(schema["properties"]), name
        if name in SUBJECT:
            assert "licence" in spec.required, name
    assert "licences" in TOOLS["compare"].required


@pytest.mark.parametrize(("tool", "args", "hint"), [
    ("can", {"licence": "llama-3.1", "action": "commercial-use", "monthly_active_users": 800_000_000}, "'mau'"),
    ("can", {"licence": "hunyuan", "action": "use", "country": "FR"}, "'region'"),
    ("can", {"licence": "mit", "action": "use", "muu": 5}, "'mau'"),
    ("show", {"name": "llama-3.1"}, "'licence'"),
    ("resolve", {"model_id": "deepseek-ai/DeepSeek-R1"}, "'licence'"),
    ("compare", {"licences": ["mit"], "facts": []}, "'columns'"),
    ("combine", {"base": "llama-3.1", "teachr": "gemma"}, "'teacher'"),
    ("check", {"path": ".", "polcy": "x.toml"}, "'policy'"),
])
def test_an_unknown_argument_fails_with_the_nearest_names(tool: str, args: dict[str, Any], hint: str) -> None:
    with pytest.raises(InputError, match="did you mean") as info:
        check_arguments(TOOLS[tool], args)
    assert hint in str(info.value) and "\n" not in str(info.value)


def test_the_dropped_argument_would_have_changed_the_verdict() -> None:
    """Why strictness matters: the fact meant changes the verdict, so dropping it is a false answer."""
    stated = call("can", licence="llama-3.1", action="commercial-use", mau=800_000_000)
    unstated = call("can", licence="llama-3.1", action="commercial-use")
    assert stated["verdict"] == "needs-permission" != unstated["verdict"]


@pytest.mark.parametrize(("args", "message"), [
    ({"licence": "mit", "action": "use", "mau": "800M"}, "'mau' of can must be integer"),
    ({"licence": "mit", "action": "use", "commercial": "yes"}, "must be boolean"),
    ({"licence": 5, "action": "use"}, "'licence' of can must be string"),
    ({"licence": "mit", "action": "use", "detail": "everything"}, "one of compact, full"),
    ({"action": "use"}, "can needs 'licence'"),
])
def test_values_of_the_wrong_type_are_refused(args: dict[str, Any], message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_arguments(TOOLS["can"], args)


def test_null_is_the_same_as_left_out() -> None:
    assert check_arguments(TOOLS["can"], {"licence": "mit", "action": "use", "mau": None}) == {
        "licence": "mit", "action": "use"}


@pytest.mark.parametrize("args", [
    {"licence": "x" * 20_000_000, "action": "use"},
    {"licence": "mit", "action": "use", "y" * 20_000_000: 1},
    {"licence": "mit", "action": "use", "used_in": ["DE"] * 100_000},
    {"licence": "mit", "action": "use", "used_in": [[["DE"]]]},
])
def test_huge_arguments_are_refused_without_being_echoed(args: dict[str, Any]) -> None:
    with pytest.raises(InputError) as info:
        check_arguments(TOOLS["can"], args)
    assert len(str(info.value)) < 400 + ECHO


def test_combine_takes_a_name_or_a_list_in_each_role() -> None:
    one = call("combine", base="llama-3.1", data="cc-by-nc-4.0", detail="full")
    many = call("combine", base=["llama-3.1"], data=["cc-by-nc-4.0"], detail="full")
    assert one == many == json.loads(licencecmp.combine(base="llama-3.1", data="cc-by-nc-4.0").model_dump_json())
    assert call("compare", licences="mit", actions=["use"], columns=[])["rows"][0]["licence"] == "mit"


def test_compact_is_the_verdict_conditions_obligations_and_clause_labels() -> None:
    full = call("can", licence="llama-3.1", action="distribute-derivative", detail="full")
    small = call("can", licence="llama-3.1", action="distribute-derivative")
    assert full == json.loads(licencecmp.can("llama-3.1", "distribute-derivative").model_dump_json())
    assert small["verdict"] == full["verdict"] and small["conditions"] == full["conditions"]
    assert all(isinstance(o, str) and "\n" not in o for o in small["obligations"])
    assert len(small["obligations"]) == len(full["obligations"])
    assert "llama-3.1 §2" in small["clauses"]
    quotes = [e["quote"] for e in full["evidence"]]
    assert quotes and not any(q in json.dumps(small) for q in quotes)
    assert len(json.dumps(small)) < len(json.dumps(full)) / 2
    assert "verdict: " + full["verdict"] in text_of(small)


def test_combine_compact_names_each_verdict_once_and_each_obligation_once() -> None:
    full = call("combine", base="llama-3.1", teacher="gemma", detail="full")
    small = call("combine", base="llama-3.1", teacher="gemma")
    assert small["verdicts"] == {a: d["verdict"] for a, d in full["decisions"].items()}
    assert len(small["obligations"]) == len(set(small["obligations"]))
    assert len(json.dumps(small)) < len(json.dumps(full)) / 5


def test_check_compact_is_the_summary_and_the_failures(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text('from transformers import AutoModel\nA = "meta-llama/Llama-3.1-8B"\n'
                                     'B = AutoModel.from_pretrained("some-user/unknown-model")\n', encoding="utf-8")
    (tmp_path / "licencecmp.toml").write_text('actions = ["serve"]\nmau = 1000\n', encoding="utf-8")
    full = call("check", path=str(tmp_path), detail="full")
    small = call("check", path=str(tmp_path))
    api = json.loads(licencecmp.check(tmp_path).model_dump_json())
    def timeless(report: dict[str, Any]) -> dict[str, Any]:
        return {**report, "summary": {**report["summary"], "seconds": 0}}

    assert timeless(full) == timeless(api)
    assert small["exit_code"] == full["exit_code"] == 1
    assert small["summary"]["violations"] == full["summary"]["violations"] >= 1
    failing = [f for f in full["findings"] if f["level"] == "error" and not f.get("waived_by")]
    assert len(small["failures"]) == len(failing)
    assert any("some-user/unknown-model" in line and "app.py:3" in line for line in small["failures"])
    assert "findings" not in small and len(json.dumps(small)) < len(json.dumps(full)) / 3


def test_a_long_path_is_refused_not_read() -> None:
    with pytest.raises(InputError, match="too long"):
        check_arguments(TOOLS["check"], {"path": "a/" * MAX_STRING})
