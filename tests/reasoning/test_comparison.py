"""`licencecmp compare`: the table model, every output format, golden files and errors.

Golden files live in tests/golden/compare/ and are compared byte for byte. Refresh them only on
purpose: ``LICENCECMP_UPDATE_GOLDENS=1 python -m pytest tests/reasoning/test_comparison.py`` (the refreshed tests
are reported as skipped, never as passed). On a mismatch the actual output is written to tmp_path.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

import licencecmp
from licencecmp.data.schema import SCHEMA_VERSION
from licencecmp.errors import LicencecmpError
from licencecmp.reasoning.comparison import FACTS, compare, parse_facts, short_number
from licencecmp.reasoning.expression import decide_name
from licencecmp.render.table import FORMATS, render
from licencecmp.scenario import make_scenario
from licencecmp.vocab import Action, Verdict
from tests.conftest import ROOT, Cli

GOLDEN = ROOT / "tests" / "golden" / "compare"
UPDATE = os.environ.get("LICENCECMP_UPDATE_GOLDENS") == "1"
FOUR = ["mit", "llama-3.1", "gemma", "apache-2.0"]
EXT = {"github": "md", "pipe": "md", "markdown": "md", "grid": "txt", "plain": "txt", "rst": "rst", "html": "html",
       "latex": "tex", "mediawiki": "wiki", "orgtbl": "org", "csv": "csv", "json": "json", "html-page": "html",
       "text": "txt"}


def need(*ids: str) -> None:
    cat = licencecmp.catalogue()
    missing = [i for i in ids if i not in cat and i.lower() not in {m.id.lower() for m in cat.models()}]
    if missing:
        pytest.skip(f"not in the catalogue yet: {', '.join(missing)}")


def check_golden(name: str, actual: str, tmp_path: Path) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        pytest.skip(f"golden file refreshed: {path}")
    assert path.exists(), f"no golden file {path}; create it with LICENCECMP_UPDATE_GOLDENS=1"
    expected = path.read_bytes()
    if actual.encode("utf-8") != expected:
        got = tmp_path / name
        got.write_bytes(actual.encode("utf-8"))
        pytest.fail(f"{name} differs from the golden file {path}; actual output written to {got} "
                    f"(refresh on purpose with LICENCECMP_UPDATE_GOLDENS=1)")


# -- golden files, through the command line ------------------------------------------------------

CASES = [(f"four-{fmt}.{EXT[fmt]}", ["--format", fmt]) for fmt in (*FORMATS, "html-page")]
CASES += [
    ("four-1b-de-github.md", ["--format", "github", "--mau", "1000000000", "--region", "DE"]),
    ("four-1b-de-markdown.md", ["--format", "markdown", "--mau", "1000000000", "--region", "DE"]),
    ("four-transposed-github.md", ["--format", "github", "--transpose"]),
    ("four-transposed.csv", ["--format", "csv", "--transpose"]),
    ("four-transposed-page.html", ["--format", "html-page", "--transpose", "--actions", "commercial-use,serve"]),
]


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_golden(name: str, args: list[str], cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need(*FOUR)
    monkeypatch.setenv("COLUMNS", "100")  # the text format fits the terminal
    code, out, err = cli("compare", *FOUR, *args)
    assert (code, err) == (0, "")
    check_golden(name, out, tmp_path)


def test_every_format_has_a_golden_file() -> None:
    names = {name for name, _ in CASES}
    for fmt in (*FORMATS, "html-page"):
        assert any(["--format", fmt] == args[:2] for _, args in CASES), fmt
    if not UPDATE:
        assert {p.name for p in GOLDEN.iterdir()} == names, "stray or missing golden files"


# -- the table model ------------------------------------------------------------------------------


def test_cells_agree_with_the_engine_for_every_licence_and_action() -> None:
    cat = licencecmp.catalogue()
    for scenario in (make_scenario(), make_scenario(mau=1_000_000_000, region="DE")):
        comp = compare(cat.ids(), scenario=scenario)
        for row in comp.rows:
            for action in Action:
                assert row.cells[action].verdict == decide_name(row.name, action, scenario).verdict, (row.name, action)


def test_scenario_changes_the_cells_and_the_table_names_it() -> None:
    need("llama-3.1")
    startup = compare(["llama-3.1"], ["commercial-use"], make_scenario(mau=5_000, region="US"))
    big = compare(["llama-3.1"], ["commercial-use"], make_scenario(mau=1_000_000_000, region="DE"))
    small_cell = startup.rows[0].cells[Action.COMMERCIAL_USE]
    big_cell = big.rows[0].cells[Action.COMMERCIAL_USE]
    assert small_cell.verdict is not None and big_cell.verdict is not None
    assert small_cell.verdict.permits and not big_cell.verdict.permits
    # the limit is named as crossed once crossed; below it, the condition stays (Llama counts at a fixed moment)
    assert "> 700M MAU" in big_cell.text and "> 700M MAU" not in small_cell.text
    for comp, words in ((startup, ["5,000", "US"]), (big, ["1B", "DE"])):
        table = render(comp, "github")
        assert table.startswith("Scenario: ") and all(w in table.splitlines()[0] for w in words)


def test_unstated_threshold_is_a_condition_in_the_cell() -> None:
    need("llama-3.1")
    cell = compare(["llama-3.1"], ["commercial-use"]).rows[0].cells[Action.COMMERCIAL_USE]
    assert cell.verdict is Verdict.CONDITIONAL
    assert "≤ 700M MAU" in cell.notes
    assert cell.label.startswith("◐ conditional: ")


def test_territory_and_model_rows() -> None:
    need("hunyuan", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B")
    comp = compare(["hunyuan", "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"], ["use"])
    hunyuan, distill = comp.rows
    assert "not in EU/UK/KR" in hunyuan.cells[Action.USE].notes
    assert hunyuan.facts["territory"].text == "no use in the EU, the UK and South Korea"
    assert distill.upstream == ("llama-3.1",) and distill.label.endswith("(mit + llama-3.1)")
    assert "700M MAU (llama-3.1)" in distill.facts["threshold"].text
    in_germany = compare(["hunyuan"], ["use"], make_scenario(region="DE")).rows[0].cells[Action.USE]
    assert in_germany.verdict is Verdict.PROHIBITED and "not granted in EU/UK/KR" in in_germany.notes


def test_facts_come_from_the_data() -> None:
    need("llama-3.1", "mit")
    llama, mit = compare(["llama-3.1", "mit"], []).rows
    assert llama.facts["attribution"].text == "Built with Llama"
    assert llama.facts["name-prefix"].text == "Llama"
    assert llama.facts["threshold"].text == "700M MAU"
    assert llama.facts["kind"].text == "community"
    assert llama.facts["openness"].text == "not open source" and llama.facts["openness"].evidence
    assert mit.facts["openness"].text.startswith("open source")
    assert (mit.facts["attribution"].text, mit.facts["territory"].text) == ("none", "worldwide")


def test_every_citation_is_from_the_licence_data() -> None:
    cat = licencecmp.catalogue()
    comp = compare(cat.ids())
    for row in comp.rows:
        quotes = {(e.section, e.quote) for lic in (cat.licence(row.licence),) for e in lic.all_evidence()}
        for cell in [*row.cells.values(), *row.facts.values()]:
            for c in cell.evidence:
                assert c.licence == row.licence
                assert (c.section, c.quote) in quotes, (row.licence, c.section)


def test_actions_and_facts_select_columns() -> None:
    need("mit")
    comp = compare(["mit"], ["serve", "use", "serve"], facts=["openness", "kind"])
    assert comp.actions == (Action.SERVE, Action.USE)
    assert comp.facts == ("openness", "kind")
    head = render(comp, "github").splitlines()[2]
    assert [h.strip() for h in head.strip("|").split("|")] == ["licence", "serve", "use", "openness", "kind"]
    assert parse_facts(["none"]) == () and parse_facts(["name_prefix"]) == ("name-prefix",)
    with pytest.raises(LicencecmpError):
        parse_facts(["colour"])


def test_every_obligation_kind_has_a_short_note() -> None:
    from licencecmp.reasoning.comparison import clip, obligation_note
    from licencecmp.vocab import ObligationKind

    notes = {kind: obligation_note(kind, None) for kind in ObligationKind}
    assert all(notes.values()) and len(set(notes.values())) == len(notes)
    assert obligation_note(ObligationKind.DISPLAY_ATTRIBUTION, "Built with X") == "Built with X"
    long = "[name of relevant Derivative Work] is built using Falcon LLM technology"
    assert clip(long) == "[name of relevant Derivative Work] is…" and len(clip(long)) <= 41


@pytest.mark.parametrize(("value", "text"), [(700_000_000, "700M"), (1_000_000_000, "1B"), (1_500_000, "1.5M"),
                                             (2_500, "2,500"), (100_000_000, "100M"), (0, "0")])
def test_short_number(value: int, text: str) -> None:
    assert short_number(value) == text


# -- formats --------------------------------------------------------------------------------------


def _md_rows(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line)[1:-1]
            rows.append([c.strip() for c in cells])
    return rows


def test_github_table_is_a_well_formed_markdown_table() -> None:
    need("llama-3.1", "gemma")
    comp = compare(["llama-3.1", "gemma"])
    rows = _md_rows(render(comp, "github"))
    assert len(rows) == 2 + 2  # header, rule, two licences
    assert {len(r) for r in rows} == {1 + len(Action) + len(FACTS)}
    assert all(set(c) <= set("-:") for c in rows[1])
    for row in rows[2:]:
        for cell in row[1:1 + len(Action)]:
            assert re.match(r"^(✓|◐|\?|✋|✗) (allowed|conditional|unclear|needs-permission|prohibited)\b", cell), cell


def test_markdown_footnotes_quote_the_clause_behind_each_nontrivial_cell() -> None:
    need("llama-3.1", "mit")
    comp = compare(["llama-3.1", "mit"])
    text = render(comp, "markdown")
    refs = re.findall(r"\[\^(\d+)\](?!:)", text)
    defs = dict(re.findall(r"^\[\^(\d+)\]: (.*)$", text, re.MULTILINE))
    assert refs and set(refs) == set(defs)
    assert [int(n) for n in dict.fromkeys(refs)] == list(range(1, len(defs) + 1))  # numbered in reading order
    nontrivial = [c for r in comp.rows for c in [*r.cells.values(), *r.facts.values()] if not c.trivial and c.evidence]
    assert len(refs) == len(nontrivial)
    threshold = comp.rows[0].facts["threshold"].evidence[0]
    assert any("llama-3.1 §2" in d and threshold.quote[:40] in d for d in defs.values())


def test_csv_and_json_carry_verdicts_conditions_and_scenario() -> None:
    need("llama-3.1", "mit")
    comp = compare(["llama-3.1", "mit"], scenario=make_scenario(mau=800_000_000))
    rows = list(csv.DictReader(io.StringIO(render(comp, "csv"))))
    assert [r["licence"] for r in rows] == ["llama-3.1", "mit"]
    assert rows[0]["commercial-use"] == "needs-permission" and "> 700M MAU" in rows[0]["commercial-use condition"]
    assert all(r["scenario"] == "800M monthly active users" for r in rows)
    data = json.loads(render(comp, "json"))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["scenario"]["mau"] == 800_000_000
    cell = data["rows"][0]["cells"]["commercial-use"]
    assert cell["verdict"] == "needs-permission" and cell["evidence"][0]["quote"]
    transposed = list(csv.reader(io.StringIO(render(comp, "csv", transpose=True))))
    assert transposed[0][:3] == ["name", "llama-3.1", "mit"]


VOID = frozenset({"meta", "br", "col", "link", "img", "hr", "input"})


class _Collector(HTMLParser):

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> (open: {self.stack[-3:]})")
        else:
            self.stack.pop()


def test_html_page_is_standalone_accessible_and_well_formed() -> None:
    need("llama-3.1", "hunyuan", "mit")
    comp = compare(["llama-3.1", "hunyuan", "mit"], scenario=make_scenario(region="FR"))
    page = render(comp, "html-page")
    parser = _Collector()
    parser.feed(page)
    assert parser.errors == [] and parser.stack == []
    assert "<script" not in page.lower() and "url(" not in page and "@import" not in page
    assert not any(a.get("src") or (a.get("href") or "").startswith("http") for _, a in parser.tags)
    assert "prefers-color-scheme: dark" in page and 'name="color-scheme"' in page
    assert "Scenario: domiciled in FR, used in FR." in page
    tds = [a for t, a in parser.tags if t == "td"]
    verdict_cells = [a for a in tds if a.get("class") in {v.value for v in Verdict}]
    assert len(verdict_cells) == 3 * len(Action)
    assert all(a.get("title") for a in verdict_cells)  # the clauses on hover
    assert sum(t == "details" for t, _ in parser.tags) >= len(verdict_cells)  # and on focus
    for v in Verdict:  # the legend names every verdict
        assert f'<li class="{v.value}">' in page


# -- the command line -----------------------------------------------------------------------------


def test_issue_example_prints_a_github_table(cli: Cli) -> None:
    need("deepseek-ai/DeepSeek-R1", "llama-3.1", "gemma")
    code, out, err = cli("compare", "deepseek-ai/DeepSeek-R1", "llama-3.1", "gemma", "--format", "github")
    assert (code, err) == (0, "")
    rows = _md_rows(out)
    assert [r[0] for r in rows[2:]] == ["deepseek-ai/DeepSeek-R1 (mit)", "llama-3.1", "gemma"]


def test_output_file(cli: Cli, tmp_path: Path) -> None:
    need("mit")
    target = tmp_path / "cmp.html"
    code, out, _ = cli("compare", "mit", "--format", "html-page", "--output", str(target))
    assert code == 0 and str(target) in out
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("args", [
    ["compare", "no-such-licence"],
    ["compare", "mit OR apache-2.0"],
    ["compare", "mit", "--actions", "fly"],
    ["compare", "mit", "--facts", "colour"],
    ["compare", "mit", "--format", "docx"],
    ["compare", "mit", "--region", "XX"],
    ["compare"],
    ["compare", "mit", "--output", "/nonexistent-dir/x.md"],
])
def test_bad_input_is_one_line_and_exit_2(args: list[str], cli: Cli) -> None:
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert err.startswith("licencecmp: error: ") and err.count("\n") == 1
