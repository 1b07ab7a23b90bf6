"""Shared machinery of the fuzz suite: profiles, the per-example time bound, the outcome contract,
mutation strategies and a small TOML writer for generated documents.

The contract every fuzz test checks: a parser returns a result or raises a
:class:`~licencecmp.errors.LicencecmpError` subclass (which the CLI turns into exit 2 and one
line). Any other exception is a crash; an example that runs past its time bound is a hang.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import faulthandler
import io
import json
import math
import os
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from licencecmp.errors import LicencecmpError

T = TypeVar("T")

PROFILE_ENV = "LICENCECMP_FUZZ_PROFILE"
TIMEOUT_ENV = "LICENCECMP_FUZZ_TIMEOUT"
PROFILES = ("quick", "deep")

# quick: what .ci/run runs, deterministic (the same examples every run, so CI does not flake);
# deep: many random examples, remembered in .hypothesis/ so a failure is replayed first.
settings.register_profile(
    "licencecmp-fuzz-quick", max_examples=50, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
settings.register_profile(
    "licencecmp-fuzz-deep", max_examples=2000, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


def profile_name() -> str:
    name = os.environ.get(PROFILE_ENV, "quick").strip().lower() or "quick"
    if name not in PROFILES:
        raise ValueError(f"{PROFILE_ENV}={name!r}: use one of {', '.join(PROFILES)}")
    return name


def fuzz_settings(scale: float = 1.0) -> settings:
    """The selected profile for one test (``scale`` < 1 for expensive targets such as whole scans).

    Applied per test, never loaded globally, so the property tests keep their own settings."""
    base = settings.get_profile(f"licencecmp-fuzz-{profile_name()}")
    return settings(base, max_examples=max(5, int(base.max_examples * scale)))


def example_timeout() -> float:
    return float(os.environ.get(TIMEOUT_ENV, "10"))


WATCHDOG_FLOOR = 120.0
"""Seconds of wall time before the watchdog of :func:`bounded` ends the process, whatever the bound."""


class Hang(BaseException):  # BaseException: no `except Exception` in the code under test swallows it
    """An example ran past its time bound."""


@contextlib.contextmanager
def bounded(seconds: float | None = None) -> Iterator[None]:
    """Fail an example that spends more than ``seconds`` of this process's CPU time (a hang: a loop
    that never ends). CPU time, not wall time, so a machine busy with other work does not fail a
    correct example (issue 26: a 10 s wall-clock guard failed under load). A faulthandler watchdog
    ends the process (with every thread's stack) if the time is spent waiting or inside C code that
    never returns to the interpreter: at six times the bound in wall time, and never before
    WATCHDOG_FLOOR seconds (a 0.3 s bound on a 2-core machine at load 8 gets under a sixth of a core:
    its 1.8 s watchdog ended the whole pytest run)."""
    limit = example_timeout() if seconds is None else seconds
    if not hasattr(signal, "setitimer") or limit <= 0:
        yield
        return

    def on_alarm(signum: int, frame: Any) -> None:
        raise Hang(f"example still running after {limit:g} s of CPU time (a hang)")

    old = signal.signal(signal.SIGPROF, on_alarm)
    signal.setitimer(signal.ITIMER_PROF, limit)
    if sys.__stderr__ is not None:  # the real stderr: tests redirect sys.stderr to a StringIO
        faulthandler.dump_traceback_later(max(limit * 6, WATCHDOG_FLOOR), exit=True, file=sys.__stderr__)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)
        faulthandler.cancel_dump_traceback_later()


def outcome(fn: Callable[[], T]) -> T | LicencecmpError:
    """Call ``fn`` under the time bound: its result, or the LicencecmpError it raised. Any other
    exception propagates and fails the example (the traceback is the bug report)."""
    with bounded():
        try:
            return fn()
        except LicencecmpError as exc:
            assert str(exc).strip(), f"{type(exc).__name__} with an empty message"
            return exc


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    """A fresh directory per example (pytest's tmp_path is per test, not per example)."""
    with tempfile.TemporaryDirectory(prefix="licencecmp-fuzz-") as tmp:
        yield Path(tmp)


@contextlib.contextmanager
def chdir(path: Path) -> Iterator[None]:
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_cli(argv: Sequence[str], cwd: Path) -> tuple[int, str, str]:
    """``licencecmp.cli.main(argv)`` in ``cwd`` with stdin empty: (exit code, stdout, stderr).

    The contract: exit 0, 1 or 2 (3 is an internal error: a crash); on 2, stderr is exactly one
    line starting with ``licencecmp: error:``."""
    from licencecmp.cli import main

    out, err = io.StringIO(), io.StringIO()
    code: Any = 0
    old_in = sys.stdin
    sys.stdin = io.StringIO("")
    try:
        with chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), bounded():
            try:
                main(list(argv))
            except SystemExit as exc:
                code = exc.code
    finally:
        sys.stdin = old_in
    code = 0 if code is None else code
    stdout, stderr = out.getvalue(), err.getvalue()
    assert code in (0, 1, 2), f"licencecmp {' '.join(map(repr, argv))} exited {code!r}; stderr: {stderr!r}"
    assert "Traceback" not in stderr, stderr
    if code == 2:
        lines = stderr.splitlines()
        assert len(lines) == 1 and stderr.endswith("\n"), f"exit 2 must print one line, got {stderr!r}"
        assert lines[0].startswith("licencecmp: error: "), lines[0]
    return code, stdout, stderr


# -- strategies ---------------------------------------------------------------------------------

# Tokens that mean something to TOML, YAML, JSON, SPDX tag-value or the scanner; spliced into inputs.
TOKENS: tuple[bytes, ...] = (
    b"\x00", b"\r\n", b"\r", b"\n", b"\t", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xc3\x28", b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80", b'"', b"'", b'"""', b"'''", b"\\", b"\\u0000", b"\\U0010FFFF", b"\\uD800",
    b"[", b"]", b"[[", b"]]", b"{", b"}", b"=", b":", b",", b".", b"#", b"-", b"---", b"...", b"- ", b"? ",
    b"&a ", b"*a", b"<<: *a", b"!!python/object/apply:os.system ['true']", b"!!binary", b"%YAML 1.1",
    b"1e999", b"-0", b"nan", b"inf", b"0x7FFFFFFFFFFFFFFF", b"99999999999999999999999", b"1979-05-27",
    b"true", b"null", b"~", b"SPDXVersion: SPDX-2.3", b"PackageName:", b"SPDXID: SPDXRef-", b"<text>", b"</text>",
    b"AND", b"OR", b"WITH", b"(", b")", b"LicenseRef-", b"NOASSERTION", b"meta-llama/Llama-3.1-8B",
    b"from_pretrained(\"", b"pkg:huggingface/", b"https://huggingface.co/",
)

MAX_INPUT = 64 * 1024  # every generated input is bounded in size


MAX_BULK = 1024 * 1024


@st.composite
def bulk(draw: st.DrawFn, max_size: int = MAX_BULK) -> bytes:
    """Large inputs made of one or two tokens repeated (up to 1 MiB): blank lines, brackets,
    quotes, markers. They find work that grows faster than the input (a regex that rescans from
    each position), which small random inputs never reveal: such an input then runs past the
    example's time bound."""
    unit = draw(st.sampled_from(TOKENS)) + draw(st.one_of(st.just(b""), st.sampled_from(TOKENS)))
    n = draw(st.integers(1, max(1, max_size // len(unit))))
    return (draw(st.sampled_from([b"", b"---\n", b"[tool.licencecmp]\n", b"a = "])) + unit * n)[:max_size]


@st.composite
def mutated(draw: st.DrawFn, seed: bytes, max_ops: int = 6) -> bytes:
    """``seed`` with a few random byte-level edits: flips, inserts, deletions, duplications,
    truncation and splices of meaningful tokens."""
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, max_ops))):
        op = draw(st.sampled_from(("flip", "insert", "delete", "dup", "truncate", "token", "repeat")))
        pos = draw(st.integers(0, len(data))) if data else 0
        if op == "flip" and data:
            i = min(pos, len(data) - 1)
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif op == "insert":
            data[pos:pos] = draw(st.binary(min_size=1, max_size=16))
        elif op == "delete" and data:
            data[pos:pos + draw(st.integers(1, 64))] = b""
        elif op == "dup" and data:
            n = draw(st.integers(1, 256))
            data[pos:pos] = data[pos:pos + n]
        elif op == "truncate":
            del data[pos:]
        elif op == "token":
            data[pos:pos] = draw(st.sampled_from(TOKENS))
        elif op == "repeat":
            data[pos:pos] = draw(st.sampled_from(TOKENS)) * draw(st.integers(2, 200))
    return bytes(data[:MAX_INPUT])


def json_values(max_leaves: int = 30) -> st.SearchStrategy[Any]:
    """Bounded JSON-like values (also the shape of TOML and YAML documents)."""
    scalars = st.one_of(
        st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=40), st.sampled_from(["", "use", "serve", "mit", "llama-3.1", "apache-2.0", "EU", "DE",
                                               "meta-llama/Llama-3.1-8B", "NOASSERTION", "2025-01-01"]))
    return st.recursive(scalars, lambda kids: st.one_of(
        st.lists(kids, max_size=6), st.dictionaries(st.text(max_size=12), kids, max_size=6)), max_leaves=max_leaves)


@st.composite
def mutated_tree(draw: st.DrawFn, doc: Any, max_ops: int = 4) -> Any:
    """``doc`` (JSON-like) with a few structural edits: a value replaced by another of any type,
    a key deleted or added, a list emptied or wrapped, a subtree nested deeper."""
    doc = json.loads(json.dumps(doc, default=str))
    for _ in range(draw(st.integers(1, max_ops))):
        paths = list(_paths(doc))
        path = draw(st.sampled_from(paths))
        op = draw(st.sampled_from(("replace", "delete", "add", "wrap", "nest", "empty", "dup")))
        parent, key = _parent(doc, path)
        if parent is None:  # the root
            if op == "replace":
                doc = draw(json_values())
            elif op == "wrap":
                doc = [doc]
            continue
        value = parent[key]
        if op == "replace":
            parent[key] = draw(json_values())
        elif op == "delete":
            del parent[key]
        elif op == "add" and isinstance(value, dict):
            value[draw(st.text(max_size=12))] = draw(json_values(8))
        elif op == "wrap":
            parent[key] = [value]
        elif op == "nest":
            depth = draw(st.integers(1, 50))
            for _ in range(depth):
                value = {"x": value} if draw(st.booleans()) else [value]
            parent[key] = value
        elif op == "empty":
            parent[key] = type(value)() if isinstance(value, (dict, list, str)) else None
        elif op == "dup" and isinstance(parent, list):
            parent.append(json.loads(json.dumps(value)))
    return doc


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from _paths(v, (*prefix, i))


def _parent(doc: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    if not path:
        return None, None
    node = doc
    for part in path[:-1]:
        node = node[part]
    return node, path[-1]


# -- writing TOML ---------------------------------------------------------------------------------


def toml_value(v: Any) -> str:
    """One TOML value, inline (tables as inline tables)."""
    if v is None:
        return '""'  # TOML has no null
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v) if -(2**63) <= v < 2**63 else json.dumps(str(v))
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, str):
        return _toml_string(v)
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_toml_string(str(k))} = {toml_value(x)}" for k, x in v.items()) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return _toml_string(str(v))


def _toml_string(s: str) -> str:
    out = ['"']
    for ch in s:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def toml_document(doc: dict[str, Any]) -> str:
    """A TOML document: top-level tables as [headers] (arrays of tables as [[headers]]), the rest inline."""
    lines: list[str] = []
    tables: list[tuple[str, Any]] = []
    for k, v in doc.items():
        if isinstance(v, dict) or (isinstance(v, list) and v and all(isinstance(x, dict) for x in v)):
            tables.append((k, v))
        else:
            lines.append(f"{_toml_string(str(k))} = {toml_value(v)}")
    for k, v in tables:
        if isinstance(v, dict):
            lines.append(f"\n[{_toml_string(str(k))}]")
            lines += [f"{_toml_string(str(kk))} = {toml_value(vv)}" for kk, vv in v.items()]
        else:
            for item in v:
                lines.append(f"\n[[{_toml_string(str(k))}]]")
                lines += [f"{_toml_string(str(kk))} = {toml_value(vv)}" for kk, vv in item.items()]
    return "\n".join(lines) + "\n"
