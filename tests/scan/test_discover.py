"""Discovery: which files are read (git, .gitignore, binary, size, symlinks, encodings), how repo
ids are matched, and what model cards say."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from licencecmp.errors import InputError
from licencecmp.scan.cards import load_yaml_bounded
from licencecmp.scan.files import gitignore_spec, list_files
from licencecmp.scan.refs import IdMatcher, id_pattern, may_fold, scan
from licencecmp.scan.shapes import hub_id, legacy_hint, python_needs_reading, quoted_candidates_and_joins
from tests.fixtures.check.support import git_init, line_of, need, shipped_catalogue, write_tree

LLAMA = "meta-llama/Llama-3.1-8B"


def found(root: Path, **kw: Any) -> list[tuple[str, str, int]]:
    res = scan(root, shipped_catalogue(), **kw)
    return sorted((f.model, f.path, f.line) for f in res.found)


# -- the id pattern -----------------------------------------------------------------------------

IDS = ["meta-llama/Llama-3.1-8B", "meta-llama/Llama-3.1-8B-Instruct", "Qwen/Qwen2.5-7B", "org/a.b",
       "ai/model", "deepseek-ai/model-2"]


def matches(text: str) -> list[str]:
    return [key for _, key in IdMatcher(IDS).find(text.encode())]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('from_pretrained("meta-llama/Llama-3.1-8B")', ["meta-llama/llama-3.1-8b"]),
        ("META-LLAMA/LLAMA-3.1-8B", ["meta-llama/llama-3.1-8b"]),  # case-insensitive
        ("model: meta-llama/Llama-3.1-8B-Instruct", ["meta-llama/llama-3.1-8b-instruct"]),  # longest wins
        ("meta-llama/Llama-3.1-8B-Instruct-v2", []),  # a longer, unknown id
        ("xmeta-llama/Llama-3.1-8B", []),  # not word-bounded before
        ("https://huggingface.co/meta-llama/Llama-3.1-8B/resolve/main/config.json", ["meta-llama/llama-3.1-8b"]),
        ("See meta-llama/Llama-3.1-8B.", ["meta-llama/llama-3.1-8b"]),  # a full stop ends a sentence
        ("meta-llama/Llama-3.1-8B.gguf", []),  # ... but a suffix makes another name
        ("Qwen/Qwen2.5-7B Qwen/Qwen2.5-7B", ["qwen/qwen2.5-7b", "qwen/qwen2.5-7b"]),
        ("Qwen/Qwen2.5-7B_x org/a.b", ["org/a.b"]),
        ("deepseek-ai/model-2 and ai/model", ["deepseek-ai/model-2", "ai/model"]),  # org that ends another org
        ("deepseek-ai/model", []),
        ("\u00e9meta-llama/Llama-3.1-8B", ["meta-llama/llama-3.1-8b"]),  # non-ASCII before is a boundary
    ],
)
def test_id_pattern(text: str, expected: list[str]) -> None:
    assert matches(text) == expected


def test_empty_registry_matches_nothing() -> None:
    assert id_pattern([]).search(b"anything at all") is None
    assert IdMatcher([]).find(b"meta-llama/Llama-3.1-8B") == []


def _reference_find(ids: list[str], text: bytes) -> list[tuple[int, str]]:
    """The rule spelled out slowly: at every start that follows no id character, the longest
    registry id there (any case), kept when no id character follows it (a final full stop is fine)."""
    low = text.lower()
    id_chars = set(b"abcdefghijklmnopqrstuvwxyz0123456789_.-")
    words = sorted({i.lower().encode() for i in ids}, key=len, reverse=True)
    out: list[tuple[int, str]] = []
    i = 0
    while i < len(low):
        if i > 0 and low[i - 1] in id_chars:
            i += 1
            continue
        word = next((w for w in words if low.startswith(w, i)), None)
        if word is None:
            i += 1
            continue
        end = i + len(word)
        after = low[end:end + 2]
        final_stop = after[:1] == b"." and (len(after) < 2 or after[1] not in id_chars)
        if not after or after[0] not in id_chars or final_stop:
            out.append((i, word.decode()))
        i = end
    return out


_FRAGMENTS = ["meta-llama/", "deepseek-ai/model-2", "Llama-3.1-8B", "-Instruct", "Qwen/Qwen2.5-7B", "org/a.b",
              "ai/model", "deepseek-",
              "/", ".", " ", "x", "-2", "\u00e9", "\n", "huggingface.co/", "\"", "META-LLAMA"]


@settings(max_examples=400)
@given(st.lists(st.sampled_from(_FRAGMENTS), max_size=8))
def test_matcher_agrees_with_the_rule(parts: list[str]) -> None:
    data = "".join(parts).encode()
    assert IdMatcher(IDS).find(data) == _reference_find(IDS, data)


# What the decoded-Python gate looks at: slashes next to quotes, braces, a + and blanks; escapes and names.
_GATE_FRAGMENTS = ["/", '"', "'", "+", " ", "  ", "\n", "\t", "{", "}", "meta-llama", "Llama-3.1-8B", "Qwen2.5-7B",
                   "a", "Z", "x", "7", ".", "-", "_", "\\", "x2f", "u002D", "N{", "\\\n", "f\"", "=", "(", "\u00e9"]


@settings(max_examples=3000)
@given(st.lists(st.sampled_from(_GATE_FRAGMENTS), max_size=14))
def test_python_pass_agrees_with_find_and_the_gate(parts: list[str]) -> None:
    """The pass over a Python file's slashes finds the registry ids as find does; with the pass over its quoted
    strings, it answers the decoded-Python gate as the six patterns that define it do."""
    data = "".join(parts).encode()
    matcher = IdMatcher([*IDS, "x/a", "o/7"])  # one-character names: a gate's match must not be taken for one
    hits, gate = matcher.find_python(data)
    candidates, joins = quoted_candidates_and_joins(data.decode("utf-8", "replace"))
    assert hits == matcher.find(data)
    assert candidates == quoted_candidates_and_joins(data.decode("utf-8", "replace"))[0]
    assert (gate or joins) == may_fold(data)


# What the probe of quiet Python source looks at: quotes, slashes, the Hub's URL, a +, braces, loaders and
# legacy names, and a character that is not ASCII.
_PROBE_FRAGMENTS = ["/", '"', "'", "`", "+", " ", "\n", "{", "}", "meta-llama", "Qwen", "a", "Z", "7", ".", "-", "_",
                    "hf.co", "huggingface.co", "https://", "from_pretrained(", "pipeline(", "SentenceTransformer(",
                    "bert-base", "gpt2", "all-MiniLM", "\u00e9", "x2"]


_ASCII_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


_REFERENCE_QUOTED = re.compile(r"""/(?:(?P<org>[A-Za-z0-9_.\-]{1,96}+)(?<=[A-Za-z0-9])"""
                               r"""(?:["'`]|/oc\.(?:ecafgniggu|f)h)|["'][ \t\n\r\f\v]*\+|\})""")
_REFERENCE_NAME = re.compile(r"[A-Za-z0-9][\w.-]{0,95}")


def _reference_candidates(text: str) -> tuple[list[tuple[int, str]], bool]:
    """The quoted candidates and joins as the pattern with the org's first character in a lookbehind gave them."""
    pattern, name_re = _REFERENCE_QUOTED, _REFERENCE_NAME
    out: list[tuple[int, str]] = []
    joins = False
    n = len(text)
    for m in pattern.finditer(text[::-1]):
        slash = n - m.start() - 1
        org = m.group("org")
        if org is None:
            joins = joins or (slash + 1 < n and text[slash + 1] in _ASCII_ALNUM)
            continue
        name = name_re.match(text, slash + 1)
        if name is not None:
            org = org[::-1]
            out.append((slash - len(org), f"{org}/{name.group()}"))
    return out, joins


@settings(max_examples=3000, deadline=None)  # the first example compiles the probe's patterns
@given(st.lists(st.sampled_from(_PROBE_FRAGMENTS), max_size=16))
def test_ascii_probe_agrees_with_the_text(parts: list[str]) -> None:
    """The candidates and joins are those of the pattern that checked the org's first character itself; the probe of
    quiet Python source (bytes, undecoded) asks for a closer look exactly when the decoded text has a candidate
    shaped like a Hub id, a join or a legacy name (and always for text that is not ASCII)."""
    text = "".join(parts)
    candidates, joins = quoted_candidates_and_joins(text)
    assert (candidates, joins) == _reference_candidates(text)
    wanted = joins or any(hub_id(c) for _, c in candidates) or legacy_hint(text)
    assert python_needs_reading(text.encode()) == (wanted or not text.isascii())


def _gate(data: bytes) -> bool:
    return IdMatcher(IDS).find_python(data)[1] or quoted_candidates_and_joins(data.decode("utf-8", "replace"))[1]


@pytest.mark.parametrize("source", [
    'ORG = "meta-llama/"\nM = ORG + "Llama-3.1-8B"', 'M = "meta-llama" + "/Llama-3.1-8B"',
    'M = "meta-llama"  +\n   "/Llama-3.1-8B"', 'f"{ORG}/Llama-3.1-8B"', 'f"meta-llama/{NAME}"',
    'M = "meta-llama\\x2fLlama"', 'M = "meta-llama/Llama\\\n-3.1-8B"', 'x = "}/Llama-3.1-8B"',
    '"ab" +  "/Llama-3.1-8B"', 'M = "meta-llama/" "Llama-3.1-8B"'])
def test_python_pass_sees_each_gate(source: str) -> None:
    data = source.encode()
    assert may_fold(data)
    assert _gate(data)


@pytest.mark.parametrize("source", ['p = "/srv/a/b"  # docs/a.md', 'x = a + "/srv"', '= "/x"', 'M = "a" ; "/b"',
                                    'x = "  /Llama"', 'd = {"/a": 1}'])
def test_python_pass_no_gate(source: str) -> None:
    data = source.encode()
    assert _gate(data) == may_fold(data)


def test_offsets_point_at_the_org() -> None:
    data = b'x = "meta-llama/Llama-3.1-8B"'
    assert IdMatcher(IDS).find(data) == [(data.index(b"meta"), "meta-llama/llama-3.1-8b")]


# -- listing files ------------------------------------------------------------------------------


def test_gitignore_without_git(tmp_path: Path) -> None:
    write_tree(tmp_path, {
        ".gitignore": "build/\n*.log\n!keep.log\n",
        "src/.gitignore": "generated.py\n",
        "src/app.py": "", "src/generated.py": "", "build/out.py": "", "a.log": "", "keep.log": "",
        "sub/build/x.py": "", ".git-not-really/x.py": "",
    })
    files, skipped, used_git = list_files(tmp_path)
    assert not used_git and not skipped
    assert files == [".git-not-really/x.py", ".gitignore", "keep.log", "src/.gitignore", "src/app.py"]


def test_git_ls_files_respects_gitignore_and_sees_untracked(tmp_path: Path) -> None:
    write_tree(tmp_path, {".gitignore": "secret/\n", "a.py": "", "secret/b.py": ""})
    git_init(tmp_path)
    write_tree(tmp_path, {"new.py": "", "secret/c.py": ""})  # untracked: new.py is scanned, secret/ not
    files, _, used_git = list_files(tmp_path)
    assert used_git and files == [".gitignore", "a.py", "new.py"]


def test_exclude_patterns(tmp_path: Path) -> None:
    need(LLAMA)
    write_tree(tmp_path, {"tests/fixtures/x.py": f'"{LLAMA}"', "src/y.py": f'"{LLAMA}"'})
    assert [p for _, p, _ in found(tmp_path, exclude=["tests/fixtures/"])] == ["src/y.py"]


@pytest.mark.parametrize(("pattern", "path", "ignored"), [
    ("*.pyc", "a/b.pyc", True), ("*.pyc", "a/b.pyc.txt", False), ("tmp*", "x/tmpdir/f", True),
    ("*cache*", "a/my_cache_x/f", True), ("*cache*", "a/cach", False), ("build/", "src/build/x.py", True),
    ("build/", "src/build", False),  # a file named build: the pattern is for folders
    ("a//b", "a/b", False), ("a//", "a/x", False),  # an empty component matches nothing, as in git
])
def test_gitignore_rules(pattern: str, path: str, ignored: bool) -> None:
    assert gitignore_spec([pattern]).match_file(path) is ignored


def test_exclude_with_an_empty_component_is_an_error() -> None:
    with pytest.raises(InputError, match="empty path component"):
        gitignore_spec(["a//b"], strict=True)


# -- file contents ------------------------------------------------------------------------------


def test_encodings_do_not_crash_and_lines_are_right(tmp_path: Path) -> None:
    need(LLAMA)
    utf16 = f'# ünïcödé\nM = "{LLAMA}"\n'
    write_tree(tmp_path, {
        "utf16.py": utf16.encode("utf-16"),
        "latin1.py": b"# caf\xe9 \xff\xfe\n\nM = 'meta-llama/Llama-3.1-8B'\n",
        "crlf.yaml": f"a: 1\r\nmodel: {LLAMA}\r\n".encode(),
    })
    assert found(tmp_path) == [(LLAMA, "crlf.yaml", 2), (LLAMA, "latin1.py", 3), (LLAMA, "utf16.py", 2)]


def test_documentation_is_not_a_use(tmp_path: Path) -> None:
    need(LLAMA)
    write_tree(tmp_path, {"docs/guide.md": f"Try {LLAMA}.\n", "notes.txt": LLAMA, "docs/x.rst": LLAMA,
                          "notebook.ipynb": f'{{"cells": [{{"source": ["load(\\"{LLAMA}\\")"]}}]}}'})
    assert found(tmp_path) == [(LLAMA, "notebook.ipynb", 1)]


def test_binary_and_size_limit_are_reported(tmp_path: Path) -> None:
    need(LLAMA)
    write_tree(tmp_path, {"w.bin": b"\x00" + LLAMA.encode(), "big.py": "x" * 2000, "ok.py": LLAMA})
    res = scan(tmp_path, shipped_catalogue(), max_file_size=1000)
    assert {(s.path, s.reason.split(" (")[0]) for s in res.skipped} == {
        ("w.bin", "binary file"), ("big.py", "larger than the size limit")}
    assert [f.path for f in res.found] == ["ok.py"] and res.files_scanned == 1


@pytest.mark.skipif(os.name != "posix", reason="symlinks")
def test_symlinks_are_never_followed_out_of_the_tree(tmp_path: Path) -> None:
    need(LLAMA)
    outside = tmp_path / "outside"
    write_tree(outside, {"secret.py": f'"{LLAMA}"'})
    root = tmp_path / "repo"
    write_tree(root, {"real.py": "x = 1\n"})
    os.symlink(outside / "secret.py", root / "link.py")
    os.symlink(outside, root / "linkdir")
    os.symlink(root, root / "self")
    os.symlink("real.py", root / "inner.py")
    os.symlink("b", root / "a")
    os.symlink("a", root / "b")
    os.symlink("missing", root / "dangling")
    for with_git in (False, True):
        if with_git:
            git_init(root)
        res = scan(root, shipped_catalogue())
        assert res.found == [] and res.git is with_git
        reasons = {s.path: s.reason for s in res.skipped}
        assert "out of the tree" in reasons["link.py"]
        assert "within the tree" in reasons["inner.py"]
        assert "loop" in reasons["a"] and "loop" in reasons["b"] and "loop" in reasons["dangling"]
        assert "not followed" in reasons["linkdir"] and "not followed" in reasons["self"]


# -- model cards --------------------------------------------------------------------------------


def test_model_card_fields(tmp_path: Path) -> None:
    card = ("---\nlanguage: en\nlicense: other\nlicense_name: qwen\nlicense_link: https://example.com/LICENSE\n"
            "base_model:\n- Qwen/Qwen2.5-7B\n- Qwen/Qwen2.5-7B-Instruct\nmodel-index:\n- name: acme-qwen\n---\n# x\n")
    write_tree(tmp_path, {"models/acme/README.md": card})
    (f,) = scan(tmp_path, shipped_catalogue()).found
    assert (f.model, f.source, f.path, f.line) == ("acme-qwen", "model-card", "models/acme/README.md",
                                                    line_of(card, "license:"))
    assert (f.licence, f.licence_name, f.licence_link) == ("other", "qwen", "https://example.com/LICENSE")
    assert f.base_models == ("Qwen/Qwen2.5-7B", "Qwen/Qwen2.5-7B-Instruct")


def test_space_card_lists_models(tmp_path: Path) -> None:
    card = f"---\ntitle: Demo\nsdk: gradio\nlicense: mit\nmodels:\n- {LLAMA}\n---\n"
    write_tree(tmp_path, {"README.md": card})
    (f,) = scan(tmp_path, shipped_catalogue()).found
    assert (f.model, f.source, f.licence) == (LLAMA, "space", None)


def test_markdown_that_is_not_a_card(tmp_path: Path) -> None:
    write_tree(tmp_path, {"README.md": "---\n\nA horizontal rule, no front matter.\n",
                          "docs/page.md": "---\ntitle: Page\nlayout: x\n---\n",
                          "docs/broken.md": "---\ntitle: [\n---\n"})
    res = scan(tmp_path, shipped_catalogue())
    assert res.found == [] and res.problems == []
    assert [s.path for s in res.skipped] == ["docs/broken.md"]  # reported, not silently dropped


def test_broken_readme_front_matter_is_a_problem(tmp_path: Path) -> None:
    card = "---\nlicense: mit\ntags: [a, b\n---\n"
    write_tree(tmp_path, {"README.md": card})
    (p,) = scan(tmp_path, shipped_catalogue()).problems
    assert p.path == "README.md" and "invalid YAML" in p.message and p.line is not None


def test_yaml_alias_bomb_and_size_are_bounded(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    with pytest.raises(ValueError, match="alias bomb"):
        load_yaml_bounded(bomb)
    with pytest.raises(ValueError, match="larger than"):
        load_yaml_bounded("a: " + "x" * (1024 * 1024 + 1))
    write_tree(tmp_path, {"README.md": "---\nlicense: mit\n" + bomb + "---\n"})
    (p,) = scan(tmp_path, shipped_catalogue()).problems
    assert "alias bomb" in p.message


def test_the_walk_gives_the_files_in_sorted_order_as_it_goes(tmp_path: Path) -> None:
    """Issue 26: outside git the files are listed as they are scanned, by a depth-first walk; its order is
    that of the sorted paths (a folder ``a`` sorts after ``a.b`` and ``a-b``, whose names are below ``/``),
    and what it could not read is listed in the order of the folders, a folder before what it holds."""
    from licencecmp.scan.files import Listing

    names = ["a", "a.b", "a-b", "a b", "ab", "a0", "A", "é", "z"]
    for top in names:
        (tmp_path / top).mkdir()
        for inner in names:
            (tmp_path / top / (inner + ".py")).write_text("x = 1\n")
        (tmp_path / top / "sub").mkdir()
        (tmp_path / top / "sub" / "f.txt").write_text("y\n")
    for name in names:
        (tmp_path / (name + ".txt")).write_text("z\n")
    for top in ("a.b", "a"):
        (tmp_path / top / ".gitignore").mkdir()  # cannot be read as a file: skipped, with its path
    listing = Listing(tmp_path)
    files = list(listing)
    assert files == sorted(files)
    expected = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()}
    assert set(files) == expected and len(files) == len(expected)
    assert [s.path for s in listing.skipped] == ["a/.gitignore", "a.b/.gitignore"]
    assert listing.count() == len(files)
    again, skipped, used_git = list_files(tmp_path)
    assert (again, [s.path for s in skipped], used_git) == (files, ["a/.gitignore", "a.b/.gitignore"], False)
