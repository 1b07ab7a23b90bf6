"""`licencecmp mcp`, driven by the MCP SDK's own client over stdio: the tools' input schemas follow
the API's models (every scenario fact of make_scenario) and forbid anything else, their full
structured results (``detail: "full"``) equal the API's, errors are one-line tool errors, and the
resources hold the catalogue and each licence's clauses."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import licencecmp
from licencecmp.facts import FACTS

pytest.importorskip("mcp.server.lowlevel", reason="the MCP SDK (licencecmp[mcp]) is not installed")

ROOT = Path(__file__).resolve().parents[2]
TOOLS = {"can", "show", "compare", "compat", "combine", "openness", "resolve", "check"}


def server_params() -> Any:
    from mcp.client.stdio import StdioServerParameters

    env = {"PYTHONPATH": str(ROOT / "src"), "LICENCECMP_SHARED": os.environ.get("LICENCECMP_SHARED", "")}
    return StdioServerParameters(command=sys.executable, args=["-m", "licencecmp", "mcp"], env=env, cwd=str(ROOT))


def session(body: Any) -> Any:
    from mcp.client.client import Client

    async def go() -> Any:
        async with Client(server_params()) as client:
            return await body(client)

    return asyncio.run(go())


def jsonish(model: Any) -> Any:
    return json.loads(model.model_dump_json())


def test_tools_schemas_results_and_resources(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text('MODEL = "meta-llama/Llama-3.1-8B"\n', encoding="utf-8")

    async def body(client: Any) -> dict[str, Any]:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        calls: dict[str, dict[str, Any]] = {
            "can": {"licence": "llama-3.1", "action": "commercial-use", "mau": 800_000_000},
            "can_region": {"licence": "meta-llama/Llama-3.2-11B-Vision-Instruct", "action": "use", "region": "FR"},
            "show": {"licence": "llama3.1"},
            "compare": {"licences": ["mit", "llama-3.1"], "actions": ["serve"], "mau": 10},
            "compat": {"upstream": "mit", "outbound": "gpl-3.0"},
            "combine": {"base": ["llama-3.1"], "data": "mit"},
            "openness": {"licence": "gemma"},
            "resolve": {"licence": "deepseek-ai/DeepSeek-R1-Distill-Llama-8B"},
            "check": {"path": str(tmp_path)},
            "bad": {"licence": "llama-9", "action": "use"},
        }
        results = {}
        for key, args in calls.items():
            name = "can" if key in ("can_region", "bad") else key
            results[key] = await client.call_tool(name, {**args, "detail": "full"})
        resources = (await client.list_resources()).resources
        catalogue = await client.read_resource("licencecmp://catalogue")
        mit = await client.read_resource("licencecmp://licence/mit")
        return {"tools": tools, "results": results, "resources": resources, "catalogue": catalogue, "mit": mit}

    got = session(body)
    tools, results = got["tools"], got["results"]
    assert set(tools) == TOOLS
    for name in ("can", "compare", "combine"):
        props = tools[name].input_schema["properties"]
        for f in FACTS:  # every fact of the table, described as the table says
            assert props[f.name]["description"] == f.description, f"{name} lacks the scenario fact {f.name}"
    assert tools["can"].input_schema["required"] == ["licence", "action"]
    assert all(t.input_schema["additionalProperties"] is False for t in tools.values())

    def structured(key: str) -> Any:
        r = results[key]
        assert not r.is_error, r.content
        return r.structured_content

    assert structured("can") == jsonish(licencecmp.can("llama-3.1", "commercial-use", mau=800_000_000))
    assert structured("can_region") == jsonish(
        licencecmp.can("meta-llama/Llama-3.2-11B-Vision-Instruct", "use", region="FR"))
    assert structured("show")["id"] == "llama-3.1"
    assert structured("compare") == jsonish(licencecmp.compare(["mit", "llama-3.1"], ["serve"], mau=10))
    assert structured("compat") == jsonish(licencecmp.compat("mit", "gpl-3.0"))
    assert structured("combine") == jsonish(licencecmp.combine(base=["llama-3.1"], data=["mit"]))
    assert structured("openness") == jsonish(licencecmp.openness("gemma"))
    assert structured("resolve") == jsonish(licencecmp.resolve("deepseek-ai/DeepSeek-R1-Distill-Llama-8B"))
    report = structured("check")
    assert [m["model"] for m in report["models"]] == ["meta-llama/Llama-3.1-8B"]
    assert report["exit_code"] == licencecmp.check(tmp_path).exit_code

    bad = results["bad"]
    assert bad.is_error and "unknown licence or model 'llama-9'" in bad.content[0].text
    assert "\n" not in bad.content[0].text

    uris = {str(r.uri) for r in got["resources"]}
    assert "licencecmp://catalogue" in uris
    assert {f"licencecmp://licence/{i}" for i in licencecmp.catalogue().ids()} <= uris
    ids = [row["id"] for row in json.loads(got["catalogue"].contents[0].text)["licences"]]
    assert ids == licencecmp.catalogue().ids()
    mit = json.loads(got["mit"].contents[0].text)
    assert mit["id"] == "mit" and mit["actions"]["use"]["evidence"][0]["quote"]


def test_without_the_sdk_the_command_says_how_to_install_it() -> None:
    block = ("import sys, importlib.abc\n"
             "class Block(importlib.abc.MetaPathFinder):\n"
             "    def find_spec(self, name, path=None, target=None):\n"
             "        if name == 'mcp' or name.startswith('mcp.'): raise ImportError(name)\n"
             "sys.meta_path.insert(0, Block())\n"
             "from licencecmp.cli import main\n"
             "main(['mcp'])\n")
    done = subprocess.run([sys.executable, "-c", block], capture_output=True, text=True, timeout=60, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "pip install 'licencecmp[mcp]'" in done.stderr


def test_the_server_starts_without_typer() -> None:
    """``licencecmp mcp`` (started by every agent session) goes straight to the server: typer and the
    command modules are never imported (click may be: the SDK's HTTP transport imports uvicorn);
    ``licencecmp mcp --help`` is still typer's help page."""
    pytest.importorskip("mcp.server.lowlevel")
    probe = ("import atexit, sys\n"
             "atexit.register(lambda: sys.stderr.write(repr(sorted(m for m in sys.modules if m == 'typer' or "
             "m.startswith(('typer.', 'licencecmp.cli.root', 'licencecmp.cli.mcp', 'licencecmp.cli.options'))))))\n"
             "from licencecmp.cli import main\n"
             "main(['mcp'])\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False,
                          stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0 and done.stdout == "", done.stderr[-2000:]
    assert done.stderr.endswith("[]"), done.stderr[-2000:]
    done = subprocess.run([sys.executable, "-m", "licencecmp", "mcp", "--help"], capture_output=True, text=True,
                          timeout=120, check=False, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0 and done.stdout.startswith("Usage: licencecmp mcp") and "Model Context" in done.stdout


def test_tools_answer_for_any_model_with_its_source(tmp_path: Path) -> None:
    """Every MCP tool that takes a model id resolves it through the chain: a re-upload, a model in
    the local Hugging Face cache, and with ``online`` one only the (loopback) Hub knows."""
    from mcp.client.stdio import StdioServerParameters

    from tests.scan.hfcache_layout import cache_model
    from tests.scan.hubstub import hub_stub, model_json

    cache_model(tmp_path / "cache", "acme/cached-model", {"README.md": "---\nlicense: apache-2.0\n---\n"})
    cases = [("bartowski/Llama-3.2-3B-Instruct-GGUF", False, "inferred"), ("acme/cached-model", False, "cache"),
             ("acme/hub-only", True, "hub")]
    with hub_stub({"acme/hub-only": (200, model_json("acme/hub-only", "mit"), 0.0)}) as (url, _seen):
        env = {"PYTHONPATH": str(ROOT / "src"), "LICENCECMP_SHARED": os.environ.get("LICENCECMP_SHARED", ""),
               "HF_HUB_CACHE": str(tmp_path / "cache"), "HF_ENDPOINT": url}
        params = StdioServerParameters(command=sys.executable, args=["-m", "licencecmp", "mcp"], env=env,
                                       cwd=str(tmp_path))

        async def body(client: Any) -> dict[tuple[str, str], Any]:
            out = {}
            for model, online, _how in cases:
                calls: dict[str, dict[str, Any]] = {"can": {"licence": model, "action": "use"},
                         "show": {"licence": model},
                         "compare": {"licences": [model, "mit"], "actions": ["use"]},
                         "compat": {"upstream": model, "outbound": "mit"}, "combine": {"base": [model]},
                         "openness": {"licence": model}}
                for tool, args in calls.items():
                    out[(model, tool)] = await client.call_tool(tool, {**args, "online": online})
                out[(model, "resolve")] = await client.call_tool("resolve", {"licence": model, "online": online})
            return out

        from mcp.client.client import Client

        async def go() -> Any:
            async with Client(params) as client:
                return await body(client)

        results = asyncio.run(go())
    for model, _online, how in cases:
        for tool in ("can", "compare", "compat", "combine", "openness"):
            r = results[(model, tool)]
            assert not r.is_error, (model, tool, r.content)
            assert [(p["model"], p["resolution"]) for p in r.structured_content["resolved"]] == [(model, how)]
        assert not results[(model, "show")].is_error
        assert results[(model, "resolve")].structured_content["source"] == how
