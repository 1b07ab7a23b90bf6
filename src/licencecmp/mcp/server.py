"""The MCP server: the tools of :mod:`licencecmp.mcp.tools`, the catalogue as resources, and two
prompts, on the MCP SDK's low-level server.

Nothing is built up front: ``initialize`` is answered before the catalogue, the API or any tool
schema is loaded (they are built on the first ``tools/list``, call or read).

Tools: ``can``, ``show``, ``compare``, ``compat``, ``combine``, ``openness``, ``resolve`` and
``check``; each is read-only, and each may go online when asked (``online: true``). A tool
result's text is the compact answer as plain lines; its structured content is the compact answer,
or the whole result with ``detail: "full"``.

Resources: ``licencecmp://catalogue`` (every licence: id, title, version, kind, SPDX id) and
``licencecmp://licence/{id}`` (one licence: every rule and obligation with its clause quoted).

Prompts: ``check-before-adding-a-model`` and ``may-i``.
"""

from __future__ import annotations

from typing import Any

from licencecmp._version import __version__
from licencecmp.mcp.handshake import INSTRUCTIONS, Handshake
from licencecmp.mcp.tools import ECHO, MAX_STRING, TOOLS, answer, check_arguments, input_schema, text_of

__all__ = ["PROMPTS", "build_server", "main"]

MAX_MESSAGE = 500
"""The longest error message a tool returns (a caller's value is never echoed whole)."""

PROMPTS: dict[str, tuple[str, str, list[tuple[str, str, bool]]]] = {
    "check-before-adding-a-model": (
        "Check a model before adding it",
        "Check this repository's models and a model you are about to add against the project's policy.",
        [("model", "The model to add: a Hugging Face id (ORG/NAME) or a licence id.", True),
         ("path", "The repository (default: the current folder of the server).", False)]),
    "may-i": (
        "May I do this with a model?",
        "Ask whether a licence or model allows what you mean to do, with the facts that decide it.",
        [("licence", "A licence id, alias, SPDX expression or Hugging Face model id.", True),
         ("plan", "What you mean to do, in your words (e.g. serve it in a paid app with 2M users in the EU).",
          True)]),
}


def _prompt_text(name: str, args: dict[str, str]) -> str:
    if name == "check-before-adding-a-model":
        model, path = args["model"], args.get("path") or "."
        return (
            f"Before adding the model {model} to the repository at {path}:\n"
            f"1. Call the licencecmp tool `check` with path={path!r}: it lists the models the repository already "
            "uses, the policy's actions and facts (scenario), and any failures.\n"
            f"2. Call `resolve` with licence={model!r}: where its licence comes from and which upstream licences "
            "also bind it.\n"
            f"3. Call `can` with licence={model!r} for each action the policy lists (by default commercial-use, "
            "distribute-derivative and serve), passing the policy's facts (mau, domicile, used_in, ...) by name.\n"
            "4. Report each verdict with its conditions and obligations and the clause labels; say plainly if any "
            "verdict is needs-permission, prohibited or unclear, or if the licence is unknown. Use detail "
            "\"full\" only to quote a clause. This is a reading of the licence texts, not legal advice.")
    return (
        f"I want to know whether {args['licence']} allows this: {args['plan']}\n"
        "Map the plan to licencecmp's actions (use, commercial-use, modify, distribute, distribute-derivative, "
        "serve, train-on-outputs) and its facts (mau, monthly_revenue, annual_revenue, org_mau, domicile, used_in, "
        "region, modality, commercial, purpose, production, end_user, release). Call `can` once per action with "
        f"licence={args['licence']!r} and only the facts the plan states (a fact left out is not stated). Answer "
        "with each verdict, its conditions and obligations and the clause labels; name any fact that would change "
        "the verdict. This is a reading of the licence texts, not legal advice.")


def _short_message(message: str) -> str:
    one = " ".join(message.split())
    return one if len(one) <= MAX_MESSAGE else one[:MAX_MESSAGE] + "…"


def run_tool(name: str, arguments: dict[str, Any] | None) -> tuple[str, dict[str, Any] | None, bool]:
    """One tool call: (text, structured content, is_error). Bad input is a one-line error, never a crash."""
    from licencecmp.errors import LicencecmpError
    from licencecmp.text import nearest

    spec = TOOLS.get(name) if len(name) <= 100 else None
    if spec is None:
        hint = nearest(name, list(TOOLS)) if len(name) <= 100 else []
        return _short_message(f"no tool {name[:ECHO]!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")
                              + f" (tools: {', '.join(TOOLS)})"), None, True
    try:
        args = check_arguments(spec, arguments or {})
        detail = args.pop("detail", "compact")
        structured = answer(spec, spec.call(args), detail)
    except LicencecmpError as exc:  # bad input: the one-line message the CLI would print
        return _short_message(str(exc)), None, True
    text = text_of(structured if detail != "full" else answer(spec, structured, "compact"))
    if detail == "full":
        text += "\n(the full result, every clause quoted, is the structured content)"
    return text, structured, False


def build_server() -> Any:
    """The MCP server (not started). Builds nothing of the catalogue or the tools until asked."""
    import asyncio

    import mcp.types as types
    from mcp.server.lowlevel import Server
    from mcp.shared.exceptions import MCPError

    annotations = types.ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True,
                                        open_world_hint=True)

    async def list_tools(ctx: Any, params: Any) -> Any:
        return types.ListToolsResult(tools=[
            types.Tool(name=s.name, title=s.title, description=s.description, input_schema=input_schema(s),
                       annotations=annotations.model_copy(update={"title": s.title})) for s in TOOLS.values()])

    async def call_tool(ctx: Any, params: Any) -> Any:
        name, arguments = params.name, params.arguments

        def run() -> tuple[str, dict[str, Any] | None, bool]:
            return run_tool(name, arguments)

        text, structured, error = await asyncio.to_thread(run)
        return types.CallToolResult(content=[types.TextContent(type="text", text=text)], structured_content=structured,
                                    is_error=error)

    async def list_resources(ctx: Any, params: Any) -> Any:
        from licencecmp.data.catalogue import default_catalogue

        items = [types.Resource(uri="licencecmp://catalogue", name="catalogue", mime_type="application/json",
                                description="Every licence in the catalogue: id, title, version, kind and SPDX id.")]
        items += [types.Resource(uri=f"licencecmp://licence/{lic.id}", name=lic.id, title=lic.title,
                                 mime_type="application/json",
                                 description=f"{lic.title}: every rule and obligation with the clause quoted.")
                  for lic in default_catalogue()]
        return types.ListResourcesResult(resources=items)

    async def list_templates(ctx: Any, params: Any) -> Any:
        return types.ListResourceTemplatesResult(resource_templates=[types.ResourceTemplate(
            name="licence", uri_template="licencecmp://licence/{id}", mime_type="application/json",
            description="One licence by id: every rule and obligation with the clause quoted.")])

    async def read_resource(ctx: Any, params: Any) -> Any:
        from licencecmp.data.catalogue import default_catalogue
        from licencecmp.errors import LicencecmpError

        uri = str(params.uri)
        cat = default_catalogue()
        if uri == "licencecmp://catalogue":
            from licencecmp.render.catalogue import catalogue_json

            text = catalogue_json(cat)
        elif uri.startswith("licencecmp://licence/") and len(uri) <= MAX_STRING:
            from licencecmp.render.decision import licence_json

            try:
                text = licence_json(cat.licence(uri.removeprefix("licencecmp://licence/")))
            except LicencecmpError as exc:
                raise MCPError(code=types.INVALID_PARAMS, message=_short_message(str(exc))) from None
        else:
            raise MCPError(code=types.INVALID_PARAMS, message=f"no resource {uri[:ECHO]!r}")
        return types.ReadResourceResult(contents=[types.TextResourceContents(uri=uri, text=text,
                                                                             mime_type="application/json")])

    async def list_prompts(ctx: Any, params: Any) -> Any:
        return types.ListPromptsResult(prompts=[
            types.Prompt(name=name, title=title, description=description,
                         arguments=[types.PromptArgument(name=a, description=d, required=r) for a, d, r in args])
            for name, (title, description, args) in PROMPTS.items()])

    async def get_prompt(ctx: Any, params: Any) -> Any:
        if params.name not in PROMPTS:
            raise MCPError(code=types.INVALID_PARAMS, message=f"no prompt {str(params.name)[:ECHO]!r} (prompts: "
                           + ", ".join(PROMPTS) + ")")
        _title, description, spec = PROMPTS[params.name]
        args = dict(params.arguments or {})
        known = {a for a, _, _ in spec}
        bad = [a for a in args if a not in known]
        missing = [a for a, _, required in spec if required and not args.get(a)]
        if bad or missing or any(len(v) > MAX_STRING for v in args.values()):
            raise MCPError(code=types.INVALID_PARAMS, message=f"{params.name} takes "
                           + ", ".join(f"{a}{'' if r else ' (optional)'}" for a, _, r in spec)
                           + f" (each at most {MAX_STRING:,} characters)")
        text = _prompt_text(params.name, args)
        return types.GetPromptResult(description=description, messages=[
            types.PromptMessage(role="user", content=types.TextContent(type="text", text=text))])

    return Server("licencecmp", version=__version__, instructions=INSTRUCTIONS, on_list_tools=list_tools,
                  on_call_tool=call_tool, on_list_resources=list_resources,
                  on_list_resource_templates=list_templates, on_read_resource=read_resource,
                  on_list_prompts=list_prompts, on_get_prompt=get_prompt)


def main(handshake: Handshake | None = None) -> None:
    """Serve over stdio until the client closes the connection: over the process's own stdin and stdout,
    or over those of ``handshake`` (which may have answered ``initialize`` already)."""
    import asyncio

    from mcp.server.stdio import stdio_server

    server = build_server()

    async def serve() -> None:
        if handshake is None:
            streams = stdio_server()
        else:
            import anyio

            streams = stdio_server(stdin=anyio.wrap_file(handshake.stdin), stdout=anyio.wrap_file(handshake.stdout))
        async with streams as (read_stream, write_stream):
            await server.run(read_stream, write_stream, server.create_initialization_options())

    asyncio.run(serve())
