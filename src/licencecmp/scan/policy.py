"""The policy that ``licencecmp check`` applies: the organisation's facts and what it does with models.

Read from ``[tool.licencecmp]`` in ``pyproject.toml`` or from ``licencecmp.toml`` (whole file).
Every problem in a policy is an :class:`PolicyError` (exit 2) naming the file, the key and the line:
unknown keys, wrong types, unknown licence ids, unknown country codes.

The policy is a plain record (:mod:`licencecmp.scan.records`) of the pydantic model
:class:`licencecmp.scan.policy_model.Policy`, its one declaration; a well-formed policy is read
without importing pydantic's models (:func:`licencecmp.scan.policy_plain.fast_validate`), any other
is validated by the model, whose messages the errors give.

>>> Policy.model_validate({"actions": ["serve"], "mau": 1000}).actions
[<Action.SERVE: 'serve'>]
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from licencecmp.errors import InputError, LicencecmpError
from licencecmp.facts import FactKind
from licencecmp.scan.policy_plain import DEFAULT_MAX_FILE_SIZE, POLICY_FACTS, fast_validate
from licencecmp.scan.records import POLICY_SPEC, LicenceSelector, ModelDecl, Override, Policy, Waiver

__all__ = [
    "DEFAULT_MAX_FILE_SIZE",
    "POLICY_FACTS",
    "POLICY_FILE",
    "LicenceSelector",
    "ModelDecl",
    "Override",
    "Policy",
    "PolicyError",
    "PolicySource",
    "Waiver",
    "choose_policy",
    "declared_terms",
    "declares_root",
    "find_policies_up",
    "find_policy",
    "find_policy_up",
    "load_policy",
    "starter_policy",
]

POLICY_FILE = "licencecmp.toml"
PYPROJECT = "pyproject.toml"
TABLE = ("tool", "licencecmp")
MAX_POLICY_BYTES = 16 * 1024 * 1024

class PolicyError(InputError):
    """A policy file is malformed or names something unknown. Names the file, key and line."""

    def __init__(self, path: str, key: str, line: int | None, problem: str) -> None:
        self.path, self.key, self.line, self.problem = path, key, line, problem
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {key}: {problem}" if key else f"{where}: {problem}")


@dataclass
class PolicySource:
    """Where a policy came from, for line numbers in messages."""

    path: Path | None
    table: tuple[str, ...] = ()
    text: str = ""
    _index: list[tuple[int, tuple[str | int, ...]]] | None = field(default=None, repr=False)
    ignored: tuple[Path, ...] = ()  # other policies found for the folder checked, not applied

    @property
    def name(self) -> str:
        return str(self.path) if self.path else "(default policy)"

    def line_of(self, loc: tuple[str | int, ...]) -> int | None:
        """The line of a key (best effort: the deepest part of the key path that can be found)."""
        if not self.text:
            return None
        if self._index is None:
            self._index = _key_index(self.text)
        want = self.table + tuple(loc)
        best: tuple[int, int] | None = None  # (length of the matched key path, line)
        for line, path in self._index:
            n = min(len(path), len(want))
            if path[:n] != want[:n]:
                continue  # only the key itself, a table or key that contains it, or a table it heads
            if best is None or n > best[0]:
                best = (n, line)
        return best[1] if best else None

    def error(self, loc: tuple[str | int, ...], problem: str) -> PolicyError:
        return PolicyError(self.name, key_name(self.table, loc), self.line_of(loc), problem)


def key_name(table: tuple[str, ...], loc: tuple[str | int, ...]) -> str:
    out = ".".join(table)
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _header(line: str) -> tuple[str, str] | None:
    """``("[" or "[[", name)`` for a table header line, else None (a scan, not a regex: linear)."""
    s = line.strip()
    if not s.startswith("["):
        return None
    double = s.startswith("[[")
    start = 2 if double else 1
    end = s.find("]", start)
    if end < 0:
        return None
    body = s[start:end].strip()
    rest = s[end + 1:]
    if rest.startswith("]"):
        rest = rest[1:]
    elif double:
        return None
    rest = rest.strip()
    if not body or (rest and not rest.startswith("#")):
        return None
    return ("[[" if double else "["), body
_KEY = re.compile(r"""^\s*((?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*=""")
_INLINE_KEY = re.compile(r"""[{,]\s*("[^"]*"|[A-Za-z0-9_\-]+)\s*=""")


def _split_key(key: str) -> tuple[str, ...]:
    """``a."b.c".d`` -> ``("a", "b.c", "d")``: dots outside quotes split, in one pass."""
    parts: list[str] = []
    current: list[str] = []
    quote = ""
    for ch in key:
        if quote:
            if ch == quote:
                quote = ""
            current.append(ch)
        elif ch in "\"'":
            quote = ch
            current.append(ch)
        elif ch == ".":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return tuple(p.strip().strip("\"'") for p in parts)


def _key_index(text: str) -> list[tuple[int, tuple[str | int, ...]]]:
    """Each line that names a key or table, with the full key path (array-of-table indices included)."""
    index: list[tuple[int, tuple[str | int, ...]]] = []
    current: tuple[str | int, ...] = ()
    counts: dict[tuple[str, ...], int] = {}
    for n, line in enumerate(text.splitlines(), 1):
        head = _header(line)
        if head is not None and "=" not in line.split("]")[0]:
            path = _split_key(head[1])
            if head[0] == "[[":
                counts[path] = counts.get(path, -1) + 1
                current = (*path, counts[path])
            else:
                current = path
            index.append((n, current))
            continue
        m = _KEY.match(line)
        if m:
            full = (*current, *_split_key(m.group(1)))
            index.append((n, full))
            rest = line[m.end():]
            for i, item in enumerate(_split_inline_items(rest)):
                for k in _INLINE_KEY.findall(item):
                    index.append((n, (*full, i, k.strip("\"'"))))
                    index.append((n, (*full, k.strip("\"'"))))
    return index


def _split_inline_items(rest: str) -> list[str]:
    """Split `[{a=1}, {b=2}]` into its inline tables (used to find keys inside inline arrays)."""
    items, depth, start = [], 0, None
    for i, ch in enumerate(rest):
        if ch == "{":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "}" and depth:
            depth -= 1
            if depth == 0 and start is not None:
                items.append(rest[start:i + 1])
    return items or [rest]


# -- loading ----------------------------------------------------------------------------------


def _toml() -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    from licencecmp.scan.reading import ReadRefused, read_capped

    tomllib = _toml()
    try:
        raw = read_capped(path, MAX_POLICY_BYTES, follow=True)
    except ReadRefused as exc:
        raise PolicyError(str(path), "", None, f"cannot read the policy: {exc.reason}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PolicyError(str(path), "", None, f"not UTF-8 text (byte {exc.start})") from None
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise PolicyError(str(path), "", int(m.group(1)) if m else None, f"invalid TOML: {exc}") from None
    except RecursionError:  # tomllib recurses on nested arrays and inline tables
        raise PolicyError(str(path), "", None, "invalid TOML: nested too deeply") from None


def find_policy(root: Path) -> Path | None:
    """The policy file of a project: ``licencecmp.toml``, else ``pyproject.toml`` with ``[tool.licencecmp]``."""
    own = root / POLICY_FILE
    pyproject = root / PYPROJECT
    has_table = False
    for path in (own, pyproject):  # present but unreadable: say so rather than run without the policy
        if os.path.lexists(path) and not path.is_file():
            raise PolicyError(str(path), "", None, "is not a regular file (a directory, or a broken or looping "
                              "link); the policy cannot be read")
    if pyproject.is_file():
        try:
            tool = _read(pyproject)[1].get("tool", {})
            has_table = isinstance(tool, dict) and "licencecmp" in tool
        except PolicyError as err:
            from licencecmp.scan.reading import ReadRefused, read_text_capped

            try:
                text = read_text_capped(pyproject, MAX_POLICY_BYTES)
            except ReadRefused:
                raise err from None  # cannot tell whether it holds [tool.licencecmp]: report the file
            # [ \t]* (not \s*): linear on runs of blank lines
            has_table = bool(re.search(r"^[ \t]*\[[ \t]*tool\.licencecmp\b", text, re.MULTILINE))
    if own.is_file():
        if has_table:
            raise PolicyError(str(own), "", None, f"both {POLICY_FILE} and [tool.licencecmp] in {PYPROJECT} "
                              "exist; keep one, or name one with --policy")
        return own
    return pyproject if has_table else None


def find_policy_up(start: Path) -> Path | None:
    """:func:`find_policy` in ``start``, then in each parent up to the repository root (the nearest
    folder holding ``.git``); only ``start`` outside a repository."""
    start = Path(start).resolve()
    chain = [start, *start.parents]
    top = next((i for i, folder in enumerate(chain) if (folder / ".git").exists()), 0)
    for folder in chain[:top + 1]:
        found = find_policy(folder)
        if found is not None:
            return found
    return None


def find_policies_up(start: Path) -> list[Path]:
    """Every policy :func:`find_policy_up` could find for ``start``, nearest first (``start``, then
    each parent up to the repository root)."""
    start = Path(start).resolve()
    chain = [start, *start.parents]
    top = next((i for i, folder in enumerate(chain) if (folder / ".git").exists()), 0)
    return [p for p in (find_policy(folder) for folder in chain[:top + 1]) if p is not None]


def declares_root(path: Path) -> bool:
    """Whether a policy file pins itself with ``root = true`` (a nested policy below it is ignored)."""
    data = _read(path)[1]
    tool = data.get("tool")
    if path.name == PYPROJECT or (isinstance(tool, dict) and "licencecmp" in tool):
        data = tool.get("licencecmp", {}) if isinstance(tool, dict) else {}
    return isinstance(data, dict) and data.get("root") is True


def choose_policy(start: Path, *, pin_root: bool = False) -> tuple[Path | None, tuple[Path, ...]]:
    """The policy that applies to ``start`` and the others found, ignored. The nearest applies,
    unless a policy above it is pinned (``root = true``: the topmost pinned one applies) or
    ``pin_root`` (``--policy-root``: the topmost one applies). Every candidate is read: a policy
    above that cannot be read is an error, never silently replaced by a nested one."""
    found = find_policies_up(start)
    if not found:
        return None, ()
    chosen = found[-1] if pin_root else next((p for p in reversed(found) if declares_root(p)), found[0])
    return chosen, tuple(p for p in found if p != chosen)


def load_policy(path: Path | None, cat: Any = None) -> tuple[Policy, PolicySource]:
    """Read, validate and check a policy file; ``None`` gives the default policy.

    ``cat`` (a :class:`~licencecmp.data.catalogue.Catalogue`) is used to check licence ids and country
    codes; pass ``False`` to skip those checks.
    """
    if path is None:
        return Policy.model_construct(), PolicySource(None)
    text, data = _read(path)
    table: tuple[str, ...] = ()
    tool_table = data.get("tool")
    if path.name == PYPROJECT or (isinstance(tool_table, dict) and "licencecmp" in tool_table):
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "licencecmp" not in tool:
            raise PolicyError(str(path), "tool.licencecmp", None, "no [tool.licencecmp] table in this file")
        data = tool["licencecmp"]
        table = TABLE
        if not isinstance(data, dict):
            raise PolicyError(str(path), "tool.licencecmp", None, "must be a table")
    source = PolicySource(path, table, text)
    policy = fast_validate(POLICY_SPEC, data)
    if policy is None:
        policy = _validate(data, source)
    if cat is not False:
        check_ids(policy, source, cat)
    return policy, source


def _validate(data: Any, source: PolicySource) -> Policy:
    """The policy validated by the pydantic model (what the fast validator could not prove valid): a
    :class:`PolicyError` naming the first problem, in pydantic's words."""
    from pydantic import ValidationError

    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        first = errors[0]
        loc = tuple(p for p in first["loc"] if isinstance(p, (str, int)))
        msg = _message(first)
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise source.error(loc, msg + more) from None


def _message(err: Any) -> str:
    kind = err.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key (see `licencecmp schema policy` for the keys)"
    msg = str(err.get("msg", "invalid value"))
    if "input" in err and kind not in ("missing",) and not isinstance(err["input"], (dict, list)):
        msg += f" (got {err['input']!r})"
    return msg


def _codes(policy: Policy) -> list[tuple[tuple[str | int, ...], str]]:
    """The country codes the policy states, each with where it is."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    for f in POLICY_FACTS:
        value = getattr(policy, f.name)
        if f.kind is FactKind.COUNTRY and value is not None:
            out.append(((f.name,), value))
        elif f.kind is FactKind.COUNTRIES:
            out += [((f.name, i), code) for i, code in enumerate(value or [])]
    return out


def check_ids(policy: Policy, source: PolicySource, cat: Any = None) -> None:
    """Every licence, country and model the policy names must be known."""
    from licencecmp.data.catalogue import default_catalogue
    from licencecmp.errors import ScenarioError

    cat = cat or default_catalogue()
    terr = cat.territories
    for where, code in _codes(policy):
        try:
            terr.canonical(code)
        except ScenarioError as exc:
            raise source.error(where, str(exc)) from None
    for name in ("allow", "deny"):
        sel: LicenceSelector = getattr(policy, name)
        for i, lid in enumerate(sel.licences):
            _known_licence(cat, lid, source, (name, "licences", i), expression=False)
    for i, w in enumerate(policy.waivers):
        if w.licence is not None:
            _known_licence(cat, w.licence, source, ("waivers", i, "licence"), expression=False)
    for i, m in enumerate(policy.models):
        if m.licence is not None:
            _known_licence(cat, m.licence, source, ("models", i, "licence"), expression=True)
        elif not _in_registry(cat, m.id):
            from licencecmp.text import nearest

            hint = nearest(m.id, [e.id for e in cat.models()])
            extra = f"; did you mean {', '.join(hint)}?" if hint else ""
            raise source.error(("models", i, "id"), f"model {m.id!r} is not in the registry: give its licence "
                               f"(licence = \"...\") for a private model{extra}")


def _in_registry(cat: Any, model_id: str) -> bool:
    from licencecmp.errors import UnknownModelError

    try:
        cat.model(model_id)
    except UnknownModelError:
        return False
    return True


def _known_licence(cat: Any, name: str, source: PolicySource, loc: tuple[str | int, ...], *,
                   expression: bool) -> None:
    from licencecmp.reasoning.lookup import lookup

    try:
        if expression:  # an id, alias, SPDX expression or registry model id, as every command takes
            lookup(name, cat)
        else:
            cat.get(name)
    except LicencecmpError as exc:
        raise source.error(loc, str(exc)) from None


def declared_terms(name: str, cat: Any) -> str:
    """A policy's ``licence = "..."`` (an id, alias, SPDX expression or registry model id, whose
    upstream licences also bind) as an expression of canonical ids."""
    from licencecmp.reasoning.lookup import lookup

    return lookup(name, cat).as_expression()


# -- the starter file -------------------------------------------------------------------------

_STARTER = '''\
# licencecmp policy: what `licencecmp check` enforces for the models this repository uses.
# The same keys work under [tool.licencecmp] in pyproject.toml. Print the full schema with
# `licencecmp schema policy`. A fact you leave out is "not stated": licencecmp never assumes it,
# and a verdict that depends on it is `conditional` on a condition it names.

# -- Facts about your organisation ---------------------------------------------------------------
# mau = 1_000_000             # monthly active users of your products and services
# monthly_revenue = 50_000    # USD
# annual_revenue = 600_000    # USD
# domicile = "DE"             # where you live or have your principal place of business (ISO 3166-1)
# used_in = ["EU", "US"]      # where the models or their outputs are used (countries or EU, EEA, ...)
# modality = "text"           # text | multimodal (default: each model's modality from the registry)
# commercial = true           # is the use for a commercial purpose? (commercial-use always is)

# -- What the project does with its models -------------------------------------------------------
# use, commercial-use, modify, distribute, distribute-derivative, serve, train-on-outputs
actions = ["use", "commercial-use"]

# -- Which licences may appear at all (the verdicts still apply) ---------------------------------
# allow: if given, only matching licences may be used. deny wins over allow. Each takes
# licences (ids or aliases, see `licencecmp list`), kinds (permissive, use-restricted, community,
# non-commercial) and open_source (true or false).
# allow = { licences = ["mit", "apache-2.0"], kinds = ["permissive"], open_source = true }
# deny = { kinds = ["non-commercial"] }

allow_unknown = false       # a model whose licence cannot be determined fails the check
fail_on_unclear = false     # `unclear` verdicts warn; set true to fail on them
strict = false              # a skipped file that could name a model (too large, binary, unreadable) warns;
                            # set true to fail on it, and on a scan git could not list
catalogues = "list"         # a file listing many models (a table of supported models) is one entry;
                            # "judge" judges every model it names

# -- Models named explicitly (models in code, model cards and SBOMs are found anyway) ------------
# models = [
#   { id = "meta-llama/Llama-3.1-8B-Instruct" },
#   { id = "acme/internal-classifier", licence = "apache-2.0" },   # a private model: say its licence
# ]

# -- Scanning --------------------------------------------------------------------------------------
# exclude = ["tests/fixtures/"]          # extra paths to skip (.gitignore syntax)
# max_file_size = 5_242_880              # bytes; larger files are skipped and reported
# baseline = "licencecmp-baseline.toml"  # findings accepted today (`licencecmp baseline`): known, not failing

# -- Per-model actions (replace `actions` for that model) -----------------------------------------
# [[overrides]]
# model = "meta-llama/Llama-3.1-8B-Instruct"
# actions = ["use", "serve"]

# -- Accepted exceptions, until a date (an expired waiver fails the check) ------------------------
# [[waivers]]
# model = "some-org/some-model"          # or: licence = "llama-3.1"
# actions = ["train-on-outputs"]         # optional: only these actions
# reason = "Written permission from the licensor, ticket LEGAL-123"
# expires = 2026-12-31
'''


def starter_policy(*, pyproject: bool = False) -> str:
    """A commented starter ``licencecmp.toml`` (or ``[tool.licencecmp]`` table) that validates."""
    if not pyproject:
        return _STARTER
    text = _STARTER.replace("[[overrides]]", "[[tool.licencecmp.overrides]]")
    text = text.replace("[[waivers]]", "[[tool.licencecmp.waivers]]")
    head, sep, rest = text.partition("# -- Facts")
    return head + "[tool.licencecmp]\n\n" + sep + rest
