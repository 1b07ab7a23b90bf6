"""Fuzz: the command line (argv).

Command lines built from every command and option, real and unknown ids, actions, country codes,
numbers that are negative, huge or not numbers, formats, paths and free text, run in a scratch
folder (so anything a command writes stays there): the exit code is 0, 1 or 2, never 3 (an
internal error), and exit 2 prints exactly one line.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.data.catalogue import default_catalogue
from licencecmp.render.formats import REPORT_FORMATS
from licencecmp.vocab import Action

from ._support import fuzz_settings, run_cli, scratch

CAT = default_catalogue()
IDS = [*CAT.ids()[:12], "llama3.1", "MIT", "LicenseRef-x", "llama-9", "mit OR llama-3.1", "(mit", "mit AND ()",
       *(m.id for m in CAT.models()[:6]), "acme/unknown", "a/b/c"]
ACTIONS = [a.value for a in Action] + ["fly", "USE", " use ", ""]
COMMANDS = [["can"], ["show"], ["list"], ["models"], ["schema"], ["check"], ["sbom"], ["compare"], ["compat"],
            ["matrix"], ["combine"], ["openness"], ["identify"], ["policy"], ["policy", "init"], ["nope"], []]
NUMBERS = ["0", "1", "-1", "700000000", "1e309", "nan", "inf", "-inf", "1_000", "0x10", "99999999999999999999999",
           "1.5", "", " "]
COUNTRIES = ["DE", "us", "EU", "EEA", "XX", "", "GB,FR", "DE FR", "europe", "ÜÜ"]
FORMATS = [*(f.name for f in REPORT_FORMATS), "csv", "html-page", "spdx-json", "spdx-tv", "spdx-yaml", "pipe",
           "latex", "nope", ""]
PATHS = [".", "repo", "repo/README.md", "LICENSE", "missing", "missing/dir/file", "out.txt", "repo/licencecmp.toml",
         "-", "LICENSE/"]
OPTIONS = {
    "--mau": NUMBERS, "--monthly-revenue": NUMBERS, "--annual-revenue": NUMBERS, "--domicile": COUNTRIES,
    "--used-in": COUNTRIES, "--region": COUNTRIES, "--modality": ["text", "multimodal", "audio", ""],
    "--format": FORMATS, "-f": FORMATS, "--licence": IDS, "--license": IDS, "--base": IDS, "--teacher": IDS,
    "--merge": IDS, "--data": IDS, "--output": PATHS, "-o": PATHS, "--policy": PATHS, "--max-file-size": NUMBERS,
    "--actions": [*ACTIONS, "use,serve", "use,,fly"], "-a": ACTIONS,
}
FLAGS = ["--commercial", "--non-commercial", "--explain", "--obligations-only", "--force", "--pyproject",
         "--transpose", "--no-progress", "--help", "-h", "--version", "--", "-x", "--unknown"]

free = st.text(st.characters(codec="utf-8"), max_size=20).filter(
    lambda t: "/" not in t and "\\" not in t and t.strip(".") != "")  # never a path out of the scratch folder
option = st.sampled_from(sorted(OPTIONS)).flatmap(lambda o: st.tuples(st.just(o), st.one_of(
    st.sampled_from(OPTIONS[o]), free)).map(list))
word = st.one_of(st.sampled_from(IDS), st.sampled_from(ACTIONS), st.sampled_from(PATHS), free,
                 st.sampled_from(FLAGS).map(lambda f: f))
argv = st.tuples(st.sampled_from(COMMANDS),
                 st.lists(st.one_of(word.map(lambda w: [w]), option), max_size=6)).map(
    lambda t: [*t[0], *(x for part in t[1] for x in part)])

REPO = {
    "repo/app.py": 'from transformers import AutoModel\nm = AutoModel.from_pretrained("meta-llama/Llama-3.1-8B")\n',
    "repo/README.md": "---\nlicense: mit\nbase_model: meta-llama/Llama-3.1-8B\n---\n# x\n",
    "repo/licencecmp.toml": 'actions = ["use", "serve"]\nallow_unknown = true\n',
    "LICENSE": "Permission is hereby granted, free of charge, to any person obtaining a copy\n",
}


def _lay_out(d: Path) -> None:
    for rel, text in REPO.items():
        (d / rel).parent.mkdir(parents=True, exist_ok=True)
        (d / rel).write_text(text, encoding="utf-8")


@fuzz_settings()
@given(argv)
def test_any_command_line_exits_0_1_or_2(args: list[str]) -> None:
    with scratch() as d:
        _lay_out(d)
        run_cli(args, d)


@fuzz_settings()
@given(st.sampled_from(IDS), st.sampled_from(ACTIONS), st.lists(option, max_size=5))
def test_can_with_any_scenario(licence: str, action: str, options: list[list[str]]) -> None:
    with scratch() as d:
        code, out, _ = run_cli(["can", licence, action, *(x for o in options for x in o)], d)
        assert code == 2 or out
