"""The facts a question is asked under: a :class:`Scenario`, and :func:`make_scenario`, which
checks each fact a user gives. A fact left out is "not stated": nothing assumes a value for it.

``Scenario`` is the plain record of the pydantic model ``licencecmp.data.results.Scenario`` (the
schema and validator: ``Scenario.model_validate`` validates); see :mod:`licencecmp.data.plain`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from licencecmp.data.records import Scenario
from licencecmp.errors import ScenarioError
from licencecmp.facts import FACTS, FIGURES, FactKind, Facts, ScenarioFact
from licencecmp.vocab import Modality, Purpose, Scope

if TYPE_CHECKING:
    from collections.abc import Mapping

    from typing_extensions import Unpack

    from licencecmp.data.catalogue import Catalogue

__all__ = ["MAX_FIGURE", "Scenario", "make_scenario", "stated_values"]

MAX_FIGURE = 10**15
"""The largest figure (user count, USD amount) a scenario takes: anything above is a typing slip, not a fact
(and not arithmetic overflow)."""


def _ordered_figures() -> tuple[tuple[ScenarioFact, ScenarioFact, str], ...]:
    """Pairs of figure facts where the first can never be above the second, and why: an organisation's
    figure is at least its product's, and a metric is at least those it covers (a year's revenue, a month's)."""
    pairs = []
    for big in FIGURES:
        assert big.metric is not None and big.scope is not None
        for small in FIGURES:
            assert small.metric is not None and small.scope is not None
            if small is big or small.metric not in big.metric.at_least():
                continue
            if small.scope is Scope.ORGANISATION and big.scope is Scope.PRODUCT:
                continue
            why = (big.metric.info.why if small.metric is not big.metric else
                   f"an organisation's {big.metric.label} are at least its product's")
            pairs.append((small, big, why))
    return tuple(pairs)


_ORDERED_FIGURES = _ordered_figures()


def _figure(name: str, whole: bool, value: object) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ScenarioError(f"{name} must be a number (got {value!r})")
    if whole and not isinstance(value, int):
        raise ScenarioError(f"{name} must be a whole number (got {value!r})")
    if value < 0:
        raise ScenarioError(f"{name} must not be negative (got {value})")
    if value > MAX_FIGURE:
        raise ScenarioError(f"{name} is implausibly large (got {value}; at most {MAX_FIGURE:,})")
    return value if whole else float(value)


# The pairs among each list of stated figures (one entry per order in which the figure facts are given:
# at most the few dozen orders of the figures a caller states).
_PAIRS_AMONG: dict[tuple[str, ...], tuple[tuple[ScenarioFact, ScenarioFact, str], ...]] = {}
_MAX_ORDERS = 4096


def _check_order(values: dict[str, object], figures: tuple[str, ...]) -> None:
    """The stated figures (``figures``, their names) against each other."""
    pairs = _PAIRS_AMONG.get(figures)
    if pairs is None:
        pairs = tuple(p for p in _ORDERED_FIGURES if p[0].name in figures and p[1].name in figures)
        if len(_PAIRS_AMONG) < _MAX_ORDERS:
            _PAIRS_AMONG[figures] = pairs
    for small, big, why in pairs:
        lo, hi = values[small.name], values[big.name]
        if lo > hi:  # type: ignore[operator]
            raise ScenarioError(f"{small.label} ({lo:,}) is above {big.label} ({hi:,}): {why}")


_PURPOSES = {p.value: p for p in Purpose}
_PURPOSE_RANK = {p: i for i, p in enumerate(Purpose)}
_MODALITIES = {m.value: m for m in Modality}


_FIGURE_OF = {f.name: (f.label, f.whole) for f in FIGURES}  # read on every figure: bound once
_WHOLE = frozenset(f.name for f in FIGURES if f.whole)
_KIND = {f.name: f.kind for f in FACTS}
_FIGURE, _FLAG = FactKind.FIGURE, FactKind.FLAG
_EMPTY = Scenario.model_construct()
# The kinds of fact stated_values reads after the figures and flags, each a bit.
_PLACE, _MODALITY, _PURPOSE = 1, 2, 4
_REST = {FactKind.COUNTRY: _PLACE, FactKind.COUNTRIES: _PLACE, FactKind.MODALITY: _MODALITY,
         FactKind.PURPOSES: _PURPOSE}
_KEPT_PLACES = 4096  # the places of at most this many distinct questions are kept (on the catalogue)


def make_scenario(*, cat: Catalogue | None = None, **facts: Unpack[Facts]) -> Scenario:
    """Build a :class:`Scenario` from the facts of :data:`licencecmp.facts.FACTS`, checking country
    codes, purposes and numbers.

    ``region`` is shorthand for a licensee based in that country or group that uses the model
    only there. Impossible figures (an organisation's below its product's, a month above the
    year, negative or absurdly large numbers) raise :class:`ScenarioError`.
    """
    if not facts:
        return _EMPTY
    # Every fact is checked here, so the scenario is built without pydantic's validator: a plain
    # record (data.records), equal to what Scenario.model_validate gives for the same facts.
    return Scenario.model_construct_from(stated_values(facts, cat))


def stated_values(facts: Mapping[str, object], cat: Catalogue | None = None) -> dict[str, object]:
    """The checked values of the facts stated (:func:`make_scenario`'s checks), by field of the
    :class:`Scenario`; a fact given as None is not stated. A caller may add to them (what an
    action says) and build the scenario once."""
    values: dict[str, object] = {}
    figures: list[str] | None = None
    rest = 0  # the other kinds of fact stated (_REST), read after the figures and flags (even as None)
    for name, value in facts.items():
        kind = _KIND.get(name)
        if kind is _FIGURE:
            if value is None:
                continue
            t = type(value)
            # The common cases checked inline; anything else (and every error) through _figure.
            if t is int and 0 <= value <= MAX_FIGURE:  # type: ignore[operator]
                values[name] = value if name in _WHOLE else float(value)  # type: ignore[arg-type]
            elif t is float and 0 <= value <= MAX_FIGURE and name not in _WHOLE:  # type: ignore[operator]
                values[name] = value
            else:
                values[name] = _figure(*_FIGURE_OF[name], value)
            if figures is None:
                figures = [name]
            else:
                figures.append(name)
        elif kind is _FLAG:
            if value is None:
                continue
            if value is not True and value is not False:
                raise ScenarioError(f"{name} must be true or false (got {value!r})")
            values[name] = value
        elif kind is None:
            raise TypeError(f"make_scenario() got an unexpected keyword argument {name!r}")
        else:
            rest |= _REST[kind]
    if figures is not None and len(figures) > 1:  # figures bound each other
        _check_order(values, tuple(figures))
    if rest:
        if rest & _PLACE:
            values.update(_kept_places(facts.get("domicile"), facts.get("region"), facts.get("used_in"), cat))
        if rest & _MODALITY:
            values["modality"] = _modality(facts["modality"])
        if rest & _PURPOSE:
            values["purpose"] = _purposes(facts["purpose"], facts.get("commercial"))
    return values


def _kept_places(domicile: object, region: object, used_in: object, cat: Catalogue | None) -> dict[str, object]:
    """:func:`_places`, kept on the catalogue for places given as codes (a few hundred distinct
    sets of places in practice; at most :data:`_KEPT_PLACES`). What fails is not kept."""
    if cat is None:
        from licencecmp.data.catalogue import default_catalogue

        cat = default_catalogue()
    # Kept by the places as given, when each is a code (a str): anything else is checked (and
    # refused, or read once if another iterable) by _places.
    if (domicile is not None and type(domicile) is not str) or (region is not None and type(region) is not str):
        return _places(domicile, region, used_in, cat)
    t = type(used_in)
    codes: object = used_in
    if t is list or t is tuple:
        given: tuple[object, ...] = tuple(used_in)  # type: ignore[arg-type]
        for code in given:
            if type(code) is not str:
                return _places(domicile, region, used_in, cat)
        codes = given
    elif used_in is not None and t is not str:
        return _places(domicile, region, used_in, cat)
    key = (domicile, region, codes)
    kept: dict[object, dict[str, object]] = cat.memo("scenario places", dict)
    got = kept.get(key)
    if got is None:
        got = _places(domicile, region, used_in, cat)
        if len(kept) < _KEPT_PLACES:
            kept[key] = got
    return got


def _purposes(purpose: object, commercial: object) -> tuple[Purpose, ...] | None:
    if purpose is None:
        return None
    items = [purpose] if isinstance(purpose, str) else list(purpose)  # type: ignore[call-overload]
    parsed: set[Purpose] = set()
    for p in items:
        if not isinstance(p, str):
            raise ScenarioError(f"purpose must be a word (got {p!r})")
        known = _PURPOSES.get(p.strip().lower())
        if known is None:
            raise ScenarioError(f"unknown purpose {p!r}; use one of {', '.join(x.value for x in Purpose)}")
        parsed.add(known)
    purposes = tuple(sorted(parsed, key=_PURPOSE_RANK.__getitem__)) or None
    if purposes is not None and commercial is False and Purpose.COMMERCIAL in purposes:
        raise ScenarioError("--non-commercial contradicts --purpose commercial")
    return purposes


def _codes(used_in: object) -> list[str] | None:
    if used_in is None:
        return None
    if isinstance(used_in, str):
        return [used_in]
    try:
        codes: list[str] = list(used_in)  # type: ignore[call-overload]
    except TypeError:
        raise ScenarioError(f"used_in must be country codes (got {used_in!r})") from None
    for code in codes:
        if not isinstance(code, str):
            raise ScenarioError(f"used_in must be country codes (got {code!r})")
    return codes


def _places(domicile: object, region: object, used_in: object, cat: Catalogue | None) -> dict[str, object]:
    """``domicile`` and ``used_in`` in the catalogue's codes, with ``region`` resolved into both."""
    for name, text in (("domicile", domicile), ("region", region)):
        if text is not None and not isinstance(text, str):
            raise ScenarioError(f"{name} must be a country code (got {text!r})")
    codes = _codes(used_in)
    if region is None and domicile is None and codes is None:
        return {}
    if cat is None:
        from licencecmp.data.catalogue import default_catalogue

        cat = default_catalogue()
    terr = cat.territories
    if region is not None:
        region = terr.canonical(str(region))
        domicile = domicile or region
        codes = [str(region), *(codes or [])]
    used = tuple(sorted({terr.canonical(c) for c in codes})) if codes is not None else None
    return {"domicile": terr.canonical(str(domicile)) if domicile is not None else None, "used_in": used}


def _modality(modality: object) -> Modality | None:
    if modality is None:
        return None
    known = _MODALITIES.get(str(modality).lower())
    if known is None:
        raise ScenarioError(f"unknown modality {modality!r}; use text or multimodal")
    return known
