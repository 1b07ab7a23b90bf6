"""The MCP server: one tool per question of the Python API, with the same inputs and results.

Tools: ``can``, ``show``, ``compare``, ``compat``, ``combine``, ``openness``, ``resolve`` and
``check`` (offline unless ``online`` is true). Their JSON-schema'd inputs come from the API's
pydantic models: the scenario facts are the fields of :data:`licencecmp.api.FactsModel`, which follow
the facts table (:mod:`licencecmp.facts`), so a new fact appears here without an edit. Results are the API's
result models, returned as structured content.

Resources: ``licencecmp://catalogue`` (every licence: id, title, version, kind, SPDX id) and
``licencecmp://licence/{id}`` (one licence: every rule and obligation with its clause quoted).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import Field

import licencecmp.api as api
from licencecmp._version import __version__
from licencecmp.data.catalogue import default_catalogue
from licencecmp.data.results import CompatResult, Decision
from licencecmp.data.schema import Licence
from licencecmp.reasoning.combination import Combination
from licencecmp.reasoning.openness import OpennessReport
from licencecmp.scan.check import CheckReport

__all__ = ["build_server", "main"]

INSTRUCTIONS = (
    "licencecmp answers what the licence of an open-weight AI model lets a user do: a verdict "
    "(allowed, conditional, unclear, needs-permission, prohibited), the obligations that come with it, and the "
    "licence clauses quoted word for word. Licences are named by id (llama-3.1), alias (llama3.1, MIT), SPDX "
    "expression, or Hugging Face model id (meta-llama/Llama-3.1-8B). A fact left out is 'not stated': the answer "
    "then names the condition that depends on it. Answers are a careful reading of the licence texts, not legal "
    "advice."
)


def _param(name: str, annotation: Any, description: str, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default,
                             annotation=Annotated[annotation, Field(description=description)])


def _fact_params() -> list[inspect.Parameter]:
    """One parameter per scenario fact, typed and described as :data:`licencecmp.api.FactsModel` says."""
    return [_param(name, info.annotation, info.description or name, info.default)
            for name, info in api.FactsModel.model_fields.items()]


MAX_ARGUMENT = 4096
"""The longest string argument a tool takes (characters): ids, expressions and paths are short; a
huge one is refused before it is matched against every known name, echoed or logged."""
MAX_ITEMS = 1000
"""The most items a list argument may hold."""
MAX_MESSAGE = 500
"""An error message is cut to this many characters, as the CLI cuts its error line."""


def _too_long(key: str, value: Any) -> str | None:
    """Why an argument is refused for its size, or None."""
    if isinstance(value, str) and len(value) > MAX_ARGUMENT:
        return f"argument {key} is too long ({len(value):,} characters; at most {MAX_ARGUMENT:,})"
    if isinstance(value, (list, tuple)):
        if len(value) > MAX_ITEMS:
            return f"argument {key} is too long ({len(value):,} items; at most {MAX_ITEMS:,})"
        for item in value:
            if isinstance(item, str) and len(item) > MAX_ARGUMENT:
                return f"an item of argument {key} is too long ({len(item):,} characters; at most {MAX_ARGUMENT:,})"
    return None


def _one_line(message: str) -> str:
    """An error message as one bounded line, controls escaped (as the CLI prints its error line)."""
    from licencecmp.render.escape import text

    line = text(" ".join(message[: MAX_MESSAGE * 4].split())) or "error"
    return line if len(line) <= MAX_MESSAGE else line[: MAX_MESSAGE - 1] + "…"


def _tool(name: str, func: Callable[..., Any], params: list[inspect.Parameter], returns: Any, doc: str,
          facts: bool = False) -> Callable[..., Any]:
    """A function with the given signature that calls ``func`` with the same keywords (facts as
    keywords too); the MCP SDK reads the signature for the tool's input schema."""
    all_params = [*params, *(_fact_params() if facts else [])]

    def tool(**kwargs: Any) -> Any:
        from mcp.server.mcpserver.exceptions import ToolError

        from licencecmp.errors import LicencecmpError

        for key, value in kwargs.items():
            too_long = _too_long(key, value)
            if too_long:
                raise ToolError(too_long)
        try:
            return func(**kwargs)
        except LicencecmpError as exc:  # bad input: the one-line message the CLI would print
            raise ToolError(_one_line(str(exc))) from None

    tool.__name__ = name
    tool.__doc__ = doc
    tool.__signature__ = inspect.Signature(all_params, return_annotation=returns)  # type: ignore[attr-defined]
    return tool


LICENCE = "Licence id (llama-3.1), alias (llama3.1, MIT), SPDX expression, or Hugging Face model id."


def _model(record: Any) -> Any:
    """The pydantic model of a plain record (data.plain): what the tool declares it returns."""
    return record.to_model()


ONLINE = ("Also ask the Hugging Face Hub about a model no local source knows (network; default: offline). Every "
          "answer says where each model's licence came from (resolved).")


def _online() -> inspect.Parameter:
    return _param("online", bool, ONLINE, False)


def _tools() -> list[Callable[..., Any]]:
    can_fields = api.CanInput.model_fields
    return [
        # can, show and compat answer with plain records; the tools declare and return their pydantic models.
        _tool("can", lambda **kw: _model(api.can(**kw)), [
            _param("licence", str, can_fields["licence"].description or LICENCE),
            _param("action", str, can_fields["action"].description or "The action."), _online()],
              Decision, "May I do ACTION with LICENCE under these facts? A verdict with its obligations, "
              "conditions and the clauses it rests on. A model's upstream licences also apply.", facts=True),
        _tool("show", lambda **kw: _model(api.show(**kw)), [
            _param("name", str, "Licence id or alias, or a model id (its own licence)."), _online()], Licence,
              "Every rule and obligation of one licence, with the clause behind each."),
        _tool("compare", lambda **kw: api.compare(**kw).model_dump(mode="json"), [
            _param("licences", list[str], "Licence ids, aliases or model ids: one row each."),
            _param("actions", list[str] | None, "The action columns (default: every action).", None),
            _param("facts", list[str] | None, "The fact columns: kind, threshold, territory, attribution, "
                   "name-prefix, openness (default: all; [] for none).", None), _online()],
              dict[str, Any], "A comparison table (the fields of `licencecmp compare --format json`): one row "
              "per licence or model, one cell per action with the verdict and its short condition.", facts=True),
        _tool("compat", lambda **kw: _model(api.compat(**kw)), [
            _param("upstream", str, "Licence of the work you build on."),
            _param("outbound", str, "Licence you want to release under."), _online()], CompatResult,
              "May a derivative of a work under UPSTREAM be released under OUTBOUND alone?"),
        _tool("combine", api.combine, [
            _param("base", list[str] | None, "Models or licences fine-tuned from.", None),
            _param("teacher", list[str] | None, "Licences whose outputs trained the model.", None),
            _param("merge", list[str] | None, "Weights merged in.", None),
            _param("data", list[str] | None, "Licensed training data.", None), _online()],
              Combination, "The terms that bind a model built from others (fine-tuned, distilled, merged, "
              "trained on data): a verdict per action, thresholds, exclusions and conflicts.", facts=True),
        _tool("openness", api.openness, [_param("licence", str, LICENCE), _online()], OpennessReport,
              "Is LICENCE an open-source licence? Each failing Open Source Definition criterion, cited."),
        _tool("resolve", api.resolve, [_param("model_id", str, "Hugging Face repo id, or a licence id or alias."),
                            _param("online", bool, "Also ask the Hugging Face Hub (network).", False)],
              api.Resolution, "The licence of a model, where it came from (the resolution chain: registry, lock, "
              "local cache, inferred re-upload, the Hub when online), the upstream licences that also apply, and "
              "its base models with their licences."),
        _tool("check", api.check, [_param("path", str, "The folder to scan (on the server's machine)."),
                          _param("policy", str | None, "A policy file (default: found in PATH as the CLI "
                                 "finds it).", None),
                          _param("online", bool, "Allow network look-ups (default: offline).", False)],
              CheckReport, "licencecmp check: the models a repository uses, judged against its policy."),
    ]


def build_server() -> Any:
    """The MCP server with every tool and resource (not started)."""
    from mcp.server.mcpserver import MCPServer

    server: Any = MCPServer(name="licencecmp", version=__version__, instructions=INSTRUCTIONS)
    for tool in _tools():
        server.add_tool(tool, name=tool.__name__, description=tool.__doc__, structured_output=True)

    def catalogue() -> str:
        from licencecmp.render.catalogue import catalogue_json

        return catalogue_json(default_catalogue())

    server.resource("licencecmp://catalogue", name="catalogue", mime_type="application/json",
                    description="Every licence in the catalogue: id, title, version, kind and SPDX id.")(catalogue)

    def clauses(licence_id: str) -> Callable[[], str]:
        def read() -> str:
            from licencecmp.render.decision import licence_json

            return licence_json(default_catalogue().licence(licence_id))

        return read

    for lic in default_catalogue():
        server.resource(f"licencecmp://licence/{lic.id}", name=lic.id, title=lic.title,
                        mime_type="application/json",
                        description=f"{lic.title}: every rule and obligation with the clause quoted.")(clauses(lic.id))
    return server


def main() -> None:
    """Serve over stdio until the client closes the connection."""
    build_server().run("stdio")
