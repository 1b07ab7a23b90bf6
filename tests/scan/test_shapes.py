"""Finding model references by shape (issue 15): every form, no decoy, positions that are true."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from licencecmp.scan.refs import scan
from licencecmp.scan.shapes import find_references, hub_id, is_model_key
from tests.scan.repos import (
    APP_COMMENTS,
    APP_EXPECTED,
    APP_FILES,
    APP_SUPPRESSED,
    SECOND_EXPECTED,
    SECOND_FILES,
    write,
)


def _norm(pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    return {(m.casefold(), p) for m, p in pairs}


@pytest.mark.parametrize(("files", "expected"), [(APP_FILES, APP_EXPECTED), (SECOND_FILES, SECOND_EXPECTED)],
                         ids=["app", "second"])
def test_every_reference_and_no_decoy(tmp_path: Path, files: dict[str, str], expected: set[tuple[str, str]]) -> None:
    res = scan(write(tmp_path, files))
    got = _norm({(f.model, f.path) for f in res.found})
    assert got - _norm(expected) == set(), "decoys reported"
    assert _norm(expected) - got == set(), "references missed"
    for f in res.found:  # file, line and column point at the id
        line = (tmp_path / f.path).read_text("utf-8").split("\n")[f.line - 1]
        assert f.column is not None
        assert line[f.column - 1:f.column - 1 + len(f.model)].casefold() == f.model.casefold()


def test_comments_are_mentions_and_ignore_suppresses(tmp_path: Path) -> None:
    res = scan(write(tmp_path, APP_FILES))
    assert _norm({(f.model, f.path) for f in res.mentions}) == _norm(APP_COMMENTS)
    assert _norm({(f.model, f.path) for f in res.suppressed}) == _norm(APP_SUPPRESSED)


def test_constant_counts_once_at_the_constant() -> None:
    text = 'ID = "acme/x-1"\na = f(ID)\nb = AutoModel.from_pretrained(ID)\nc = AutoTokenizer.from_pretrained(ID)\n'
    refs = find_references("m.py", text)
    assert [(r.model, r.line) for r in refs] == [("acme/x-1", 1)]


def test_unparsable_python_falls_back_to_patterns() -> None:
    text = 'print "old"\nm = AutoModel.from_pretrained("acme/py2-model")\n'
    assert [r.model for r in find_references("old.py", text)] == ["acme/py2-model"]


@pytest.mark.parametrize("text", ["application/json", "2024/05/01", "./checkpoints/x", "/abs/model", "models/llama",
                                  "https://github.com/a/b", "https://huggingface.co/datasets/a/b", "a/b/c",
                                  "org/weights.safetensors", "1/2", "v1.2/x"])
def test_hub_id_refuses_decoys(text: str) -> None:
    assert hub_id(text) is None


def test_hub_id_accepts_urls_and_tags() -> None:
    assert hub_id("https://huggingface.co/acme/x/tree/main") == "acme/x"
    assert hub_id("hf.co/acme/x-GGUF:Q4_K_M") == "acme/x-GGUF"
    assert hub_id("acme/x") == "acme/x"
    assert is_model_key("BASE_MODEL") and is_model_key("reranker") and not is_model_key("served-model-name")
    assert not is_model_key("dataset_repo_id") and not is_model_key("image")


_PIECES = st.sampled_from([
    'from_pretrained("acme/m-1")', "model: acme/m-2", "vllm serve acme/m-3", "# x acme/m-4", '"model": "',
    "MODEL_ID = 'acme/m-5'", "pipeline('t', 'acme/m-6')", "--model=acme/m-7", "\n", "\r\n", " ", "'", '"', "#",
    "(", ")", "[", "]", "{", "}", ":", "=", "/", "é", "\x00", "\\", "`", "licencecmp: ignore", "- acme/m-8",
    "hf.co/acme/m-9:Q4", "ollama pull ", "ENV MODEL ", "${MODEL_ID:-acme/m-10}",
])
_TEXT = st.one_of(st.text(max_size=300), st.lists(_PIECES, max_size=40).map("".join))
_NAMES = st.sampled_from(["a.py", "b.ts", "c.yaml", "Dockerfile", "d.sh", ".env", "e.json", "f.toml", "g.ipynb",
                          "Makefile", "h.txt", "Modelfile", "i.ini"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=_NAMES, text=_TEXT)
def test_never_a_traceback_and_positions_are_true(name: str, text: str) -> None:
    lines = text.split("\n")
    for ref in find_references(name, text):
        assert hub_id(ref.model) == ref.model
        assert text[ref.offset:ref.offset + len(ref.model)] == ref.model
        assert lines[ref.line - 1][ref.column - 1:ref.column - 1 + len(ref.model)] == ref.model


def _yaml_list_rule(text: str) -> list[tuple[str, int, int]]:
    """YAML block sequences spelled out line by line: after a line that is only ``key:`` (a model
    key, a comment allowed), each ``- item`` line (blank and comment lines between them) names a
    model; any other line ends the list. (model, line, column) of each."""
    import re

    out: list[tuple[str, int, int]] = []
    pending = False
    for n, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if pending and stripped.startswith("- "):
            model = hub_id(stripped[2:].split(" #", 1)[0].strip().strip("\"'"))
            if model and model in line:
                out.append((model, n, line.index(model) + 1))
            continue
        if pending and (not stripped or stripped.startswith("#")):
            continue
        m = re.match(r"""^\s*["']?([A-Za-z_][\w.-]{0,80})["']?\s*:\s*(?:#.*)?$""", line)
        pending = bool(m and is_model_key(m.group(1)))
    return out


_YAML_LINES = ["models:", "base_model :  # c", "\"model\":", "other:", "", "  ", "# note", "- acme/x-1",
               "  - 'Qwen/Qwen3-8B'", "- acme/y # z", "key: acme/z", "x", "-acme/q", "\t- acme/x-1\r", "\u00a0- acme/w"]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_YAML_LINES), max_size=10), st.sampled_from(["\n", "\r\n"]))
def test_yaml_block_sequences_follow_the_rule(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    got = [(r.model, r.line, r.column) for r in find_references("c.yaml", text) if r.form == "key list"]
    assert got == _yaml_list_rule(text)
