"""`licencecmp check` end to end on sample repositories built in tmp_path: what it finds (with
locations), the verdicts under the policy, exit codes, and every output format."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

import licencecmp
from licencecmp.scan.check import RULES, run_check
from licencecmp.scan.policy import load_policy
from tests.conftest import ROOT, Cli
from tests.fixtures.check.support import (
    APP_CONFIG,
    APP_MAIN,
    GEMMA_CARD,
    SPDX_JSON,
    binary_and_loop_repo,
    gemma_card_repo,
    git_init,
    line_of,
    need,
    python_app,
    shipped_catalogue,
    spdx_repo,
    write_tree,
)

FIXTURES = ROOT / "tests" / "fixtures" / "check"
LLAMA, QWEN, GEMMA = "meta-llama/Llama-3.1-8B", "Qwen/Qwen2.5-72B-Instruct", "google/gemma-2-9b"


def check_json(cli: Cli, root: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = cli("check", str(root), "--format", "json", *extra)
    return code, json.loads(out)


def model(data: dict[str, Any], name: str) -> dict[str, Any]:
    return next(m for m in data["models"] if m["model"] == name)


# -- what it finds ------------------------------------------------------------------------------


@pytest.mark.parametrize("with_git", [False, True])
def test_python_app_models_found_with_file_and_line(tmp_path: Path, cli: Cli,
                                                    with_git: bool) -> None:
    need(LLAMA, QWEN)
    python_app(tmp_path, 'actions = ["use"]\n')
    if with_git:
        git_init(tmp_path)
    code, data = check_json(cli, tmp_path)
    assert data["git"] is with_git
    names = [m["model"] for m in data["models"]]
    assert sorted(names) == sorted([LLAMA, QWEN])  # not the -renamed id, not the one in README prose
    llama = {(loc["path"], loc["line"]) for loc in model(data, LLAMA)["locations"]}
    assert llama == {("app/main.py", line_of(APP_MAIN, 'LLAMA = "meta')),
                     ("app/main.py", line_of(APP_MAIN, 'from_pretrained("meta'))}
    qwen = {(loc["path"], loc["line"], loc["source"]) for loc in model(data, QWEN)["locations"]}
    assert qwen == {("app/main.py", line_of(APP_MAIN, "Qwen/"), "code"),
                    ("config/serve.yaml", line_of(APP_CONFIG, "Qwen/"), "config")}
    col = next(loc["column"] for loc in model(data, QWEN)["locations"] if loc["path"] == "config/serve.yaml")
    assert col == APP_CONFIG.splitlines()[line_of(APP_CONFIG, "Qwen/") - 1].index("Qwen/") + 1
    assert code == 0


def test_verdicts_follow_the_policy_and_the_engine(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA, QWEN)
    python_app(tmp_path, 'mau = 800_000_000\nactions = ["use", "commercial-use", "serve"]\n')
    code, data = check_json(cli, tmp_path)
    assert code == 1
    for m in data["models"]:
        for r in m["results"]:
            expected = licencecmp.can(m["model"], r["action"], mau=800_000_000).verdict.value
            assert r["verdict"] == expected, (m["model"], r["action"])
    llama = {r["action"]: r for r in model(data, LLAMA)["results"]}
    assert llama["commercial-use"]["verdict"] == "needs-permission" and llama["commercial-use"]["status"] == "fail"
    qwen = {r["action"]: r["verdict"] for r in model(data, QWEN)["results"]}
    assert qwen["commercial-use"] == "needs-permission"  # Qwen's 100 million MAU ceiling
    rules = {(f["rule"], f["model"], f["action"]) for f in data["findings"] if f["level"] == "error"}
    assert ("needs-permission", LLAMA, "commercial-use") in rules
    assert data["exit_code"] == 1 and data["summary"]["violations"] == len(
        [f for f in data["findings"] if f["level"] == "error" and not f["waived_by"]])


def test_small_company_passes_with_obligations(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA, QWEN)
    python_app(tmp_path, 'mau = 10_000\nactions = ["commercial-use", "distribute-derivative"]\n')
    code, out, _ = cli("check", str(tmp_path))
    assert code == 0
    assert out.splitlines()[-1].startswith("Result: OK")
    assert "Built with Llama" in out  # the to-do list carries the wording the licence fixes
    # issue 15: passing models get one line each, then their obligations once, with the models
    assert any(line.split()[:2] == ["ok", LLAMA] for line in out.splitlines())
    todo = out[out.index("To do ("):]
    assert "[ ]" in todo and LLAMA in todo


def test_model_card_with_gemma_base_model(tmp_path: Path, cli: Cli) -> None:
    need(GEMMA, "gemma", "apache-2.0")
    card = GEMMA_CARD.replace("license: gemma", "license: apache-2.0")  # a fine-tune relicensed: Gemma follows
    gemma_card_repo(tmp_path, card)
    code, data = check_json(cli, tmp_path)
    (m,) = data["models"]
    assert m["model"] == tmp_path.name and m["licences"] == ["apache-2.0"]
    assert "gemma" in m["upstream"]
    assert m["locations"] == [{"path": "README.md", "line": line_of(card, "license:"), "column": None,
                               "source": "model-card"}]
    assert any(data["obligations"][o]["licence"] == "gemma" for o in m["obligations"])
    # issue 15: an apache-2.0 card cannot carry Gemma's terms: a licence-conflict naming both, failing
    conflicts = [f for f in data["findings"] if f["kind"] == "licence-conflict"]
    assert conflicts and "apache-2.0" in conflicts[0]["message"] and GEMMA in conflicts[0]["message"]
    assert code == 1


def test_model_card_other_licence_resolved_or_reported(tmp_path: Path, cli: Cli) -> None:
    need("qwen")
    card = "---\nlicense: other\nlicense_name: qwen\nlicense_link: LICENSE\n---\n# x\n"
    gemma_card_repo(tmp_path / "known", card)
    code, data = check_json(cli, tmp_path / "known")
    assert data["models"][0]["licences"] == ["qwen"] and code == 0
    card = "---\nlicense: other\nlicense_name: acme-secret-licence\n---\n# x\n"
    gemma_card_repo(tmp_path / "unknown", card)
    code, data = check_json(cli, tmp_path / "unknown")
    assert code == 1
    (f,) = [f for f in data["findings"] if f["rule"] == "unknown-licence"]
    assert "acme-secret-licence" in f["message"] and "README.md:2" in f["message"]
    assert data["models"][0]["results"][0]["verdict"] is None
    write_tree(tmp_path / "unknown", {"licencecmp.toml": "allow_unknown = true\n"})
    code, data = check_json(cli, tmp_path / "unknown")
    assert code == 0 and data["summary"]["warnings"] >= 1


def test_spdx_sbom_models(tmp_path: Path, cli: Cli) -> None:
    need("meta-llama/Llama-3.1-8B-Instruct")
    spdx_repo(tmp_path)
    code, data = check_json(cli, tmp_path)
    names = {m["model"] for m in data["models"]}
    assert names == {"meta-llama/Llama-3.1-8B-Instruct", "acme/ranker"}  # not the requests package
    llama = model(data, "meta-llama/Llama-3.1-8B-Instruct")
    assert llama["licences"] == ["llama-3.1"]
    assert llama["locations"][0]["path"] == "sbom/assistant.spdx.json"
    assert llama["locations"][0]["line"] == line_of(SPDX_JSON, '"SPDXID": "SPDXRef-llama"')
    ranker = model(data, "acme/ranker")
    assert ranker["status"] == "fail" and ranker["verdict"] is None  # NOASSERTION: licence unknown
    assert code == 1


def test_binary_files_and_symlink_loop(tmp_path: Path, cli: Cli) -> None:
    need("deepseek-ai/DeepSeek-R1")
    binary_and_loop_repo(tmp_path)
    code, data = check_json(cli, tmp_path)
    assert [m["model"] for m in data["models"]] == ["deepseek-ai/DeepSeek-R1"]  # not the Llama in the binary
    reasons = {s["path"]: s["reason"] for s in data["skipped"]}
    assert reasons["weights/model.safetensors"] == "binary file"
    assert reasons["img/logo.png"] == "binary file"
    assert "loop" in reasons["loop-a"] and "loop" in reasons["loop-b"]
    assert "out of the tree" in reasons["outside-file"]
    assert "not followed" in reasons["outside-dir"] and "not followed" in reasons["src/parent"]
    assert code == 0


def test_size_limit_is_reported(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA)
    write_tree(tmp_path, {"big.py": "# " + "x" * 5000 + f'\nM = "{LLAMA}"\n', "small.py": f'M = "{LLAMA}"\n'})
    code, data = check_json(cli, tmp_path, "--max-file-size", "1000")
    assert [loc["path"] for loc in data["models"][0]["locations"]] == ["small.py"]
    assert data["skipped"][0]["path"] == "big.py" and "size limit" in data["skipped"][0]["reason"]
    assert code == 0


# -- policy lists, waivers, overrides -----------------------------------------------------------


def test_deny_by_kind_and_allow_list(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA, QWEN)
    python_app(tmp_path, 'actions = ["use"]\ndeny = { kinds = ["community"] }\n')
    code, data = check_json(cli, tmp_path)
    denied = {f["model"] for f in data["findings"] if f["rule"] == "denied-by-policy"}
    kinds = {m: licencecmp.get(model(data, m)["licences"][0]).kind.value for m in (LLAMA, QWEN)}
    assert denied == {m for m, k in kinds.items() if k == "community"} and denied
    assert code == 1
    (tmp_path / "licencecmp.toml").write_text('actions = ["use"]\nallow = { licences = ["llama3.1"] }\n')
    code, data = check_json(cli, tmp_path)
    denied = {f["model"] for f in data["findings"] if f["rule"] == "denied-by-policy"}
    assert denied == {QWEN} and code == 1
    assert "not on the policy's allow list" in next(f["message"] for f in data["findings"]
                                                     if f["rule"] == "denied-by-policy")


def test_open_source_selector(tmp_path: Path, cli: Cli) -> None:
    need("deepseek-ai/DeepSeek-R1", LLAMA)
    write_tree(tmp_path, {"a.py": '"deepseek-ai/DeepSeek-R1"\n"meta-llama/Llama-3.1-8B"\n',
                          "licencecmp.toml": "allow = { open_source = true }\n"})
    code, data = check_json(cli, tmp_path)
    denied = {f["model"] for f in data["findings"] if f["rule"] == "denied-by-policy"}
    assert denied == {LLAMA} and code == 1  # MIT is open source, the Llama licence is not


def test_waivers_live_and_expired(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA, QWEN)
    policy = ('mau = 800_000_000\nactions = ["commercial-use"]\n'
              '[[waivers]]\nmodel = "meta-llama/Llama-3.1-8B"\nreason = "Meta granted a licence, LEGAL-1"\n'
              'expires = 2999-12-31\n'
              '[[waivers]]\nlicence = "qwen"\nreason = "Alibaba licence, LEGAL-2"\nexpires = 2999-01-01\n')
    python_app(tmp_path, policy)
    code, data = check_json(cli, tmp_path)
    assert code == 0, [f["message"] for f in data["findings"] if f["level"] == "error" and not f["waived_by"]]
    assert {m["status"] for m in data["models"]} == {"waived"}
    assert all("LEGAL" in f["waived_by"] for f in data["findings"] if f["level"] == "error")
    (tmp_path / "licencecmp.toml").write_text(policy.replace("2999-01-01", "2001-02-03"))
    code, out, _ = cli("check", str(tmp_path))
    assert code == 1
    assert "expired-waiver" in out and "expired on 2001-02-03" in out and "licencecmp.toml:" in out


def test_unused_waiver_is_a_note_and_unknown_waiver_model_an_error(tmp_path: Path,
                                                                     cli: Cli) -> None:
    need(LLAMA)
    text = '[[waivers]]\nmodel = "meta-llama/Llama-3.1-8B"\nreason = "r"\nexpires = 2999-01-01\n'
    write_tree(tmp_path, {"a.py": f'"{LLAMA}"\n', "licencecmp.toml": text})
    code, data = check_json(cli, tmp_path)
    assert code == 0 and [f["rule"] for f in data["findings"] if f["rule"] == "unused-waiver"] == ["unused-waiver"]
    (tmp_path / "licencecmp.toml").write_text(text.replace(LLAMA, "nobody/nothing"))
    code, out, err = cli("check", str(tmp_path))
    assert code == 2 and out == ""
    assert "licencecmp.toml:2" in err and "waivers[0].model" in err and "nobody/nothing" in err


def test_overrides_replace_the_actions_of_one_model(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA, QWEN)
    python_app(tmp_path, f'actions = ["use"]\n[[overrides]]\nmodel = "{QWEN}"\nactions = ["serve", "modify"]\n')
    _, data = check_json(cli, tmp_path)
    assert [r["action"] for r in model(data, QWEN)["results"]] == ["serve", "modify"]
    assert [r["action"] for r in model(data, LLAMA)["results"]] == ["use"]


def test_private_model_declared_in_pyproject(tmp_path: Path, cli: Cli) -> None:
    pyproject = ('[project]\nname = "x"\n\n[tool.licencecmp]\nactions = ["distribute"]\n'
                 'models = [{ id = "acme/ranker", licence = "mit" }]\n')
    write_tree(tmp_path, {"pyproject.toml": pyproject})
    code, data = check_json(cli, tmp_path)
    (m,) = data["models"]
    assert m["model"] == "acme/ranker" and m["licences"] == ["mit"]
    assert m["locations"][0] == {"path": "pyproject.toml", "line": line_of(pyproject, "models ="),
                                 "column": None, "source": "policy"}
    assert code == 0 and data["policy"].endswith("pyproject.toml")


# -- errors -------------------------------------------------------------------------------------


def test_broken_policy_exits_2_naming_file_key_and_line(tmp_path: Path, cli: Cli) -> None:
    policy = 'mau = 5\nactions = ["use", "sell-it"]\n'
    python_app(tmp_path, policy)
    code, out, err = cli("check", str(tmp_path))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"licencecmp.toml:{line_of(policy, 'sell-it')}" in err and "actions[1]" in err and "sell-it" in err


def test_broken_model_card_is_an_input_error(tmp_path: Path, cli: Cli) -> None:
    card = "---\nlicense: mit\nbase_model: [unclosed\n---\n"
    write_tree(tmp_path, {"README.md": card})
    code, out, err = cli("check", str(tmp_path))
    assert code == 2
    assert "README.md:" in err and "YAML" in err and err.count("\n") == 1
    assert "Result: ERROR" in out  # the report still says what it could


def test_path_errors(tmp_path: Path, cli: Cli) -> None:
    assert cli("check", str(tmp_path / "nope"))[0] == 2
    (tmp_path / "f.py").write_text("x = 1\n")
    code, _, err = cli("check", str(tmp_path / "f.py"))
    assert code == 2 and "not a directory" in err
    code, _, err = cli("check", str(tmp_path), "--policy", str(tmp_path / "missing.toml"))
    assert code == 2 and "missing.toml" in err
    code, _, err = cli("check", str(tmp_path), "--obligations-only", "--format", "sarif")
    assert code == 2 and "--obligations-only" in err


# -- formats ------------------------------------------------------------------------------------


@pytest.fixture
def failing_app(tmp_path: Path) -> Path:
    need(LLAMA, QWEN)
    return python_app(tmp_path, 'mau = 800_000_000\nactions = ["use", "commercial-use"]\n'
                                '[[waivers]]\nlicence = "qwen"\nreason = "granted"\nexpires = 2999-01-01\n')


def test_json_is_stable_and_versioned(failing_app: Path, cli: Cli) -> None:
    code, data = check_json(cli, failing_app)
    assert code == 1 and data["schema_version"] == "7" and data["tool"] == "licencecmp"
    assert set(data) >= {"models", "findings", "skipped", "errors", "summary", "exit_code", "scenario", "actions",
                         "decisions", "obligations"}
    assert set(data["models"][0]) >= {"model", "licences", "upstream", "verdict", "status", "locations", "results",
                                      "obligations"}
    # schema 7: each decision and obligation is written once, in a table, and referred to by id
    for m in data["models"]:
        for r in m["results"]:
            assert r["decision"] is None or data["decisions"][r["decision"]]["action"] == r["action"]
        assert all(isinstance(o, str) and o in data["obligations"] for o in m["obligations"])
    assert {f["rule"] for f in data["findings"]} <= set(RULES)
    assert any(f["waived_by"] == "granted (waiver until 2999-01-01)" for f in data["findings"])


def test_sarif_validates_against_the_official_schema(failing_app: Path, cli: Cli) -> None:
    import jsonschema  # type: ignore[import-untyped]  # no type stubs for jsonschema in the lint extra

    code, out, _ = cli("check", str(failing_app), "--format", "sarif")
    log = json.loads(out)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(log)
    (run_,) = log["runs"]
    results = run_["results"]
    _, data = check_json(cli, failing_app)
    assert len(results) == len(data["findings"])  # one result per finding
    llama = next(r for r in results if r["ruleId"] == "needs-permission" and r["properties"]["model"] == LLAMA)
    region = llama["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "app/main.py"
    assert region["region"]["startLine"] in {line_of(APP_MAIN, 'LLAMA = "meta'), line_of(APP_MAIN, '("meta')}
    waived = [r for r in results if r.get("suppressions")]
    assert waived and all(r["properties"]["licence"] == "qwen" for r in waived)
    rule_ids = [r["id"] for r in run_["tool"]["driver"]["rules"]]
    assert all(rule_ids[r["ruleIndex"]] == r["ruleId"] for r in results)
    assert code == 1


def test_sarif_with_file_errors_is_still_valid(tmp_path: Path, cli: Cli) -> None:
    import jsonschema

    write_tree(tmp_path, {"README.md": "---\nlicense: [\n---\n", "sbom.cdx.json": '{"bomFormat": "CycloneDX", '})
    code, out, _ = cli("check", str(tmp_path), "--format", "sarif")
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    log = json.loads(out)
    jsonschema.Draft4Validator(schema).validate(log)
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert code == 2 and len(notes) == 2


def test_junit_one_testcase_per_model_and_action(failing_app: Path, cli: Cli) -> None:
    code, out, _ = cli("check", str(failing_app), "--format", "junit")
    root = ET.fromstring(out)
    suite = root.find("testsuite")
    assert suite is not None
    cases = suite.findall("testcase")
    assert sorted((c.get("classname"), c.get("name")) for c in cases) == sorted(
        (m, a) for m in (LLAMA, QWEN) for a in ("use", "commercial-use"))
    failed = {(c.get("classname"), c.get("name")) for c in cases if c.find("failure") is not None}
    expected = {(LLAMA, a) for a in ("use", "commercial-use")
                if not licencecmp.can(LLAMA, a, mau=800_000_000).verdict.permits}
    assert failed == expected and expected  # Qwen's findings are waived
    assert suite.get("tests") == str(len(cases)) and suite.get("failures") == str(len(failed))
    assert code == 1
    # issue 22: the suite says it counts per action, and its properties count per model as the text does
    assert "per model and action" in (suite.get("name") or "")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    _, text, _ = cli("check", str(failing_app))
    assert f"in {props['failed-models']} of {props['models']} model(s)" in text.splitlines()[-1]
    assert props["failed-models"] == "1" and props["models"] == "2"


def test_github_annotations(failing_app: Path, cli: Cli) -> None:
    code, out, _ = cli("check", str(failing_app), "--format", "github")
    errors = [ln for ln in out.splitlines() if ln.startswith("::error ")]
    assert errors and all("file=app/main.py,line=" in ln for ln in errors)
    assert any("title=licencecmp needs-permission::" in ln for ln in errors)
    assert all("\n" not in ln.split("::", 2)[2] for ln in errors)
    assert code == 1


def test_markdown_for_a_pr_comment(failing_app: Path, cli: Cli) -> None:
    code, out, _ = cli("check", str(failing_app), "--format", "markdown")
    assert out.startswith("### licencecmp check: ❌")
    assert f"| ❌ fail | `{LLAMA}` |" in out and "<details><summary>Obligations" in out
    assert code == 1
    # issue 22: readable raw, escaping only what Markdown and HTML need (not ':' and '(')
    assert "&#58;" not in out and "&#40;" not in out and "&#41;" not in out
    assert f"{LLAMA}: commercial-use is needs-permission under llama-3.1" in out


def test_explain_quotes_the_clauses(failing_app: Path, cli: Cli) -> None:
    _, plain, _ = cli("check", str(failing_app))
    _, explained, _ = cli("check", str(failing_app), "--explain")
    decision = licencecmp.can(LLAMA, "commercial-use", mau=800_000_000)
    quote = decision.evidence[-1].quote
    assert quote[:40] in explained.replace("\n          ", " ") and "Clauses:" in explained
    assert "Clauses:" not in plain


def test_obligations_only_checklist(tmp_path: Path, cli: Cli) -> None:
    need(LLAMA)
    write_tree(tmp_path, {"a.py": f'"{LLAMA}"\n', "licencecmp.toml": 'actions = ["distribute-derivative"]\n'})
    code, out, _ = cli("check", str(tmp_path), "--obligations-only")
    decision = licencecmp.can(LLAMA, "distribute-derivative")
    assert code == 0 and out.startswith("Release checklist")
    assert out.count("[ ]") == len(decision.obligations)
    assert "Built with Llama" in out and "Notice" in out
    code, out, _ = cli("check", str(tmp_path), "--obligations-only", "--format", "json")
    data = json.loads(out)
    assert [o["id"] for o in data["obligations"][0]["obligations"]] == [o.id for o in decision.obligations]


def test_output_is_atomic(failing_app: Path, tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "out" / "report.sarif"
    target.parent.mkdir()
    code, out, _ = cli("check", str(failing_app), "--format", "sarif", "--output", str(target))
    assert code == 1 and json.loads(target.read_text())["version"] == "2.1.0"
    assert "written to" in out and os.listdir(target.parent) == ["report.sarif"]
    before = target.read_text()
    (failing_app / "licencecmp.toml").write_text("mau = -1\n")  # a failed run ...
    code, _, _ = cli("check", str(failing_app), "--format", "sarif", "--output", str(target))
    assert code == 2 and target.read_text() == before  # ... leaves the old report whole
    assert os.listdir(target.parent) == ["report.sarif"]  # and no temporary file


def test_no_progress_output_when_stderr_is_not_a_terminal(failing_app: Path,
                                                          cli: Cli) -> None:
    _, _, err = cli("check", str(failing_app))
    assert err == ""


def test_progress_bar_on_a_terminal() -> None:
    import io

    from licencecmp.cli.output import Progress

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Tty()
    bar = Progress(stream)
    bar.DELAY = 0.0
    bar(10, 100)
    bar(100, 100)
    assert "10/100 files" in stream.getvalue() and stream.getvalue().endswith("\r\033[K")
    quiet = io.StringIO()
    Progress(quiet)(10, 100)
    assert quiet.getvalue() == ""


def test_run_check_api(tmp_path: Path) -> None:
    need(LLAMA)
    write_tree(tmp_path, {"a.py": f'"{LLAMA}"\n', "licencecmp.toml": 'mau = 800_000_000\nactions = ["use"]\n'})
    policy, source = load_policy(tmp_path / "licencecmp.toml", shipped_catalogue())
    report = run_check(tmp_path, policy, source)
    assert report.models[0].model == LLAMA
    expected = licencecmp.can(LLAMA, "use", mau=800_000_000).verdict
    assert report.models[0].results[0].verdict is expected
    assert report.exit_code == (0 if expected.permits else 1)


def _first_model_with(verdict: str) -> tuple[str, str]:
    cat = shipped_catalogue()
    for m in cat.models():
        for action in licencecmp.Action:
            if licencecmp.can(m.id, action).verdict.value == verdict:
                return m.id, action.value
    pytest.skip(f"no registry model has a {verdict} verdict without facts")


def test_unclear_warns_unless_the_policy_says_fail(tmp_path: Path, cli: Cli) -> None:
    name, action = _first_model_with("unclear")
    write_tree(tmp_path, {"a.py": f'"{name}"\n', "licencecmp.toml": f'actions = ["{action}"]\n'})
    code, data = check_json(cli, tmp_path)
    (f,) = [f for f in data["findings"] if f["rule"] == "unclear"]
    assert f["level"] == "warning" and data["models"][0]["status"] == "warn" and code == 0
    (tmp_path / "licencecmp.toml").write_text(f'actions = ["{action}"]\nfail_on_unclear = true\n')
    code, data = check_json(cli, tmp_path)
    assert code == 1 and data["models"][0]["status"] == "fail"


def test_prohibited_fails(tmp_path: Path, cli: Cli) -> None:
    name, action = _first_model_with("prohibited")
    write_tree(tmp_path, {"cfg.toml": f'model = "{name}"\n', "licencecmp.toml": f'actions = ["{action}"]\n'})
    code, out, _ = cli("check", str(tmp_path))
    assert code == 1 and out.startswith("licencecmp check") and "✗ prohibited" in out
    assert "cfg.toml:1:10 (config)" in out


def test_sarif_rules_carry_their_help_and_no_invented_address(failing_app: Path, cli: Cli) -> None:
    """Issue 22: informationUri/helpUri pointed at a package index page that does not exist."""
    import jsonschema

    from licencecmp.render.sarif import docs_url, sarif_log
    from licencecmp.scan.check import run_check
    from licencecmp.scan.policy import find_policy_up

    _, out, _ = cli("check", str(failing_app), "--format", "sarif")
    log = json.loads(out)
    driver = log["runs"][0]["tool"]["driver"]
    assert "pypi.org" not in out and "informationUri" not in driver
    assert all(r["help"]["text"].startswith(r["shortDescription"]["text"]) for r in driver["rules"])
    assert "helpUri" not in driver["rules"][0]
    page = docs_url("https://github.com", "acme/licencecmp", "a" * 40)
    report = run_check(failing_app, *load_policy(find_policy_up(failing_app)))
    linked = sarif_log(report, page)
    schema = json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator(schema).validate(linked)
    rules = linked["runs"][0]["tool"]["driver"]["rules"]
    assert {r["helpUri"] for r in rules} == {f"{page}#{rid}" for rid in RULES}
    headings = {line[3:] for line in (ROOT / "docs" / "rules.md").read_text(encoding="utf-8").splitlines()
                if line.startswith("## ")}
    assert headings == set(RULES)  # every anchor exists on the page
