"""Fuzz: ``licencecmp identify``: reading a LICENSE file and matching its text.

Any text gives an Identification; any bytes in a file give text or an InputError (binary,
not UTF-8, too large); the command exits 0, 1 or 2 with one line.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from licencecmp.data.catalogue import default_catalogue
from licencecmp.errors import InputError, LicencecmpError
from licencecmp.reasoning.identify import Identification, identify_text, read_text_file

from ._support import bounded, bulk, fuzz_settings, mutated, outcome, run_cli, scratch

CAT = default_catalogue()
QUOTES = [ev.quote for lic in list(CAT)[:8] for ev in lic.all_evidence()[:3]]
SEED = "\n\n".join(QUOTES).encode("utf-8")

texts = st.one_of(st.text(max_size=3000), st.lists(st.sampled_from(QUOTES), max_size=8).map("\n".join),
                  st.just(SEED).flatmap(mutated).map(lambda b: b.decode("utf-8", "replace")),
                  bulk().map(lambda b: b.decode("utf-8", "replace")))
files = st.one_of(st.binary(max_size=3000), st.just(SEED).flatmap(mutated), bulk(),
                  st.just(SEED).map(lambda b: b.decode().encode("utf-16")),
                  st.just(SEED).map(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n")))


@fuzz_settings()
@given(texts)
def test_identify_text_always_answers(text: str) -> None:
    with bounded():
        result = identify_text(text, CAT)
    assert isinstance(result, Identification)
    assert 0.0 <= result.score <= 1.0
    assert result.licence is None or result.licence in CAT.ids()


@fuzz_settings()
@given(files)
def test_read_text_file_gives_text_or_input_error(data: bytes) -> None:
    with scratch() as d:
        path = d / "LICENSE"
        path.write_bytes(data)
        result = outcome(lambda: read_text_file(path))
        if isinstance(result, LicencecmpError):
            assert isinstance(result, InputError)
        else:
            assert isinstance(result, str)
        code, out, _ = run_cli(["identify", "LICENSE", "--format", "json"], d)
        assert code == 2 or out.startswith("{")
