"""MCP's ``initialize``, answered while the MCP SDK is still loading.

Importing the SDK takes most of a second (its protocol types are hundreds of pydantic models), and
every agent session starts the server anew. So ``licencecmp mcp`` starts that import in a thread,
reads the client's first message meanwhile and, when it is a plain ``initialize`` for a protocol
version the SDK negotiates, answers it at once with what the SDK itself answers: the answers are
generated from the SDK (``python -m licencecmp.mcp.compile``, run by ``scripts/regenerate.py``)
into ``handshake.json``, one per protocol version, together with the SDK's version. The SDK then
receives that same first message, so its session is set up exactly as without the early answer,
and its own answer (the same bytes but for formatting: a test and a run-time comparison prove it)
is not sent twice. Anything else, an SDK other than the one the answers were generated from, or a
different ``instructions`` text or licencecmp version, and the SDK answers alone as before.

Like the SDK's stdio transport, the server keeps the wire to itself: descriptor 0 then reads the
null device and descriptor 1 writes to standard error, so that nothing a tool runs can read the
client's messages or write into the protocol stream.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from licencecmp._version import __version__

__all__ = ["ANSWERS", "INSTRUCTIONS", "SDK_DISTRIBUTIONS", "Handshake", "early_answer", "load_answers"]

INSTRUCTIONS = (
    "licencecmp answers what the licence of an open-weight AI model lets a user do: a verdict "
    "(allowed, conditional, unclear, needs-permission, prohibited), the conditions and obligations that come with "
    "it, and the licence clauses it rests on. Every tool names its subject `licence`: a licence id (llama-3.1), "
    "alias (llama3.1, MIT), SPDX expression, or Hugging Face model id (meta-llama/Llama-3.1-8B). Scenario facts "
    "(mau, domicile, used_in, region, commercial, ...) are arguments of can, compare and combine; a fact left out "
    "is 'not stated' and the answer names the condition that depends on it; an unknown argument is an error. "
    "Answers are compact; pass detail: \"full\" for every clause quoted word for word. Not legal advice."
)

ANSWERS = Path(__file__).with_name("handshake.json")
"""The SDK's ``initialize`` results by requested protocol version, and the SDK's distributions' versions."""

SDK_DISTRIBUTIONS = ("mcp", "mcp_types")
INITIALIZE_KEYS = frozenset({"jsonrpc", "id", "method", "params"})
PARAMS_KEYS = frozenset({"protocolVersion", "capabilities", "clientInfo"})


def _installed(name: str, version: str) -> bool:
    """Whether distribution ``name`` is installed at ``version``, without importing it (a look for its
    ``.dist-info`` beside the package: ``importlib.metadata`` alone costs a tenth of the SDK's import)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    site = Path(next(iter(spec.submodule_search_locations))).parent
    return (site / f"{name}-{version}.dist-info").is_dir()


def load_answers() -> dict[str, Any] | None:
    """The generated answers, when they hold for the SDK installed and this licencecmp."""
    try:
        table = json.loads(ANSWERS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(table, dict) or not isinstance(table.get("answers"), dict):
        return None
    sdk = table.get("sdk")
    if not isinstance(sdk, dict) or set(sdk) != set(SDK_DISTRIBUTIONS):
        return None
    if not all(isinstance(v, str) and _installed(name, v) for name, v in sdk.items()):
        return None
    answers: dict[str, Any] = table["answers"]
    return answers


def early_answer(line: bytes, answers: dict[str, Any] | None) -> tuple[bytes, Any] | None:
    """The answer to ``line`` (a JSON-RPC message) and its id, when it is an ``initialize`` request the
    table answers: the plain shape only, a protocol version the SDK negotiates, this licencecmp's
    name, version and instructions in the answer. None otherwise (the SDK then answers alone)."""
    if not answers:
        return None
    try:
        message = json.loads(line)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested past the parser's depth
        return None
    if not isinstance(message, dict) or set(message) != INITIALIZE_KEYS or message["jsonrpc"] != "2.0" \
            or message["method"] != "initialize":
        return None
    ident, params = message["id"], message["params"]
    if isinstance(ident, bool) or not isinstance(ident, (int, str)) or not isinstance(params, dict) \
            or set(params) != PARAMS_KEYS:
        return None
    client, capabilities = params["clientInfo"], params["capabilities"]
    if not isinstance(client, dict) or not isinstance(client.get("name"), str) \
            or not isinstance(client.get("version"), str) or not isinstance(capabilities, dict) \
            or not all(isinstance(v, dict) for v in capabilities.values()):
        return None
    result = answers.get(params["protocolVersion"]) if isinstance(params["protocolVersion"], str) else None
    if not isinstance(result, dict) or result.get("instructions") != INSTRUCTIONS \
            or result.get("serverInfo") != {"name": "licencecmp", "version": __version__}:
        return None
    text = json.dumps({"jsonrpc": "2.0", "id": ident, "result": result}, ensure_ascii=False,
                      separators=(",", ":"))
    return (text + "\n").encode("utf-8"), ident


class _Replay:
    """The client's messages for the SDK: the first line (already read), then the wire."""

    def __init__(self, first: bytes, wire: IO[bytes]) -> None:
        self._first: bytes | None = first
        self._wire = wire

    def readline(self) -> str:
        if self._first is not None:
            line, self._first = self._first, None
        else:
            line = self._wire.readline()
        # one line at a time: a UTF-8 sequence never holds a newline byte, so this decodes as the SDK's
        # own reader (a text wrapper with errors="replace") does
        return line.decode("utf-8", errors="replace")


class _Outgoing:
    """The SDK's messages for the client, less its answer to the ``initialize`` already answered."""

    def __init__(self, wire: IO[bytes], answered: tuple[bytes, Any] | None) -> None:
        self._wire = wire
        self._pending = answered

    def write(self, text: str) -> int:
        if self._pending is not None and self._is_the_answer(text):
            return len(text)
        self._wire.write(text.encode("utf-8"))
        return len(text)

    def _is_the_answer(self, text: str) -> bool:
        assert self._pending is not None
        sent, ident = self._pending
        try:
            message = json.loads(text)
        except (ValueError, RecursionError):
            return False
        if not isinstance(message, dict) or "method" in message or message.get("id") != ident \
                or type(message.get("id")) is not type(ident):
            return False
        self._pending = None
        if message != json.loads(sent):
            sys.stderr.write("licencecmp mcp: the MCP SDK answered initialize otherwise than the early answer; "
                             "regenerate src/licencecmp/mcp/handshake.json (python scripts/regenerate.py)\n")
        return True

    def flush(self) -> None:
        self._wire.flush()


def _load_sdk(failed: list[BaseException]) -> None:
    try:
        import mcp.server.lowlevel
        import mcp.server.stdio
        import mcp.types  # noqa: F401
    except BaseException as exc:  # reported by the thread that waits for it
        failed.append(exc)


@dataclass
class Handshake:
    """The server's stdio, claimed, with the first message read (and answered when it could be)."""

    stdin: Any
    """What the SDK reads (``readline()``: the first message, then the client's)."""
    stdout: Any
    """What the SDK writes to (``write``, ``flush``)."""
    answered: bool
    _loader: threading.Thread = field(repr=False)
    _failed: list[BaseException] = field(repr=False)

    @classmethod
    def start(cls) -> Handshake:
        """Claim stdio, start loading the SDK, read the first message and answer it if it is ``initialize``."""
        try:
            wire_in = os.fdopen(os.dup(0), "rb")
            wire_out = os.fdopen(os.dup(1), "wb")
        except OSError as exc:
            from licencecmp.errors import InputError

            raise InputError(f"the MCP server talks over stdin and stdout, and one of them is closed ({exc.strerror})"
                             ) from None
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.dup2(2, 1)
        failed: list[BaseException] = []
        loader = threading.Thread(target=_load_sdk, args=(failed,), name="licencecmp-mcp-sdk", daemon=True)
        loader.start()
        first = wire_in.readline()
        answered = early_answer(first, load_answers()) if first else None
        if answered is not None:
            wire_out.write(answered[0])
            wire_out.flush()
        return cls(_Replay(first, wire_in), _Outgoing(wire_out, answered), answered is not None, loader, failed)

    def sdk(self) -> BaseException | None:
        """Wait for the SDK; the exception its import raised, if any."""
        self._loader.join()
        return self._failed[0] if self._failed else None
