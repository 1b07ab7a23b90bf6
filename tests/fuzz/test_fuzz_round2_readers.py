"""Fuzz: the readers of issue 25 items 6, 9 and 14, under every line ending (LF, CRLF, lone CR),
JSON/TOML escapes and one-line files: the text/binary classifier (control bytes in comments never
make a script binary), the lock reader (escaped ids read back as written) and the policy pin."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.scan.lock import LockEntry, lock_text, read_lock
from licencecmp.scan.policy import declares_root
from licencecmp.scan.reading import SNIFF, classify

from ._support import fuzz_settings, outcome, scratch

NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])
CONTROL = st.binary(min_size=1, max_size=64).map(lambda b: bytes(1 + x % 8 for x in b))  # 0x01-0x08
CODE = st.lists(st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,8} = \"[a-z0-9/._-]{1,30}\"", fullmatch=True),
                min_size=1, max_size=20)


@fuzz_settings()
@given(NEWLINES, CONTROL, st.integers(min_value=1, max_value=3 * SNIFF), CODE,
       st.sampled_from(["#", "//", "--", ";"]))
def test_control_bytes_in_comments_never_make_a_script_binary(nl: str, junk: bytes, size: int, code: list[str],
                                                             mark: str) -> None:
    comment = mark.encode() + b" " + (junk * (size // len(junk) + 1))[:size]
    data = b"#!/bin/sh" + nl.encode() + comment + nl.encode() + nl.join(code).encode() + nl.encode()
    assert classify(data, "serve") == "text"
    trailing = nl.join(code).encode() + b"  # " + (junk * (size // len(junk) + 1))[:size]
    assert classify(trailing, "serve") == "text"  # a one-line file whose comment follows the code


@fuzz_settings()
@given(st.binary(max_size=3 * SNIFF), NEWLINES)
def test_classify_is_total_on_one_line_and_split_files(data: bytes, nl: str) -> None:
    for form in (data, data.replace(b"\n", nl.encode()), data.replace(b"\n", b"").replace(b"\r", b"")):
        assert classify(form, "x") in ("text", "binary", "utf-16")


IDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40)


def _escaped(text: str) -> str:
    """A TOML basic string with every character as a \\uXXXX / \\UXXXXXXXX escape (JSON's form)."""
    return '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}" for c in text) + '"'


@fuzz_settings(0.5)
@given(st.lists(IDS, min_size=1, max_size=5, unique_by=str.casefold), NEWLINES)
def test_a_lock_reads_back_whatever_its_line_endings_and_escapes(ids: list[str], nl: str) -> None:
    entries = [LockEntry(id=i, licences=("mit",), resolution="card") for i in ids]
    text = lock_text(entries, "0")
    one_line = "model = [" + ", ".join(f'{{id = {_escaped(i)}, licences = ["mit"]}}' for i in ids) + "]"
    with scratch() as tmp:
        path = tmp / "licencecmp.lock"
        for form in (text.replace("\n", nl), one_line):
            path.write_bytes(form.encode("utf-8"))
            lock = outcome(lambda: read_lock(path))
            if nl == "\r" and form is not one_line:
                continue  # a lone CR is not a TOML line break: an InputError (checked by outcome), never a crash
            assert sorted(e.id for e in lock.entries.values()) == sorted(ids)  # type: ignore[union-attr]


@fuzz_settings(0.5)
@given(NEWLINES, st.booleans(), st.booleans())
def test_the_policy_pin_is_read_whatever_the_layout(nl: str, pinned: bool, pyproject: bool) -> None:
    head = "[tool.licencecmp]" + nl if pyproject else ""
    text = head + f"actions = [\"use\"]{nl}root = {str(pinned).lower()}{nl}"
    with scratch() as tmp:
        path = tmp / ("pyproject.toml" if pyproject else "licencecmp.toml")
        path.write_bytes(text.encode())
        got = outcome(lambda: declares_root(path))
        if nl != "\r":
            assert got is pinned
