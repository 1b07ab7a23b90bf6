"""``initialize`` answered while the MCP SDK loads (issue 26): the early answer is the SDK's own, it is
given only for the plain request of a negotiated protocol version, it is never sent twice, and
everything after it is the SDK's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp.server.lowlevel", reason="the MCP SDK (licencecmp[mcp]) is not installed")

from licencecmp.mcp import handshake
from licencecmp.mcp.compile import generate, installed_sdk, recorded_sdk
from licencecmp.mcp.handshake import INSTRUCTIONS, early_answer, load_answers

ROOT = Path(__file__).resolve().parents[2]
ENV = {"PYTHONPATH": str(ROOT / "src"), "LICENCECMP_SHARED": os.environ.get("LICENCECMP_SHARED", ""),
       "PATH": os.environ.get("PATH", ""), "HF_HUB_OFFLINE": "1"}


def request(ident: Any = 1, version: Any = "2025-06-18", **extra: Any) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": ident, "method": "initialize",
            "params": {"protocolVersion": version, "capabilities": {"roots": {"listChanged": True}},
                       "clientInfo": {"name": "test", "version": "1"}, **extra}}


@pytest.fixture
def same_sdk() -> None:
    if recorded_sdk() != installed_sdk():
        pytest.skip(f"handshake.json is for the SDK {recorded_sdk()}, not the installed {installed_sdk()}: no early "
                    "answer to test (python scripts/regenerate.py)")


def line(message: Any) -> bytes:
    return json.dumps(message).encode() + b"\n"


def test_the_generated_answers_are_the_sdks_and_hold_for_the_installed_sdk() -> None:
    """Fresh for the SDK it names; with another SDK installed (a fresh install may pick a newer release) the
    table is not used at all, and regenerating makes it the installed SDK's."""
    if recorded_sdk() != installed_sdk():
        assert load_answers() is None
        assert json.loads(generate())["sdk"] == installed_sdk()
        return
    assert generate() == handshake.ANSWERS.read_text(encoding="utf-8"), "run python scripts/regenerate.py"
    answers = load_answers()
    assert answers, "handshake.json does not hold for the installed SDK"
    from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS

    assert sorted(answers) == sorted(HANDSHAKE_PROTOCOL_VERSIONS)
    assert all(a["instructions"] == INSTRUCTIONS and a["protocolVersion"] == v for v, a in answers.items())


@pytest.mark.parametrize("ident", [1, 0, -7, "abc", "1"])
def test_the_early_answer_keeps_the_id_and_is_the_table_s(ident: Any, same_sdk: None) -> None:
    answers = load_answers()
    got = early_answer(line(request(ident)), answers)
    assert got is not None
    message = json.loads(got[0])
    assert got[1] == ident and message["id"] == ident and type(message["id"]) is type(ident)
    assert message == {"jsonrpc": "2.0", "id": ident, "result": answers and answers["2025-06-18"]}


@pytest.mark.parametrize("message", [
    request(version="1999-01-01"),                       # not negotiated as asked: the SDK answers
    request(version=7),
    request(ident=True), request(ident=None), request(ident=1.5), request(ident=[1]),
    request(extra={"x": 1}),                             # more than the plain shape
    {**request(), "method": "ping"},
    {**request(), "jsonrpc": "1.0"},
    {key: value for key, value in request().items() if key != "id"},    # a notification
    {**request(), "params": {"protocolVersion": "2025-06-18", "capabilities": {"roots": True},
                             "clientInfo": {"name": "test", "version": "1"}}},
    {**request(), "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                             "clientInfo": {"name": 1, "version": "1"}}},
    {**request(), "params": {"protocolVersion": "2025-06-18", "capabilities": {}}},
    [request()], "initialize", None,
])
def test_anything_but_a_plain_initialize_is_left_to_the_sdk(message: Any) -> None:
    assert early_answer(line(message), load_answers()) is None


@pytest.mark.parametrize("raw", [b"[" * 200_000 + b"]" * 200_000, b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
                                 b"\xff\xfe\x00{", b"", b"\n", b'"' + b"A" * 5_000_000])
def test_hostile_first_lines_are_left_to_the_sdk_without_a_crash(raw: bytes) -> None:
    assert early_answer(raw + b"\n", load_answers()) is None


def test_no_early_answer_without_a_table_that_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = json.loads(handshake.ANSWERS.read_text(encoding="utf-8"))
    assert early_answer(line(request()), None) is None
    for changed in ({**table, "sdk": {**table["sdk"], "mcp": "0.0.1"}},          # another SDK
                    {**table, "sdk": {"mcp": table["sdk"]["mcp"]}},
                    {**table, "answers": {v: {**a, "instructions": "old"} for v, a in table["answers"].items()}},
                    {**table, "answers": {v: {**a, "serverInfo": {"name": "licencecmp", "version": "0"}}
                                          for v, a in table["answers"].items()}}):
        path = tmp_path / "handshake.json"
        path.write_text(json.dumps(changed), encoding="utf-8")
        monkeypatch.setattr(handshake, "ANSWERS", path)
        assert early_answer(line(request()), load_answers()) is None
    path.write_text("{not json", encoding="utf-8")
    assert load_answers() is None


def converse(messages: list[Any], raw: bytes = b"") -> list[dict[str, Any]]:
    """Send everything at once, read until every request is answered, then close stdin (a request still
    in flight when the client leaves is cancelled by the SDK)."""
    wanted = {m["id"] for m in messages if isinstance(m, dict) and "id" in m}
    proc = subprocess.Popen([sys.executable, "-m", "licencecmp", "mcp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, cwd=str(ROOT))
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    got: list[dict[str, Any]] = []
    try:
        proc.stdin.write(raw + b"".join(map(line, messages)))
        proc.stdin.flush()
        while not wanted <= {m.get("id") for m in got}:
            text = proc.stdout.readline()
            assert text, "the server closed the connection"
            got.append(json.loads(text))
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
        got += [json.loads(text) for text in proc.stdout.read().splitlines()]
        assert b"otherwise than the early answer" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stderr.close()
    return got


def test_one_answer_per_request_and_the_session_goes_on(same_sdk: None) -> None:
    answers = load_answers()
    assert answers
    got = converse([request(), {"jsonrpc": "2.0", "method": "notifications/initialized"},
                    {"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}},
                    {"jsonrpc": "2.0", "id": 3, "method": "tools/call",
                     "params": {"name": "can", "arguments": {"licence": "mit", "action": "use"}}}])
    assert [m.get("id") for m in got] == [1, 2, 3]
    assert got[0]["result"] == answers["2025-06-18"]
    assert "can" in {tool["name"] for tool in got[1]["result"]["tools"]}
    assert got[2]["result"]["structuredContent"]["verdict"] == "allowed"


def test_what_the_table_does_not_answer_the_sdk_does() -> None:
    got = converse([request(version="1999-01-01"), {"jsonrpc": "2.0", "id": 2, "method": "ping"}])
    assert [m.get("id") for m in got] == [1, 2]
    assert got[0]["result"]["serverInfo"]["name"] == "licencecmp" and got[0]["result"]["protocolVersion"] != "1999"
    got = converse([request(ident=5)], raw=b"this is not json\n")
    assert [m.get("id") for m in got] == [5] and got[0]["result"]["serverInfo"]["name"] == "licencecmp"


def test_the_tools_cannot_read_or_write_the_wire() -> None:
    """While serving, descriptor 0 reads nothing and descriptor 1 writes to standard error."""
    probe = ("import os, sys\n"
             "from licencecmp.mcp.handshake import Handshake\n"
             "h = Handshake.start()\n"
             "h.sdk()\n"
             "os.write(1, b'stray\\n')\n"
             "assert os.read(0, 10) == b''\n"
             "h.stdout.write(h.stdin.readline())\n"
             "h.stdout.write(h.stdin.readline())\n"
             "h.stdout.flush()\n")
    done = subprocess.run([sys.executable, "-c", probe], input=b"one\ntwo\n", capture_output=True, timeout=120,
                          env=ENV, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == b"one\ntwo\n" and done.stderr == b"stray\n"


def test_a_closed_stdin_is_one_line_and_exit_2() -> None:
    done = subprocess.run([sys.executable, "-c", "import os, sys\nos.close(0)\nsys.stdin = None\n"
                           "from licencecmp.cli import main\nmain(['mcp'])\n"],
                          capture_output=True, timeout=120, env=ENV, check=False)
    assert done.returncode == 2, done.stderr[-2000:]
    assert done.stderr.count(b"\n") == 1 and b"stdin and stdout" in done.stderr and done.stdout == b""
