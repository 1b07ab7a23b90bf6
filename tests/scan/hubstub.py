"""A loopback stand-in for the Hugging Face Hub's ``GET /api/models/{repo_id}``, for the real
``huggingface_hub`` client through ``HF_ENDPOINT`` (127.0.0.1, an ephemeral port, a thread)."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlparse

__all__ = ["Answer", "hub_stub"]

Answer = tuple[int, dict[str, Any] | None, float]  # status, JSON body, delay in seconds


def _handler(answers: Mapping[str, Answer], seen: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = unquote(urlparse(self.path).path)
            seen.append(path)
            prefix = "/api/models/"
            repo = path[len(prefix):].split("/revision/")[0] if path.startswith(prefix) else ""
            status, body, delay = answers.get(repo, (404, {"error": "Repository not found"}, 0.0))
            if delay:
                time.sleep(delay)
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if status == 404:
                self.send_header("X-Error-Code", "RepoNotFound")
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (timeout)
                self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    return Handler


@contextmanager
def hub_stub(answers: Mapping[str, Answer]) -> Iterator[tuple[str, list[str]]]:
    """Serve ``answers`` (repo id -> answer); yields the endpoint URL and the paths requested."""
    seen: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(answers, seen))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def model_json(repo_id: str, licence: str | None, base: str | None = None, sha: str = "a" * 40,
               **card: Any) -> dict[str, Any]:
    """A body like the Hub's for a model: cardData and tags."""
    tags = ["transformers", "safetensors"]
    data: dict[str, Any] = dict(card)
    if licence:
        tags.append(f"license:{licence}")
        data["license"] = licence
    if base:
        tags.append(f"base_model:{base}")
        data["base_model"] = base
    return {"_id": "x", "id": repo_id, "modelId": repo_id, "sha": sha, "private": False, "gated": False,
            "tags": tags, "cardData": data, "siblings": []}
