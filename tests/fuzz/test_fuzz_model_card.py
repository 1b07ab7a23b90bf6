"""Fuzz: Hugging Face model-card front matter (the YAML between ``---`` lines of a README.md).

Generated YAML (card keys with values of any shape, anchors and aliases, tags), byte-mutated real
cards, CRLF and BOM variants: the bounded YAML loader returns a value or raises ValueError; a scan
of a folder holding the card records a model, a skipped file or a problem, and never raises; the
CLI's ``check`` exits 0, 1 or 2 with one line.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.render.formats import REPORT_FORMATS
from licencecmp.scan import cards as card_reader
from licencecmp.scan import refs

from ._support import bounded, bulk, fuzz_settings, json_values, mutated, outcome, run_cli, scratch

CARD = b"""---
license: llama3.1
license_name: llama3.1
license_link: https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/LICENSE
base_model: meta-llama/Llama-3.1-8B
language: [en, de]
tags:
- text-generation
model-index:
- name: acme/fine-tune
  results: []
---
# acme/fine-tune

A fine-tune of Llama 3.1.
"""
SPACE = b"""---
title: Demo
sdk: gradio
license: mit
models:
- meta-llama/Llama-3.1-8B
- acme/unknown
---
"""
ANCHORS = b"""---
base: &b meta-llama/Llama-3.1-8B
base_model: *b
license: &l [mit, llama3.1]
license_name: *l
extra: {<<: {a: 1}, b: *l}
---
"""
SEEDS = [CARD, SPACE, ANCHORS, CARD.replace(b"\n", b"\r\n"), b"\xef\xbb\xbf" + CARD, b"---\n---\n", b"---\n"]

KEYS = ["license", "license_name", "license_link", "base_model", "model-index", "model_name", "sdk", "models",
        "tags", "datasets", "pipeline_tag"]


def _yaml_text(doc: Any) -> str:
    import yaml

    return yaml.safe_dump(doc, allow_unicode=True, default_flow_style=None, sort_keys=False)


cards = st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10)), json_values(12), max_size=6)


def _scan_card(content: bytes, name: str = "README.md") -> Any:
    with scratch() as d:
        (d / name).write_bytes(content)
        res = outcome(lambda: refs.scan(d))
        assert not isinstance(res, Exception), f"scan raised {res!r}"
        for f in res.found:
            assert f.path == name and f.line >= 0
        for p in res.problems:
            assert p.path == name and p.message
        return res


@fuzz_settings()
@given(st.one_of(cards.map(_yaml_text), st.sampled_from(SEEDS).map(lambda b: b.decode("utf-8", "replace")),
                 st.text(max_size=2000)))
def test_load_yaml_bounded_returns_a_value_or_value_error(text: str) -> None:
    with bounded():
        try:
            card_reader.load_yaml_bounded(text)
        except ValueError as exc:
            assert str(exc)


@fuzz_settings()
@given(cards, st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_generated_cards_scan_without_raising(doc: dict[str, Any], newline: str, bom: bool) -> None:
    body = ("---\n" + _yaml_text(doc) + "---\n# card\n").replace("\n", newline)
    _scan_card((b"\xef\xbb\xbf" if bom else b"") + body.encode("utf-8"))


@fuzz_settings()
@given(st.one_of(st.sampled_from(SEEDS).flatmap(mutated), bulk()),
       st.sampled_from(["README.md", "docs/card.md", "x.markdown", "app.py", "bom.spdx.json", "bom.cdx.json"]))
def test_mutated_cards_scan_without_raising(data: bytes, name: str) -> None:
    with scratch() as d:
        (d / name).parent.mkdir(parents=True, exist_ok=True)
        (d / name).write_bytes(data)
        res = outcome(lambda: refs.scan(d))
        assert not isinstance(res, Exception), f"scan raised {res!r}"


@fuzz_settings(0.5)
@given(st.sampled_from(SEEDS).flatmap(mutated), st.sampled_from([f.name for f in REPORT_FORMATS]))
def test_check_cli_on_a_mutated_card(data: bytes, fmt: str) -> None:
    with scratch() as d:
        (d / "repo").mkdir()
        (d / "repo" / "README.md").write_bytes(data)
        code, out, _ = run_cli(["check", "repo", "--format", fmt, "--no-progress"], d)
        assert out or code == 2
