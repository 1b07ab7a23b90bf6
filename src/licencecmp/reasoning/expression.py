"""SPDX licence expressions over the catalogue: ``OR`` lets the licensee choose, ``AND`` binds all.

Parsing is done by license-expression (the parser ScanCode and spdx-tools use), with a symbol
table built from the catalogue's ids and aliases, so ``LicenseRef-scancode-llama-3.1-license-2024
AND Apache-2.0`` resolves to ``llama-3.1`` and ``apache-2.0``.
"""

from __future__ import annotations

from typing import Any

from licencecmp.data.catalogue import Catalogue, default_catalogue
from licencecmp.engine import Decision, combine_decisions, decide
from licencecmp.errors import ExpressionError
from licencecmp.scenario import Scenario
from licencecmp.text import is_expression
from licencecmp.vocab import Action

__all__ = ["decide_name", "is_expression", "parse_expression"]

MAX_DEPTH = 32
"""Parentheses nested deeper than this are refused (the parser and the decision recurse)."""
MAX_EXPRESSION = 4096


def _shown(text: str, limit: int = 120) -> str:
    """An expression as echoed in a message: quoted, cut to ``limit`` characters."""
    return repr(text if len(text) <= limit else text[: limit - 3] + "...")


def parse_expression(expression: str, cat: Catalogue | None = None) -> Any:
    """Parse and validate an expression; unknown ids raise :class:`ExpressionError` naming them."""
    from license_expression import ExpressionError as LEError
    from license_expression import ExpressionParseError

    cat = cat or default_catalogue()
    shown = _shown(expression)
    if len(expression) > MAX_EXPRESSION:
        raise ExpressionError(f"licence expression {shown} is longer than {MAX_EXPRESSION} characters")
    depth = deepest = 0
    for ch in expression:
        if ch == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif ch == ")":
            depth -= 1
    if deepest > MAX_DEPTH:
        raise ExpressionError(f"licence expression {shown} is nested deeper than {MAX_DEPTH} levels")
    licensing = cat.licensing()
    try:
        parsed = licensing.parse(expression, validate=True, strict=False)
    except (LEError, ExpressionParseError) as exc:
        raise ExpressionError(f"invalid licence expression {shown}: {_shown(str(exc), 200)}") from None
    except (IndexError, AssertionError, TypeError, RecursionError):  # the parser's own errors on "()", "( AND x)"
        raise ExpressionError(f"invalid licence expression {shown}: malformed") from None
    if parsed is None:
        raise ExpressionError(f"empty licence expression {shown}")
    return parsed


def _decide_tree(node: Any, action: Action, scenario: Scenario, cat: Catalogue, label: str) -> Decision:
    from license_expression import AND, OR, LicenseWithExceptionSymbol

    if isinstance(node, LicenseWithExceptionSymbol):
        raise ExpressionError(f"licence exceptions (WITH) are not supported: {str(node)!r}")
    if isinstance(node, AND):
        parts = [_decide_tree(a, action, scenario, cat, label) for a in node.args]
        combined = combine_decisions(parts, licence=label)
        return combined.model_copy(update={"reasons": ("All of these licences apply (AND).", *combined.reasons)})
    if isinstance(node, OR):
        parts = [_decide_tree(a, action, scenario, cat, label) for a in node.args]
        best = min(parts, key=lambda d: (d.verdict.severity, len(d.obligations), d.licence))
        why = (f"You may choose among {', '.join(d.licence for d in parts)} (OR); {best.licence} is the most "
               f"permissive choice for {action.value}: {best.verdict.value} with "
               f"{len(best.obligations)} obligation(s).")
        return best.model_copy(update={"reasons": (why, *best.reasons)})
    return decide(cat.resolve(node.key), action, scenario, cat.territories, cat)


def decide_name(name: str, action: Action, scenario: Scenario, cat: Catalogue | None = None) -> Decision:
    """Decide for a licence id, alias, model repo id, or SPDX expression."""
    cat = cat if cat is not None else default_catalogue()
    if not is_expression(name):
        return decide(cat.resolve(name), action, scenario, cat.territories, cat)
    tree = parse_expression(name, cat)
    return _decide_tree(tree, action, scenario, cat, " ".join(str(tree).split()))
