"""Issue 25, gate bypasses 1-4 and 10: a repository that uses a Llama model the CI policy forbids must
fail the gate however the id is written. The policy is passed from outside the repository. The CLI
runs in process (what is proved is its exit code and report; tests/hostile/test_hangs.py runs it in
a subprocess where time and memory are the point)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..conftest import Cli

LLAMA = "meta-llama/Llama-3.1-8B-Instruct"
LOAD = "from transformers import AutoModel\n"


@pytest.fixture
def gate(tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch) -> Gate:
    monkeypatch.chdir(tmp_path)
    return Gate(tmp_path, cli)


class Gate:
    """``licencecmp check repo --policy policy.toml --format json`` on a repository of ``files``, with
    a policy outside it that denies llama-3.1: the exit code and where the Llama model was found."""

    def __init__(self, tmp_path: Path, cli: Cli) -> None:
        self.tmp_path, self.cli = tmp_path, cli

    def __call__(self, files: dict[str, bytes]) -> tuple[int, list[tuple[int, int | None]]]:
        repo = self.tmp_path / "repo"
        for rel, data in files.items():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_bytes(data)
        (self.tmp_path / "policy.toml").write_text('[tool.licencecmp]\ndeny = { licences = ["llama-3.1"] }\n')
        code, out, err = self.cli("check", "repo", "--policy", "policy.toml", "--format", "json", "--no-progress")
        assert code in (0, 1), err
        report = json.loads(out)
        return code, [(loc["line"], loc["column"]) for m in report["models"] if m["model"] == LLAMA
                      for loc in m["locations"]]


@pytest.mark.parametrize("eol", [b"\r", b"\r\n", b"\n"])
def test_line_endings_as_python_splits_them(gate: Gate, eol: bytes) -> None:
    """1: lines ending in a lone CR were one line, its first comment hiding every later id."""
    call = f'm = AutoModel.from_pretrained("{LLAMA}")'.encode()
    src = eol.join([b"# a model loader", LOAD.strip().encode(), call, b""])
    code, where = gate({"app.py": src})
    assert code == 1 and where == [(3, 32)]


@pytest.mark.parametrize("written", ["meta-llama\\/Llama-3.1-8B-Instruct", "meta\\u002dllama/Llama-3.1-8B-Instruct",
                                     "meta-llama\\u002fLlama-3.1-8B-Instruct"])
@pytest.mark.parametrize("name", ["adapter_config.json", "config.json"])
def test_json_escapes_are_decoded(gate: Gate, written: str, name: str) -> None:
    """2: the registry matcher read raw bytes, so a JSON escape hid the id."""
    key = "base_model_name_or_path" if name.startswith("adapter") else "_name_or_path"
    code, where = gate({name: ('{"' + key + '": "' + written + '", "x": 1}\n').encode()})
    assert code == 1 and where and where[0][0] == 1


def test_json_escapes_in_a_notebook(gate: Gate) -> None:
    cell: dict[str, object] = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": [LOAD, f'm = AutoModel.from_pretrained("{LLAMA}")\n']}
    text = json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})
    code, where = gate({"nb.ipynb": text.replace("/", "\\/").encode()})
    assert code == 1 and where


def test_a_cyclonedx_marker_does_not_turn_scanning_off(gate: Gate) -> None:
    """3: any .json with "bomFormat" and CycloneDX was read only as an SBOM."""
    doc = {"bomFormat": "CycloneDX", "specVersion": "1.6", "settings": {"model_id": LLAMA}}
    code, where = gate({"settings.json": json.dumps(doc, indent=1).encode()})
    assert code == 1 and where


@pytest.mark.parametrize("source", [
    'm = AutoModel.from_pretrained("meta-llama/"\n    "Llama-3.1-8B-Instruct")\n',
    'm = AutoModel.from_pretrained("meta-llama\\x2fLlama-3.1-8B-Instruct")\n',
    'm = AutoModel.from_pretrained("meta-llama/Llama-3.1-\\\n8B-Instruct")\n',
    'ORG = "meta-llama"\nm = AutoModel.from_pretrained(f"{ORG}/Llama-3.1-8B-Instruct")\n',
    'ORG = "meta-llama/"\nm = AutoModel.from_pretrained(ORG + "Llama-3.1-8B-Instruct")\n',
    'm = AutoModel.from_pretrained("meta\\N{HYPHEN-MINUS}llama/Llama-3.1-8B-Instruct")\n',
])
def test_python_ids_that_only_python_sees(gate: Gate, source: str) -> None:
    """4: implicit concatenation, escapes, backslash-newline, f-strings and + over module constants."""
    code, where = gate({"app.py": (LOAD + source).encode()})
    assert code == 1 and where


def test_a_declared_coding_is_read(gate: Gate) -> None:
    src = "# -*- coding: utf-7 -*-\n" + LOAD + 'm = AutoModel.from_pretrained("meta+AC0-llama/Llama-3.1-8B-Instruct")\n'
    code, where = gate({"app.py": src.encode("ascii")})
    assert code == 1 and where == [(3, 32)]


def test_a_docstring_stays_prose(gate: Gate) -> None:
    src = LOAD + 'def f():\n    """Try ORG + "/Llama": meta-llama\\x2fLlama-3.1-8B-Instruct."""\n'
    code, where = gate({"app.py": src.encode()})
    assert code == 0 and where == []


@pytest.mark.parametrize("line", [
    f's = "licencecmp: ignore"; m = AutoModel.from_pretrained("{LLAMA}")\n',
    f'm = AutoModel.from_pretrained("{LLAMA}", revision="licencecmp: ignore")\n',
])
def test_the_ignore_mark_inside_a_string_suppresses_nothing(gate: Gate, line: str) -> None:
    """10: the mark counted anywhere on the line, a string included."""
    code, where = gate({"app.py": (LOAD + line).encode()})
    assert code == 1 and where


def test_the_ignore_mark_in_a_markdown_cell_of_a_one_line_notebook(gate: Gate) -> None:
    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["licencecmp: ignore"]},
             {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
              "source": [LOAD, f'm = AutoModel.from_pretrained("{LLAMA}")\n']}]
    text = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})  # one line
    code, where = gate({"nb.ipynb": text.encode()})
    assert code == 1 and where


def test_the_ignore_mark_in_a_comment_still_suppresses(gate: Gate) -> None:
    line = f'm = AutoModel.from_pretrained("{LLAMA}")  # licencecmp: ignore\n'
    code, where = gate({"app.py": (LOAD + line).encode()})
    assert code == 0 and where == []


@pytest.mark.parametrize("fmt", ["github", "brief", "sarif", "junit", "markdown", "json", "text"])
def test_every_format_counts_a_suppression(tmp_path: Path, cli: Cli, fmt: str) -> None:
    """10: the github format never showed suppressions; every format now names each one."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text(LOAD + f'm = AutoModel.from_pretrained("{LLAMA}")  # licencecmp: ignore\n')
    code, out, err = cli("check", str(repo), "--format", fmt, "--no-progress")
    assert code == 0, err
    assert "suppressed" in out.lower() and LLAMA in out, out[:500]


def test_inline_ignores_false_judges_what_the_comment_suppresses(tmp_path: Path, cli: Cli) -> None:
    """10: a policy key forbids inline suppressions, so that only waivers with a reason and an expiry count."""
    line = f'm = AutoModel.from_pretrained("{LLAMA}")  # licencecmp: ignore\n'
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "app.py").write_text(LOAD + line)
    (tmp_path / "policy.toml").write_text('[tool.licencecmp]\ndeny = { licences = ["llama-3.1"] }\n'
                                          "inline_ignores = false\n")
    code, out, err = cli("check", str(repo), "--policy", str(tmp_path / "policy.toml"), "--format", "json",
                         "--no-progress")
    assert code == 1, err
    assert [m["model"] for m in json.loads(out)["models"]] == [LLAMA]
