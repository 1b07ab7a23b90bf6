"""A hostile Hub (issue 25, item 13): a drip-fed answer, a huge answer, a MemoryError. Each lookup
and the whole online phase have a deadline; answers are streamed under a size cap; a MemoryError is
never retried. The server is a loopback stand-in; no test reaches the network."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from licencecmp.scan import hub
from tests.scan.hubstub import hub_stub, model_json


@contextlib.contextmanager
def _server(kind: str, hits: list[str]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if kind == "huge-declared":
                self.send_header("Content-Length", str(300 << 20))
            else:
                self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            with contextlib.suppress(OSError):
                if kind == "drip":  # one byte every 0.2 s, for ever: each read is within the read timeout
                    for _ in range(10_000):
                        self.wfile.write(b'1\r\n \r\n')
                        self.wfile.flush()
                        time.sleep(0.2)
                elif kind in ("huge", "huge-declared"):  # 300 MB of a JSON string, never read whole
                    block = b" " * (1 << 20)
                    head = b'{"id": "x", "pad": "'
                    self.wfile.write(b"%x\r\n" % len(head) + head + b"\r\n" if kind == "huge" else head)
                    for _ in range(300):
                        if kind == "huge":
                            self.wfile.write(b"%x\r\n" % len(block) + block + b"\r\n")
                        else:
                            self.wfile.write(block)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_drip_fed_answer_ends_at_the_lookup_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    hits: list[str] = []
    with _server("drip", hits) as url:
        monkeypatch.setenv("HF_ENDPOINT", url)
        start = time.monotonic()
        answer = hub.fetch_one("acme/slow", timeout=5.0, deadline=1.5)
        took = time.monotonic() - start
    assert answer.facts is None and answer.reason is not None and "deadline" in answer.reason
    assert took < 60, took  # was: 2,000 s, the whole drip (the 5 s timeout is per read; each byte came in time)
    assert len(hits) == 1  # not retried


@pytest.mark.parametrize("kind", ["huge", "huge-declared"])
def test_a_huge_answer_is_refused_at_the_cap(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    hits: list[str] = []
    with _server(kind, hits) as url:
        monkeypatch.setenv("HF_ENDPOINT", url)
        answer = hub.fetch_one("acme/huge", timeout=5.0, deadline=20)
    assert answer.facts is None and answer.reason is not None and "cap" in answer.reason, answer.reason
    assert len(hits) == 1


def test_the_online_phase_has_one_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    hits: list[str] = []
    with _server("drip", hits) as url:
        monkeypatch.setenv("HF_ENDPOINT", url)
        start = time.monotonic()
        answers = hub.fetch_many([f"acme/m{i}" for i in range(6)], workers=2, deadline=1.0)
        took = time.monotonic() - start
    assert took < 60, took
    assert all(a.facts is None and a.reason and "deadline" in a.reason for a in answers.values())
    assert len(hits) <= 2  # the ids not started before the deadline were never asked for


def test_a_memory_error_is_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError

    with hub_stub({"acme/big": (200, model_json("acme/big", "mit"), 0.0)}) as (url, seen):
        monkeypatch.setenv("HF_ENDPOINT", url)
        monkeypatch.setattr(json, "loads", boom)  # reading the answer runs out of memory
        answer = hub.fetch_one("acme/big", retries=3, backoff=0.01)
        monkeypatch.undo()
    assert answer.facts is None and answer.reason == "the Hub's answer was too large to read"
    assert len(seen) == 1  # was: three more attempts


def test_a_normal_answer_still_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    with hub_stub({"acme/ok": (200, model_json("acme/ok", "apache-2.0"), 0.0)}) as (url, _):
        monkeypatch.setenv("HF_ENDPOINT", url)
        answer = hub.fetch_one("acme/ok")
    assert answer.facts is not None and answer.facts.licence == "apache-2.0"
