"""The facts a question is asked under: a :class:`Scenario`, and :func:`make_scenario`, which
checks each fact a user gives. A fact left out is "not stated": nothing assumes a value for it.

``Scenario`` is the plain record of the pydantic model ``licencecmp.data.results.Scenario`` (the
schema and validator: ``Scenario.model_validate`` validates); see :mod:`licencecmp.data.plain`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypedDict

from licencecmp.data.records import Scenario
from licencecmp.errors import ScenarioError
from licencecmp.vocab import Modality, Purpose

if TYPE_CHECKING:
    from licencecmp.data.catalogue import Catalogue

__all__ = ["MAX_FIGURE", "Facts", "Scenario", "make_scenario"]


class Facts(TypedDict, total=False):
    """The scenario facts as keyword arguments, for type checkers: ``can(licence, action,
    **facts: Unpack[Facts])`` rejects ``mau="800M"`` and a misspelled ``muu=5`` before the code runs
    (the run-time check in :func:`make_scenario` stays). The keys and types are those of
    :func:`make_scenario`'s keywords (tests/engine/test_facts_typeddict.py checks it)."""

    mau: int | None
    monthly_revenue: float | None
    annual_revenue: float | None
    org_mau: int | None
    org_monthly_revenue: float | None
    org_annual_revenue: float | None
    domicile: str | None
    used_in: Iterable[str] | None
    region: str | None
    modality: Modality | str | None
    commercial: bool | None
    purpose: Iterable[Purpose | str] | Purpose | str | None
    production: bool | None
    end_user: bool | None
    release: bool | None

MAX_FIGURE = 10**15
"""The largest user count or USD amount accepted: anything above is a typing slip, not a fact."""

MAX_FIGURE = 10**15
"""The largest user count or revenue a scenario takes (a larger one is input error, not arithmetic overflow)."""


# Pairs of figures where the first can never be above the second, and why.
_ORDERED_FIGURES = (
    ("mau", "org mau", "an organisation counts at least its product's users"),
    ("monthly revenue", "org monthly revenue", "an organisation earns at least its product's revenue"),
    ("annual revenue", "org annual revenue", "an organisation earns at least its product's revenue"),
    ("monthly revenue", "annual revenue", "a year's revenue is at least any one month's"),
    ("org monthly revenue", "org annual revenue", "a year's revenue is at least any one month's"),
    ("monthly revenue", "org annual revenue", "a year's revenue is at least any one month's"),
)


def _figure(name: str, value: object, whole: bool) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise ScenarioError(f"{name} must be a number (got {value!r})")
    if whole and not isinstance(value, int):
        raise ScenarioError(f"{name} must be a whole number (got {value!r})")
    if value < 0:
        raise ScenarioError(f"{name} must not be negative (got {value})")
    if value > MAX_FIGURE:
        raise ScenarioError(f"{name} is implausibly large (got {value}; at most {MAX_FIGURE:,})")


def _figures(figures: dict[str, object]) -> None:
    """Check the stated figures, each and against each other (their names as in messages)."""
    stated = 0
    for name, value in figures.items():
        if value is not None:
            _figure(name, value, whole=name.endswith("mau"))
            stated += 1
    if stated > 1:  # figures bound each other
        for small, big, why in _ORDERED_FIGURES:
            lo, hi = figures[small], figures[big]
            if lo is not None and hi is not None and lo > hi:  # type: ignore[operator]
                raise ScenarioError(f"{small} ({lo:,}) is above {big} ({hi:,}): {why}")


_PURPOSES = {p.value: p for p in Purpose}
_PURPOSE_RANK = {p: i for i, p in enumerate(Purpose)}
_MODALITIES = {m.value: m for m in Modality}


def _flag(name: str, value: object) -> None:
    if value is not None and not isinstance(value, bool):
        raise ScenarioError(f"{name} must be true or false (got {value!r})")


def make_scenario(
    *,
    mau: int | None = None,
    monthly_revenue: float | None = None,
    annual_revenue: float | None = None,
    org_mau: int | None = None,
    org_monthly_revenue: float | None = None,
    org_annual_revenue: float | None = None,
    domicile: str | None = None,
    used_in: Iterable[str] | None = None,
    region: str | None = None,
    modality: Modality | str | None = None,
    commercial: bool | None = None,
    purpose: Iterable[Purpose | str] | Purpose | str | None = None,
    production: bool | None = None,
    end_user: bool | None = None,
    release: bool | None = None,
    cat: Catalogue | None = None,
) -> Scenario:
    """Build a :class:`Scenario`, checking country codes, purposes and numbers.

    ``region`` is shorthand for a licensee based in that country or group that uses the model
    only there. Impossible figures (an organisation's below its product's, a month above the
    year, negative or absurdly large numbers) raise :class:`ScenarioError`.
    """
    if (mau is not None or monthly_revenue is not None or annual_revenue is not None or org_mau is not None
            or org_monthly_revenue is not None or org_annual_revenue is not None):
        _figures({"mau": mau, "monthly revenue": monthly_revenue, "annual revenue": annual_revenue,
                  "org mau": org_mau, "org monthly revenue": org_monthly_revenue,
                  "org annual revenue": org_annual_revenue})
    if commercial is not None or production is not None or end_user is not None or release is not None:
        for name, flag in (("commercial", commercial), ("production", production), ("end_user", end_user),
                           ("release", release)):
            _flag(name, flag)
    purposes: tuple[Purpose, ...] | None = None
    if purpose is not None:
        items = [purpose] if isinstance(purpose, str) else list(purpose)
        parsed: set[Purpose] = set()
        for p in items:
            if not isinstance(p, str):
                raise ScenarioError(f"purpose must be a word (got {p!r})")
            known = _PURPOSES.get(p.strip().lower())
            if known is None:
                raise ScenarioError(f"unknown purpose {p!r}; use one of "
                                    f"{', '.join(x.value for x in Purpose)}")
            parsed.add(known)
        purposes = tuple(sorted(parsed, key=_PURPOSE_RANK.__getitem__)) or None
        if purposes is not None and commercial is False and Purpose.COMMERCIAL in purposes:
            raise ScenarioError("--non-commercial contradicts --purpose commercial")
    if domicile is not None or region is not None:
        for name, text in (("domicile", domicile), ("region", region)):
            if text is not None and not isinstance(text, str):
                raise ScenarioError(f"{name} must be a country code (got {text!r})")
    if isinstance(used_in, str):
        used_in = [used_in]
    elif used_in is not None:
        try:
            used_in = list(used_in)
        except TypeError:
            raise ScenarioError(f"used_in must be country codes (got {used_in!r})") from None
        for code in used_in:
            if not isinstance(code, str):
                raise ScenarioError(f"used_in must be country codes (got {code!r})")
    used: tuple[str, ...] | None = None
    if region is not None or domicile is not None or used_in is not None:  # places: the catalogue's codes
        if cat is None:
            from licencecmp.data.catalogue import default_catalogue

            cat = default_catalogue()
        terr = cat.territories
        if region is not None:
            region = terr.canonical(region)
            domicile = domicile or region
            used_in = [region, *(used_in or [])]
        if domicile is not None:
            domicile = terr.canonical(domicile)
        used = tuple(terr.canonical(c) for c in used_in) if used_in is not None else None
    if modality is not None:
        known_modality = _MODALITIES.get(str(modality).lower())
        if known_modality is None:
            raise ScenarioError(f"unknown modality {modality!r}; use text or multimodal")
        modality = known_modality
    # Every fact is checked above, so the scenario is built without pydantic's validator: a plain
    # record (data.records), equal to what Scenario.model_validate gives for the same facts.
    return Scenario.model_construct(
        mau=mau, monthly_revenue=None if monthly_revenue is None else float(monthly_revenue),
        annual_revenue=None if annual_revenue is None else float(annual_revenue),
        org_mau=org_mau, org_monthly_revenue=None if org_monthly_revenue is None else float(org_monthly_revenue),
        org_annual_revenue=None if org_annual_revenue is None else float(org_annual_revenue),
        domicile=domicile, used_in=tuple(sorted(set(used))) if used is not None else None,
        modality=modality, commercial=commercial, purpose=purposes, production=production,
        end_user=end_user, release=release)
