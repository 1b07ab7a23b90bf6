"""Issue 21: what a check never judges — placeholders (counted in a section of their own) and catalogue
files (one entry each) — is shown by every report format, not only JSON: never as a model, never as a
failure, escaped, within the terminal's width, in colour only on a terminal."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from licencecmp.render.common import WIDTH
from licencecmp.render.formats import REPORT_FORMATS
from licencecmp.render.report import render_report
from licencecmp.render.style import Style
from licencecmp.scan.check import CheckReport, run_check
from licencecmp.scan.policy import Policy
from tests.conftest import Cli
from tests.fixtures.check.support import write_tree

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "check"
LLAMA = "meta-llama/Llama-3.1-8B"
PLACEHOLDERS = ("your-org/your-model", "meta-llama/your-model-path")
EVIL_DIR = "x\n::error file=a.py::pwned\x1b[31m<!-- [a](https://e.x) @admin"


def _catalogue(n: int) -> str:
    """A framework's table of supported models (the shape of tests/scan/test_real_shapes.py), one of
    them in the registry, and one model the file really loads."""
    rows = "\n".join(f'    "acme/model-{i}": ("acme/model-{i}-bnb-4bit", "upstream/model-{i}"),' for i in range(n))
    text = f"MAPPER = {{\n{rows}\n}}\nmodel = AutoModel.from_pretrained(\"acme/really-used\")\n"
    return text.replace('"acme/model-0"', f'"{LLAMA}"', 1)


def _placeholders(names: tuple[str, ...]) -> str:
    return "".join(f'm{i} = AutoModel.from_pretrained("{name}")\n' for i, name in enumerate(names))


def _repo(root: Path, folder: str = "", placeholders: tuple[str, ...] = PLACEHOLDERS) -> Path:
    write_tree(root, {f"{folder}mapper.py": _catalogue(60), f"{folder}example.py": _placeholders(placeholders)})
    return root


@pytest.fixture
def report(tmp_path: Path) -> CheckReport:
    r = run_check(_repo(tmp_path / "repo"), Policy())
    assert [m.model for m in r.models] == ["acme/really-used"]  # the placeholders and the catalogue are no models
    assert len(r.placeholders) == 2 and len(r.catalogues) == 1 and r.catalogues[0].known >= 1
    return r


# -- text ------------------------------------------------------------------------------------------


def test_text_overview_counts_both_and_its_sections_list_them(report: CheckReport) -> None:
    out = render_report(report, "text")
    first_screen = out.split("Failures by kind")[0]
    assert "2 placeholder(s), never judged" in first_screen
    c = report.catalogues[0]
    assert f"1 catalogue file(s) naming {c.ids} model id(s) ({c.known} known), listed but not judged" in first_screen
    assert "Catalogue files (1, lists of models" in out and "Placeholders (2, not models, never judged):" in out
    assert f"  - mapper.py: a catalogue of {c.ids} model id(s), {c.known} known (llama-3.1: 1" in out
    for name in PLACEHOLDERS:
        assert f"  - {name} (example.py:" in out
    assert "\x1b" not in out
    body = out.splitlines()[1:]  # the first line names the root folder as given
    assert all(len(line) <= WIDTH for line in body), max(body, key=len)


def test_text_names_ten_placeholders_and_verbose_names_every_one(tmp_path: Path) -> None:
    names = tuple(f"your-org/your-model-{i}" for i in range(15))
    r = run_check(_repo(tmp_path, placeholders=names), Policy())
    assert len(r.placeholders) == 15
    short, verbose = render_report(r, "text"), render_report(r, "text", verbose=True)
    assert "Placeholders (15," in short and "  - and 5 more (--verbose" in short
    assert sum(line.startswith("  - your-org/") for line in short.splitlines()) == 10
    assert sum(line.startswith("  - your-org/") for line in verbose.splitlines()) == 15


def test_text_is_coloured_only_when_asked(report: CheckReport, cli: Cli, tmp_path: Path) -> None:
    coloured = render_report(report, "text", Style(True))
    assert "\x1b[1mPlaceholders (2" in coloured and "\x1b[1mCatalogue files (1" in coloured
    _, out, _ = cli("check", str(tmp_path / "repo"), "--no-progress")  # captured: not a terminal
    assert "Placeholders (2" in out and "\x1b" not in out


def test_a_judged_catalogue_says_so_in_text_and_is_no_skipped_test(tmp_path: Path) -> None:
    r = run_check(_repo(tmp_path), Policy(catalogues="judge"))
    assert r.catalogues[0].judged
    assert 'every one judged (catalogues = "judge")' in " ".join(render_report(r, "text").split())  # wrapped
    suite = ET.fromstring(render_report(r, "junit").split("\n", 1)[1]).find("testsuite")
    assert suite is not None
    assert [c.get("classname") for c in suite.iter("testcase") if c.find("skipped") is not None] == ["placeholder"]


# -- Markdown --------------------------------------------------------------------------------------


def test_markdown_tables_the_catalogues_and_counts_the_placeholders(report: CheckReport) -> None:
    out = render_report(report, "markdown")
    c = report.catalogues[0]
    assert "Also found: 2 placeholder(s), never judged; 1 catalogue file(s)" in out
    assert "**Catalogue files** (1: lists of models" in out and '`catalogues = "judge"`' in out
    assert f"| `mapper.py` | {c.ids} | {c.known} | llama-3.1: 1" in out
    assert "**Placeholders** (2: not models, never judged)" in out
    assert all(f"- `{name}` (`example.py:" in out for name in PLACEHOLDERS)
    table = out.split("| status | model |")[1].split("\n\n")[0]
    assert not any(name in table for name in PLACEHOLDERS)  # never a model row


# -- SARIF -----------------------------------------------------------------------------------------


def test_sarif_notes_each_catalogue_and_puts_placeholders_in_the_run_properties(report: CheckReport) -> None:
    import jsonschema  # type: ignore[import-untyped]  # no type stubs for jsonschema in the lint extra

    log = json.loads(render_report(report, "sarif"))
    jsonschema.Draft4Validator(json.loads((FIXTURES / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
                               ).validate(log)
    run = log["runs"][0]
    (note,) = [r for r in run["results"] if r["ruleId"] == "catalogue-file"]
    assert note["level"] == "note" and note["kind"] == "informational"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "mapper.py"
    assert note["properties"]["ids"] == report.catalogues[0].ids and "listed, not judged" in note["message"]["text"]
    rules = run["tool"]["driver"]["rules"]
    assert rules[note["ruleIndex"]]["id"] == "catalogue-file"
    assert {r["defaultConfiguration"]["level"] for r in rules if r["id"] in ("catalogue-file", "placeholder")} \
        == {"note"}
    placeholders = run["properties"]["placeholders"]
    assert placeholders["count"] == 2 and [p["model"] for p in placeholders["first"]] == list(PLACEHOLDERS)
    assert all(r["level"] == "note" for r in run["results"] if r["ruleId"] in ("catalogue-file", "placeholder"))
    assert not any(name in json.dumps(run["results"]) for name in PLACEHOLDERS)  # no alert for a placeholder


# -- JUnit -----------------------------------------------------------------------------------------


def test_junit_skips_what_is_not_judged_and_fails_nothing_for_it(report: CheckReport) -> None:
    root = ET.fromstring(render_report(report, "junit").split("\n", 1)[1])
    suite = root.find("testsuite")
    assert suite is not None
    skipped = {c.get("classname"): c for c in suite.iter("testcase") if c.find("skipped") is not None}
    assert set(skipped) == {"catalogue-file", "placeholder"} and suite.get("skipped") == "2"
    assert skipped["catalogue-file"].get("name") == "mapper.py"
    assert skipped["placeholder"].findtext("system-out", "").splitlines() == [
        f"{name} (example.py:{i})" for i, name in enumerate(PLACEHOLDERS, 1)]
    assert all(c.find("failure") is None for c in skipped.values())
    assert suite.get("failures") == "1" and suite.get("tests") == "3"  # acme/really-used x use, and the two
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["placeholders"] == "2" and props["catalogue-files"] == "1"
    assert (props["catalogue-file"] or "").startswith("mapper.py: a catalogue of")


# -- GitHub annotations and brief ------------------------------------------------------------------


def test_github_notices_each_catalogue_and_counts_the_placeholders(report: CheckReport) -> None:
    lines = render_report(report, "github").splitlines()
    (cat,) = [line for line in lines if "catalogue-file" in line]
    assert cat.startswith("::notice file=mapper.py,title=licencecmp catalogue-file::mapper.py: a catalogue of")
    (ph,) = [line for line in lines if "placeholder" in line]
    assert ph.startswith("::notice title=licencecmp placeholder::2 placeholder(s), not models, never judged: ")
    assert all(name in ph for name in PLACEHOLDERS)


def test_brief_has_a_note_line_for_each(report: CheckReport) -> None:
    lines = render_report(report, "brief").splitlines()
    assert [line for line in lines if " catalogue-file " in line] == [
        f"mapper.py: note catalogue-file - - a catalogue of {report.catalogues[0].ids} model id(s), "
        f"{report.catalogues[0].known} known (llama-3.1: 1); listed, not judged"]
    notes = [line for line in lines if " placeholder " in line]
    assert [line.split()[3] for line in notes] == list(PLACEHOLDERS)
    assert all(line.startswith("example.py:") and ": note placeholder " in line for line in notes)


# -- every format: never a failure, escaped ----------------------------------------------------------


@pytest.mark.parametrize("fmt", [f.name for f in REPORT_FORMATS])
def test_every_format_shows_both_and_fails_nothing_for_them(tmp_path: Path, fmt: str) -> None:
    """Only placeholders and a catalogue: the check passes, and every format names both."""
    catalogue_only = _catalogue(60).rsplit("model =", 1)[0]
    write_tree(tmp_path, {"mapper.py": catalogue_only, "example.py": _placeholders(PLACEHOLDERS)})
    r = run_check(tmp_path, Policy())
    assert r.models == () and r.exit_code == 0 and r.findings == ()
    out = render_report(r, fmt)
    assert "mapper.py" in out and all(name in out for name in PLACEHOLDERS), out[:800]
    assert "::error" not in out and "::warning" not in out and "<failure" not in out
    if fmt == "text":
        assert "Summary: 0 model(s)\n" in out  # no dangling colon when no model has a status
    if fmt == "sarif":
        assert {x["level"] for x in json.loads(out)["runs"][0]["results"]} == {"note"}


@pytest.mark.skipif(os.name != "posix", reason="control characters in file names")
@pytest.mark.parametrize("fmt", [f.name for f in REPORT_FORMATS])
def test_hostile_file_names_are_escaped_in_every_format(tmp_path: Path, fmt: str) -> None:
    r = run_check(_repo(tmp_path, folder=EVIL_DIR + "/"), Policy())
    assert len(r.placeholders) == 2 and len(r.catalogues) == 1
    out = render_report(r, fmt)
    assert "\x1b" not in out and "pwned" in out
    for line in out.splitlines():
        assert not line.lstrip().startswith("::error file=a.py"), line
        assert "pwned" not in line or not line.startswith(("::error::", "::error file=a.py")), line
    if fmt == "markdown":
        assert "<!--" not in out and "](https" not in out and "@admin" not in out
    if fmt == "junit":
        ET.fromstring(out.split("\n", 1)[1])
    if fmt in ("json", "sarif"):
        json.loads(out)
