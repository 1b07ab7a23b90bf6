"""One resolution for every command: a name -> what binds whoever uses it.

A name is a canonical licence id, an alias (SPDX id, ScanCode key, Hub name), a registry model id,
or an SPDX expression over any of these. :func:`lookup` turns it into a :class:`Binding`: the
choices the name leaves (``OR``: the licensee picks one), each a tuple of licences that all bind
(the licence itself, ``AND`` partners, and every upstream licence of a model, which travels with
it), plus the model and its modality. ``can``, ``show``, ``compat``, ``matrix``, ``combine``,
``openness``, ``compare`` and the Python API all resolve names here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from licencecmp.data.catalogue import Catalogue, Resolved, default_catalogue
from licencecmp.errors import ExpressionError
from licencecmp.vocab import Modality

if TYPE_CHECKING:
    from licencecmp.data.records import Licence, ModelEntry

__all__ = ["Binding", "lookup"]


@dataclass(frozen=True)
class Binding:
    """What a name binds: ``choices`` (one unless the name is an ``OR`` expression), each the
    licences that all apply; the registry model, if the name is one; and the model's modality
    (from the registry, or from a licence whose models are all of one modality)."""

    name: str
    choices: tuple[tuple[Licence, ...], ...]
    model: ModelEntry | None = None
    modality: Modality | None = None
    expression: bool = False

    @property
    def licence(self) -> Licence:
        """The licence the name itself stands for (the model's own, the first of an expression)."""
        return self.choices[0][0]

    @property
    def licences(self) -> tuple[Licence, ...]:
        """Every licence named, each once, in order (own licence first, then upstream)."""
        seen: dict[str, Licence] = {}
        for choice in self.choices:
            for lic in choice:
                seen.setdefault(lic.id, lic)
        return tuple(seen.values())

    @property
    def upstream(self) -> tuple[Licence, ...]:
        """The licences that bind besides the name's own (for a model: its upstream licences)."""
        return self.licences[1:]

    @property
    def label(self) -> str:
        return self.model.id if self.model is not None else self.name

    def as_expression(self) -> str:
        """Every licence that binds, as an SPDX-style expression of canonical ids: ``a AND b`` for
        one choice, ``(a AND b) OR c`` for several (a model's upstream licences are ANDed)."""
        terms = [" AND ".join(lic.id for lic in choice) for choice in self.choices]
        if len(terms) == 1:
            return terms[0]
        return " OR ".join(f"({t})" if " AND " in t else t for t in terms)

    def resolved(self) -> Resolved:
        """The single-choice binding as the engine's :class:`Resolved`."""
        if len(self.choices) != 1:
            raise ExpressionError(f"{self.name!r} offers a choice of licences (OR); name one")
        own, *rest = self.choices[0]
        return Resolved(own, self.model, tuple(rest))


def _dnf(node: Any, cat: Catalogue) -> list[tuple[Licence, ...]]:
    from license_expression import AND, OR, LicenseWithExceptionSymbol

    if isinstance(node, LicenseWithExceptionSymbol):
        raise ExpressionError(f"licence exceptions (WITH) are not supported: {str(node)!r}")
    if isinstance(node, OR):
        return [c for a in node.args for c in _dnf(a, cat)]
    if isinstance(node, AND):
        out: list[tuple[Licence, ...]] = [()]
        for a in node.args:
            out = [(*left, *right) for left in out for right in _dnf(a, cat)]
            if len(out) > 64:
                raise ExpressionError("licence expression has too many combinations")
        return [tuple({lic.id: lic for lic in c}.values()) for c in out]
    r = cat.resolve(node.key)
    return [(r.licence, *r.upstream)]


def lookup(name: str, cat: Catalogue | None = None) -> Binding:
    """Resolve ``name`` (id, alias, model id or SPDX expression) to what binds it."""
    from licencecmp.reasoning.expression import is_expression, parse_expression

    cat = cat or default_catalogue()
    if is_expression(name):
        tree = parse_expression(name, cat)
        unique: dict[tuple[str, ...], tuple[Licence, ...]] = {}
        for c in _dnf(tree, cat):
            unique.setdefault(tuple(lic.id for lic in c), c)
        choices = tuple(unique.values())
        label = " ".join(str(tree).split())
        mods = {lic.model_modality for c in choices for lic in c}
        return Binding(label, choices, None, mods.pop() if len(mods) == 1 else None, expression=True)
    r = cat.resolve(name)
    modality = r.model.modality if r.model is not None else r.licence.model_modality
    return Binding(r.model.id if r.model is not None else r.licence.id, ((r.licence, *r.upstream),), r.model,
                   modality)
