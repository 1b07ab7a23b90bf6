"""The check report's JSON (schema 7): each decision and obligation written once, in the top-level
``decisions`` and ``obligations`` tables, models referring to them by id. Nothing is lost: every model,
action, verdict, status, decision (with its evidence), obligation and finding of the report can be read
back from the JSON, and the JSON reads back to the same report; a report of schema 6 (every decision
written in full in each model's results) is still read."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from licencecmp.data.catalogue import default_catalogue
from licencecmp.data.plain import jsonable
from licencecmp.render.report import PRETTY_JSON_MAX, report_json
from licencecmp.scan.check import CHECK_SCHEMA_VERSION, CheckReport, run_check
from licencecmp.scan.policy import Policy
from licencecmp.vocab import Action
from tests.conftest import ROOT
from tests.fixtures.check.support import gemma_card_repo, python_app, spdx_repo
from tests.scan.repos import APP_FILES, SECOND_FILES, write

ACTIONS = [Action.USE, Action.COMMERCIAL_USE, Action.SERVE, Action.DISTRIBUTE_DERIVATIVE]
USE_SERVE = [Action.USE, Action.SERVE]


def _bench_tree(root: Path, files: int) -> Path:
    """The benchmark's generated tree (notebooks, model cards, hundreds of models of every kind)."""
    spec = importlib.util.spec_from_file_location("scan_tree", ROOT / "benchmarks" / "scan_tree.py")
    assert spec is not None and spec.loader is not None
    module: Any = sys.modules.get("scan_tree")
    if module is None:
        module = importlib.util.module_from_spec(spec)
        sys.modules["scan_tree"] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    module.generate_tree(root, files, seed=3)
    return root


def _repos(tmp_path: Path) -> dict[str, Path]:
    return {
        "app": write(tmp_path / "app", APP_FILES),
        "second": write(tmp_path / "second", SECOND_FILES),
        "python_app": python_app(tmp_path / "python_app", 'mau = 800_000_000\nactions = ["use", "commercial-use"]\n'),
        "gemma_card": gemma_card_repo(tmp_path / "gemma_card"),
        "spdx": spdx_repo(tmp_path / "spdx"),
        "generated": _bench_tree(tmp_path / "generated", 800),  # its models depend on the registry: 80 at 943 entries
    }


def _facts_of_report(report: CheckReport) -> tuple[set[tuple[Any, ...]], list[Any], set[tuple[str, str]]]:
    """(model, action, verdict, status, decision) for every result, the findings, and (model, obligation)."""
    results = {(m.model, r.action.value, r.verdict.value if r.verdict else None, r.status,
                json.dumps(jsonable(r.decision), sort_keys=True) if r.decision is not None else None)
               for m in report.models for r in m.results}
    obligations = {(m.model, json.dumps(jsonable(o), sort_keys=True)) for m in report.models for o in m.obligations}
    return results, [f.model_dump(mode="json") for f in report.findings], obligations


def _facts_of_json(data: dict[str, Any]) -> tuple[set[tuple[Any, ...]], list[Any], set[tuple[str, str]]]:
    """The same, read from the JSON by following its references (as a consumer would)."""
    results = set()
    for m in data["models"]:
        for r in m["results"]:
            decision = None
            if r["decision"] is not None:
                decision = json.dumps({**data["decisions"][r["decision"]], "model": m["model"]}, sort_keys=True)
            results.add((m["model"], r["action"], r["verdict"], r["status"], decision))
    obligations = {(m["model"], json.dumps(data["obligations"][o], sort_keys=True))
                   for m in data["models"] for o in m["obligations"]}
    return results, data["findings"], obligations


def _schema_6(report: CheckReport) -> dict[str, Any]:
    """The report as schema 6 wrote it: every decision and obligation in full where it applies."""
    data: dict[str, Any] = report.model_dump(mode="json")
    del data["decisions"], data["obligations"]
    for m, out in zip(report.models, data["models"], strict=True):
        out["obligations"] = [jsonable(o) for o in m.obligations]
        for r, r_out in zip(m.results, out["results"], strict=True):
            r_out["decision"] = jsonable(r.decision) if r.decision is not None else None
    data["schema_version"] = "6"
    return data


def test_no_finding_is_lost_and_the_json_reads_back(tmp_path: Path) -> None:
    cat = default_catalogue()
    checked = 0
    for name, root in _repos(tmp_path).items():
        report = run_check(root, Policy(actions=ACTIONS, allow_unknown=True) if name == "generated" else None,
                           cat=cat)
        text = report_json(report)
        data = json.loads(text)
        assert data["schema_version"] == CHECK_SCHEMA_VERSION == "7", name
        assert _facts_of_json(data) == _facts_of_report(report), name
        assert data["summary"] == jsonable(report.summary), name
        assert json.loads(report.json_text()) == data == report.model_dump(mode="json"), name  # one shape
        assert CheckReport.model_validate_json(text) == report, name  # the JSON reads back to the same report
        old = CheckReport.model_validate(_schema_6(report))  # and so does schema 6's
        assert old.schema_version == "6" and old.model_copy(update={"schema_version": "7"}) == report, name
        checked += sum(len(m.results) for m in report.models)
    assert checked > 200  # the generated tree holds hundreds of models


def test_a_decision_shared_by_many_models_is_written_once(tmp_path: Path) -> None:
    cat = default_catalogue()
    by_licence: dict[tuple[str, Any], list[str]] = {}
    for m in cat.models():
        if not m.upstream and m.licence not in cat.unavailable:
            by_licence.setdefault((m.licence, m.modality), []).append(m.id)
    (licence, _), ids = max(by_licence.items(), key=lambda kv: len(kv[1]))
    assert len(ids) >= 5
    files = {f"m{i}.py": f'model = AutoModel.from_pretrained("{mid}")\n' for i, mid in enumerate(ids)}
    root = write(tmp_path / "repo", files)
    report = run_check(root, Policy(actions=USE_SERVE), cat=cat)
    data = json.loads(report_json(report))
    assert len(data["models"]) == len(ids)
    assert len(data["decisions"]) == 2 and all(d["licence"] == licence for d in data["decisions"].values())
    refs = {r["decision"] for m in data["models"] for r in m["results"]}
    assert refs == set(data["decisions"])
    assert all("model" not in d for d in data["decisions"].values())  # the model is the one that refers to it
    # the ids are stable: the same decision has the same id in another report
    one = run_check(write(tmp_path / "one", {"a.py": files["m0.py"]}), Policy(actions=USE_SERVE), cat=cat)
    assert set(json.loads(report_json(one))["decisions"]) == set(data["decisions"])


def test_large_reports_are_compact_small_ones_indented(tmp_path: Path) -> None:
    report = run_check(write(tmp_path / "app", APP_FILES), cat=default_catalogue())
    small = report_json(report)
    assert small.startswith('{\n  "schema_version"') and len(small) < PRETTY_JSON_MAX
    per_copy = len(json.dumps(json.loads(small)["models"], separators=(",", ":")))
    copies = PRETTY_JSON_MAX // per_copy + 2
    big = report_json(report.model_copy(update={"models": report.models * copies}))
    assert "\n" not in big.rstrip("\n") and json.loads(big)["models"] == json.loads(small)["models"] * copies


@pytest.mark.parametrize("bad", [{"decisions": {}, "models": [{"results": [{"decision": "nope"}]}]},
                                 {"decisions": [], "models": []}])
def test_a_broken_reference_is_an_error(bad: dict[str, Any]) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        CheckReport.model_validate(bad)


def test_undecodable_bytes_are_scrubbed_in_compact_output(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    (root / "b\udcff.py".encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")).write_text(
        'm = AutoModel.from_pretrained("acme/thing")\n')
    report = run_check(root, Policy(allow_unknown=True), cat=default_catalogue())
    text = report_json(report)
    text.encode("utf-8")  # no lone surrogate left
    assert "b\\\\xff.py" in text


def _former_report_json(report: CheckReport) -> str:
    """The JSON report as it was built before it was written in pieces: the whole text, then indented if small."""
    from licencecmp.render import escape as esc

    text = esc.scrub_json("".join([*report.json_parts(), "\n"]))
    return esc.json_text(json.loads(text), indent=2) + "\n" if len(text) <= PRETTY_JSON_MAX else text


def test_the_json_in_pieces_is_the_whole_text_and_never_held_whole(tmp_path: Path) -> None:
    """Issue 26: a large JSON report is written as it is encoded. The pieces join to the text the report had when
    it was built whole (indented when small, compact when large), and past the size that decides between
    the two no piece holds more than one model, one finding or one table entry."""
    from licencecmp.render.report import render_report, render_report_parts

    report = run_check(_bench_tree(tmp_path / "tree", 800), cat=default_catalogue())
    small = run_check(write(tmp_path / "app", APP_FILES), cat=default_catalogue())
    # only the models and the skipped files are copied, so their size (not the whole report's, whose tables
    # are not copied) decides how many copies take the report past the size
    data = json.loads(report.json_text())
    grown = sum(len(json.dumps(data[k], ensure_ascii=False, separators=(",", ":"))) for k in ("models", "skipped"))
    copies = PRETTY_JSON_MAX // max(1, grown) + 2
    big = report.model_copy(update={"models": report.models * copies, "skipped": report.skipped * copies})
    for r in (small, report, big):
        pieces = list(render_report_parts(r, "json"))
        assert "".join(pieces) == render_report(r, "json") == _former_report_json(r)
    pieces = list(render_report_parts(big, "json"))
    assert len(pieces) > 1 and "\n" not in "".join(pieces).rstrip("\n")  # past the size: compact, in pieces
    largest_entry = max(len(json.dumps(v, ensure_ascii=False, separators=(",", ":")))
                        for table in ("decisions", "obligations") for v in json.loads(big.json_text())[table].values())
    largest_model = max(len(json.dumps(m, ensure_ascii=False, separators=(",", ":")))
                        for m in json.loads(big.json_text())["models"])
    # the first piece is what was held until the size was passed: at most one model, finding or table entry
    # (with its key) past it; which kind crosses depends on the generated tree, and so on the registry
    assert len(pieces[0]) <= PRETTY_JSON_MAX + max(largest_entry, largest_model) + 200
    assert max(len(p) for p in pieces[1:]) <= max(largest_entry, largest_model) + 200
    assert list(render_report_parts(small, "text")) == [render_report(small, "text")]


def test_the_tables_as_text_are_the_tables_as_data(tmp_path: Path) -> None:
    """The decisions and obligations tables, held as JSON text while the report is written, are what the
    report's data (``model_dump``) holds."""
    report = run_check(_bench_tree(tmp_path / "tree", 800), cat=default_catalogue())
    assert json.loads(report.json_text()) == json.loads(json.dumps(report.model_dump(mode="json")))


def test_locations_share_their_fields_set_and_stay_correct() -> None:
    """The report's models share one set of field names per shape (memory: issue 26); what pydantic derives
    from it (``model_fields_set``, ``exclude_unset``, ``model_copy``) is as with a set per instance."""
    from licencecmp.scan.report_model import Location  # the model (a check builds its record, without a set)

    a = Location(path="a.py", line=1, source="code")
    b = Location(path="b.py", line=2, source="code")
    c = Location(path="c.py", source="code", as_written="gpt2")
    assert a.model_fields_set is b.model_fields_set and a.model_fields_set == {"path", "line", "source"}
    assert c.model_fields_set == {"path", "source", "as_written"}
    moved = a.model_copy(update={"column": 4})
    assert moved.model_fields_set == {"path", "line", "source", "column"}
    assert a.model_fields_set == b.model_fields_set == {"path", "line", "source"}
    assert b.model_dump(exclude_unset=True) == {"path": "b.py", "line": 2, "source": "code"}
    assert c.model_dump(exclude_unset=True) == {"path": "c.py", "source": "code", "as_written": "gpt2"}
    with pytest.raises(ValueError, match="frozen"):
        a.line = 3
