"""The facts a question is asked under: a :class:`Scenario`, and :func:`make_scenario`, which
checks each fact a user gives. A fact left out is "not stated": nothing assumes a value for it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from licencecmp.data.plain import construct
from licencecmp.errors import ScenarioError
from licencecmp.vocab import Metric, Modality, Purpose, Scope

if TYPE_CHECKING:
    from typing_extensions import Self

    from licencecmp.data.catalogue import Catalogue

__all__ = ["MAX_FIGURE", "Scenario", "make_scenario"]

MAX_FIGURE = 10**15
"""The largest user count or USD amount accepted: anything above is a typing slip, not a fact."""

MAX_FIGURE = 10**15
"""The largest user count or revenue a scenario takes (a larger one is input error, not arithmetic overflow)."""


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:
        """As pydantic's, faster for the values the engine builds (see :mod:`licencecmp.data.plain`)."""
        if _fields_set is not None:
            return super().model_construct(_fields_set, **values)
        return construct(cls, values)


class Scenario(_Out):
    """The facts a question is asked under. ``None`` means "not stated".

    ``mau``, ``monthly_revenue`` and ``annual_revenue`` are the figures of the product or service
    that uses the model; the ``org_`` ones those of the whole organisation with its affiliates.
    """

    mau: int | None = Field(default=None, ge=0, description="Monthly active users of the product or "
                            "service that uses the model.")
    monthly_revenue: float | None = Field(default=None, ge=0, description="Monthly revenue in USD of the "
                                          "product or service that uses the model (any one month).")
    annual_revenue: float | None = Field(default=None, ge=0, description="Annual revenue in USD of the "
                                         "product or service that uses the model.")
    org_mau: int | None = Field(default=None, ge=0, description="Monthly active users of the whole "
                                "organisation with its affiliates (all its products and services).")
    org_monthly_revenue: float | None = Field(default=None, ge=0, description="Monthly revenue in USD of "
                                              "the whole organisation with its affiliates (any one month).")
    org_annual_revenue: float | None = Field(default=None, ge=0, description="Annual revenue in USD of the "
                                             "whole organisation with its affiliates.")
    domicile: str | None = Field(
        default=None, description="Licensee's country of residence or principal place of business."
    )
    used_in: tuple[str, ...] | None = Field(
        default=None, description="Countries (or groups) where the model or its outputs are used or offered."
    )
    modality: Modality | None = None
    commercial: bool | None = Field(
        default=None, description="Whether the use is for a commercial purpose (always so for commercial-use)."
    )
    purpose: tuple[Purpose, ...] | None = Field(
        default=None, description="What the use is for (several when a use serves several purposes).")
    production: bool | None = Field(
        default=None, description="Whether the model runs live: with end users or on real-world inputs.")
    end_user: bool | None = Field(
        default=None, description="You receive the model inside an integrated end-user product from a "
        "licensee (the carve-outs for end users apply).")
    release: bool | None = Field(
        default=None, description="Whether what you make (the model, a derivative, a model trained with "
        "its outputs) is distributed or made available to others, a hosted service included.")

    @field_validator("domicile")
    @classmethod
    def _upper(cls, v: str | None) -> str | None:
        return v.strip().upper() if v is not None else None

    @field_validator("used_in")
    @classmethod
    def _upper_all(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return tuple(sorted({c.strip().upper() for c in v})) if v is not None else None

    def metric(self, metric: Metric, scope: Scope = Scope.PRODUCT) -> float | None:
        """The stated figure for a metric, of the product (default) or of the organisation."""
        if scope is Scope.ORGANISATION:
            return {
                Metric.MONTHLY_ACTIVE_USERS: self.org_mau,
                Metric.MONTHLY_REVENUE_USD: self.org_monthly_revenue,
                Metric.ANNUAL_REVENUE_USD: self.org_annual_revenue,
            }[metric]
        return {
            Metric.MONTHLY_ACTIVE_USERS: self.mau,
            Metric.MONTHLY_REVENUE_USD: self.monthly_revenue,
            Metric.ANNUAL_REVENUE_USD: self.annual_revenue,
        }[metric]

    def bounds(self, metric: Metric, scope: Scope) -> tuple[tuple[float, str] | None, tuple[float, str] | None]:
        """What the stated figures prove about a metric of a scope: the largest figure it is at least
        and the smallest it is at most, each with the fact it comes from (None: nothing proven).

        An organisation's figure is at least its product's; a year's revenue is at least any one
        month's; so a product's figure is at most its organisation's and a month's at most its year's.
        """
        below: list[tuple[float, str]] = []  # the metric is at least these
        above: list[tuple[float, str]] = []  # the metric is at most these
        scopes_below = [Scope.PRODUCT, Scope.ORGANISATION] if scope is Scope.ORGANISATION else [Scope.PRODUCT]
        scopes_above = [Scope.PRODUCT, Scope.ORGANISATION] if scope is Scope.PRODUCT else [Scope.ORGANISATION]
        for s in scopes_below:
            for m in _AT_LEAST[metric]:
                v = self.metric(m, s)
                if v is not None:
                    below.append((v, _FIELD[(m, s)]))
        for s in scopes_above:
            for m in _AT_MOST[metric]:
                v = self.metric(m, s)
                if v is not None:
                    above.append((v, _FIELD[(m, s)]))
        return (max(below, key=lambda x: x[0], default=None), min(above, key=lambda x: x[0], default=None))

    def purposes(self) -> frozenset[Purpose] | None:
        """The stated purposes, with ``commercial`` when the use is stated to be commercial; None
        when nothing says what the use is for."""
        out = set(self.purpose or ())
        if self.commercial:
            out.add(Purpose.COMMERCIAL)
        return frozenset(out) if out or self.purpose is not None else None

    def is_commercial(self) -> bool | None:
        """Whether the use is commercial: True, False, or None when not stated."""
        if self.commercial is not None:
            return self.commercial
        if self.purpose:
            return Purpose.COMMERCIAL in self.purpose
        return None

    def stated(self) -> dict[str, object]:
        """The facts that were stated, as plain data."""
        from licencecmp.data.schema import jsonable

        data: dict[str, object] = jsonable(self)
        return {k: v for k, v in data.items() if v is not None}


# Which stated metrics bound another from below (the metric is at least them) or from above.
_AT_LEAST = {
    Metric.MONTHLY_ACTIVE_USERS: (Metric.MONTHLY_ACTIVE_USERS,),
    Metric.MONTHLY_REVENUE_USD: (Metric.MONTHLY_REVENUE_USD,),
    Metric.ANNUAL_REVENUE_USD: (Metric.ANNUAL_REVENUE_USD, Metric.MONTHLY_REVENUE_USD),
}
_AT_MOST = {
    Metric.MONTHLY_ACTIVE_USERS: (Metric.MONTHLY_ACTIVE_USERS,),
    Metric.MONTHLY_REVENUE_USD: (Metric.MONTHLY_REVENUE_USD, Metric.ANNUAL_REVENUE_USD),
    Metric.ANNUAL_REVENUE_USD: (Metric.ANNUAL_REVENUE_USD,),
}
_FIELD = {
    (Metric.MONTHLY_ACTIVE_USERS, Scope.PRODUCT): "mau",
    (Metric.MONTHLY_REVENUE_USD, Scope.PRODUCT): "monthly_revenue",
    (Metric.ANNUAL_REVENUE_USD, Scope.PRODUCT): "annual_revenue",
    (Metric.MONTHLY_ACTIVE_USERS, Scope.ORGANISATION): "org_mau",
    (Metric.MONTHLY_REVENUE_USD, Scope.ORGANISATION): "org_monthly_revenue",
    (Metric.ANNUAL_REVENUE_USD, Scope.ORGANISATION): "org_annual_revenue",
}


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
    figures = {"mau": mau, "monthly revenue": monthly_revenue, "annual revenue": annual_revenue,
               "org mau": org_mau, "org monthly revenue": org_monthly_revenue,
               "org annual revenue": org_annual_revenue}
    for name, value in figures.items():
        _figure(name, value, whole=name.endswith("mau"))
    for small, big, why in (
        ("mau", "org mau", "an organisation counts at least its product's users"),
        ("monthly revenue", "org monthly revenue", "an organisation earns at least its product's revenue"),
        ("annual revenue", "org annual revenue", "an organisation earns at least its product's revenue"),
        ("monthly revenue", "annual revenue", "a year's revenue is at least any one month's"),
        ("org monthly revenue", "org annual revenue", "a year's revenue is at least any one month's"),
        ("monthly revenue", "org annual revenue", "a year's revenue is at least any one month's"),
    ):
        lo, hi = figures[small], figures[big]
        if lo is not None and hi is not None and lo > hi:
            raise ScenarioError(f"{small} ({lo:,}) is above {big} ({hi:,}): {why}")
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
            try:
                parsed.add(Purpose(p.strip().lower()))
            except ValueError:
                raise ScenarioError(f"unknown purpose {p!r}; use one of "
                                    f"{', '.join(x.value for x in Purpose)}") from None
        purposes = tuple(sorted(parsed, key=list(Purpose).index)) or None
    if purposes is not None and commercial is False and Purpose.COMMERCIAL in purposes:
        raise ScenarioError("--non-commercial contradicts --purpose commercial")
    if cat is None:
        from licencecmp.data.catalogue import default_catalogue

        cat = default_catalogue()
    terr = cat.territories
    for name, text in (("domicile", domicile), ("region", region)):
        if text is not None and not isinstance(text, str):
            raise ScenarioError(f"{name} must be a country code (got {text!r})")
    if isinstance(used_in, str):
        used_in = [used_in]
    if region is not None:
        region = terr.canonical(region)
        domicile = domicile or region
        used_in = [region, *(used_in or [])]
    if domicile is not None:
        domicile = terr.canonical(domicile)
    used = tuple(terr.canonical(c) for c in used_in) if used_in is not None else None
    if modality is not None:
        try:
            modality = Modality(str(modality).lower())
        except ValueError:
            raise ScenarioError(f"unknown modality {modality!r}; use text or multimodal") from None
    # Every fact is checked above, so the scenario is built without pydantic's validator (whose
    # first use costs a schema build at start-up); Scenario's own validators give the same result.
    def money(v: float | None) -> float | None:
        return None if v is None else float(v)

    return Scenario.model_construct(
        mau=mau, monthly_revenue=money(monthly_revenue), annual_revenue=money(annual_revenue),
        org_mau=org_mau, org_monthly_revenue=money(org_monthly_revenue),
        org_annual_revenue=money(org_annual_revenue),
        domicile=domicile, used_in=tuple(sorted(set(used))) if used is not None else None,
        modality=modality, commercial=commercial, purpose=purposes, production=production,
        end_user=end_user, release=release)
