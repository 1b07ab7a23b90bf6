"""`licencecmp mcp` over the wire, by three clients: the MCP SDK's, a raw JSON-RPC one (every byte
seen), and the npm inspector's CLI mode (another implementation; skipped with a reason where it is
not installed: scripts/test.sh installs it when npm can). Annotations, prompts, strict arguments,
compact answers, capped inputs and a lazy start (issue 23 §1)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("mcp.server.lowlevel", reason="the MCP SDK (licencecmp[mcp]) is not installed")

ROOT = Path(__file__).resolve().parents[2]
ENV = {"PYTHONPATH": str(ROOT / "src"), "LICENCECMP_SHARED": os.environ.get("LICENCECMP_SHARED", ""),
       "PATH": os.environ.get("PATH", ""), "HF_HUB_OFFLINE": "1"}
SERVER = [sys.executable, "-m", "licencecmp", "mcp"]


def sdk_session(body: Any) -> Any:
    from mcp.client.client import Client
    from mcp.client.stdio import StdioServerParameters

    params = StdioServerParameters(command=SERVER[0], args=SERVER[1:], env=ENV, cwd=str(ROOT))

    async def go() -> Any:
        async with Client(params) as client:
            return await body(client)

    return asyncio.run(go())


def test_annotations_prompts_and_strict_calls_with_the_sdk_client() -> None:
    async def body(client: Any) -> dict[str, Any]:
        out: dict[str, Any] = {"tools": (await client.list_tools()).tools,
                               "prompts": (await client.list_prompts()).prompts}
        out["prompt"] = await client.get_prompt("check-before-adding-a-model", {"model": "acme/new-model"})
        out["typo"] = await client.call_tool("can", {"licence": "llama-3.1", "action": "commercial-use",
                                                     "monthly_active_users": 800_000_000})
        out["compact"] = await client.call_tool("can", {"licence": "llama-3.1", "action": "commercial-use",
                                                        "mau": 800_000_000})
        out["full"] = await client.call_tool("can", {"licence": "llama-3.1", "action": "commercial-use",
                                                     "mau": 800_000_000, "detail": "full"})
        out["no_tool"] = await client.call_tool("cann", {"licence": "mit", "action": "use"})
        out["template"] = (await client.list_resource_templates()).resource_templates
        return out

    got = sdk_session(body)
    for tool in got["tools"]:
        a = tool.annotations
        assert a.read_only_hint is True and a.destructive_hint is False and a.open_world_hint is True, tool.name
        assert tool.input_schema["additionalProperties"] is False
    names = {p.name for p in got["prompts"]}
    assert names == {"check-before-adding-a-model", "may-i"}
    text = got["prompt"].messages[0].content.text
    assert "`check`" in text and "acme/new-model" in text and "`can`" in text
    typo = got["typo"]
    assert typo.is_error and "did you mean 'mau'" in typo.content[0].text
    compact, full = got["compact"], got["full"]
    assert compact.structured_content["verdict"] == full.structured_content["verdict"] == "needs-permission"
    assert len(json.dumps(compact.structured_content)) < len(json.dumps(full.structured_content))
    assert "verdict: needs-permission" in compact.content[0].text
    # the text is the compact answer as lines, not the structured content a second time
    assert compact.content[0].text != json.dumps(compact.structured_content)
    assert got["no_tool"].is_error and "did you mean 'can'" in got["no_tool"].content[0].text
    assert [t.uri_template for t in got["template"]] == ["licencecmp://licence/{id}"]


class Raw:
    """A minimal JSON-RPC client over the server's stdio: what any other implementation sends."""

    def __init__(self, tmp: Path) -> None:
        self.err = (tmp / "stderr").open("w+b")
        self.proc = subprocess.Popen(SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err,
                                     env=ENV, cwd=str(ROOT))
        self.next = 0

    def ask(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.next += 1
        self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", "id": self.next, "method": method,
                                          "params": params}).encode() + b"\n")
        self.proc.stdin.flush()
        while True:
            line = self.proc.stdout.readline()
            assert line, "the server closed the connection"
            message: dict[str, Any] = json.loads(line)
            if message.get("id") == self.next:
                return message

    def tell(self, method: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": method}).encode() + b"\n")
        self.proc.stdin.flush()

    def close(self) -> bytes:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self.err.seek(0)
        data = self.err.read()
        self.err.close()
        return data


def test_a_20_mb_argument_is_refused_in_one_short_line_and_never_echoed(tmp_path: Path) -> None:
    raw = Raw(tmp_path)
    try:
        init = raw.ask("initialize", {"protocolVersion": "2025-06-18", "capabilities": {},
                                      "clientInfo": {"name": "raw", "version": "0"}})
        assert init["result"]["serverInfo"]["name"] == "licencecmp"
        raw.tell("notifications/initialized")
        huge = "A" * 20_000_000
        answers = [raw.ask("tools/call", {"name": "can", "arguments": args}) for args in (
            {"licence": huge, "action": "use"}, {"licence": "mit", "action": "use", huge: 1},
            {"licence": "mit", "action": "use", "purpose": [huge]})]
        answers.append(raw.ask("tools/call", {"name": huge, "arguments": {}}))
        answers.append(raw.ask("resources/read", {"uri": "licencecmp://licence/" + huge}))
        fine = raw.ask("tools/call", {"name": "can", "arguments": {"licence": "mit", "action": "use"}})
    finally:
        stderr = raw.close()
    for answer in answers:
        text = json.dumps(answer)
        assert len(text) < 2_000, text[:300]
        assert "error" in answer or answer["result"]["isError"]
    assert fine["result"]["structuredContent"]["verdict"] == "allowed"
    assert len(stderr) < 20_000 and b"A" * 1_000 not in stderr


def test_initialize_builds_nothing_of_the_catalogue_or_the_tools() -> None:
    """The server answers ``initialize`` before loading the API, the catalogue or a tool schema
    (their cost comes with the first list or call); the time itself is a benchmark, not a test."""
    probe = ("import sys\n"
             "from licencecmp.mcp.server import build_server\n"
             "server = build_server()\n"
             "server.create_initialization_options()\n"
             "print(sorted(m for m in ('licencecmp.api', 'licencecmp.data.catalogue', 'licencecmp.engine',"
             " 'pydantic') if m in sys.modules))\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, env=ENV,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = json.loads(done.stdout.strip().replace("'", '"'))
    assert not [m for m in loaded if m.startswith("licencecmp.")], loaded


def _inspector() -> str:
    found = os.environ.get("LICENCECMP_MCP_INSPECTOR") or shutil.which("mcp-inspector")
    if not found or not Path(found).exists():
        pytest.skip("the npm MCP inspector is not installed (scripts/test.sh installs it when npm can reach its "
                    "registry; or set LICENCECMP_MCP_INSPECTOR to its mcp-inspector)")
    if shutil.which("node") is None:
        pytest.skip("node is not installed: the MCP inspector cannot run")
    return found


def inspector(*args: str) -> Any:
    done = subprocess.run([_inspector(), "--cli", *SERVER, *args], capture_output=True, text=True, timeout=300,
                          env={**ENV, "HOME": os.environ.get("HOME", "/tmp")}, cwd=str(ROOT), check=False)
    assert done.returncode == 0, (done.stdout[-2000:], done.stderr[-2000:])
    return json.loads(done.stdout)


@pytest.mark.slow
def test_the_npm_inspector_lists_calls_and_reads() -> None:
    tools = {t["name"]: t for t in inspector("--method", "tools/list")["tools"]}
    assert set(tools) == {"can", "show", "compare", "compat", "combine", "openness", "resolve", "check"}
    assert all(t["inputSchema"]["additionalProperties"] is False for t in tools.values())
    assert all(t["annotations"]["readOnlyHint"] for t in tools.values())
    report = inspector("--method", "tools/call", "--tool-name", "check", "--tool-arg",
                       f"path={ROOT / 'tests' / 'fixtures'}")
    assert not report.get("isError") and "summary" in report["structuredContent"], report
    assert inspector("--method", "tools/call", "--tool-name", "can", "--tool-arg", "licence=llama-3.1",
                     "action=commercial-use", "mau=800000000")["structuredContent"]["verdict"] == "needs-permission"
    typo = inspector("--method", "tools/call", "--tool-name", "can", "--tool-arg", "licence=llama-3.1",
                     "action=commercial-use", "monthly_active_users=800000000")
    assert typo["isError"] and "did you mean 'mau'" in typo["content"][0]["text"]
    prompts = inspector("--method", "prompts/list")["prompts"]
    assert {p["name"] for p in prompts} == {"check-before-adding-a-model", "may-i"}
    catalogue = inspector("--method", "resources/read", "--uri", "licencecmp://catalogue")
    assert json.loads(catalogue["contents"][0]["text"])["licences"]
