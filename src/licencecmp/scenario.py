"""The facts a question is asked under: a :class:`Scenario`, and :func:`make_scenario`, which
checks each fact a user gives. A fact left out is "not stated": nothing assumes a value for it."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator

from licencecmp.errors import ScenarioError
from licencecmp.vocab import Metric, Modality

if TYPE_CHECKING:
    from licencecmp.data.catalogue import Catalogue

__all__ = ["Scenario", "make_scenario"]

MAX_FIGURE = 10**15
"""The largest user count or revenue a scenario takes (a larger one is input error, not arithmetic overflow)."""


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Scenario(_Out):
    """The facts a question is asked under. ``None`` means "not stated"."""

    mau: int | None = Field(default=None, ge=0, description="Monthly active users.")
    monthly_revenue: float | None = Field(default=None, ge=0, description="Monthly revenue in USD.")
    annual_revenue: float | None = Field(default=None, ge=0, description="Annual revenue in USD.")
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

    @field_validator("domicile")
    @classmethod
    def _upper(cls, v: str | None) -> str | None:
        return v.strip().upper() if v is not None else None

    @field_validator("used_in")
    @classmethod
    def _upper_all(cls, v: tuple[str, ...] | None) -> tuple[str, ...] | None:
        return tuple(sorted({c.strip().upper() for c in v})) if v is not None else None

    def metric(self, metric: Metric) -> float | None:
        return {
            Metric.MONTHLY_ACTIVE_USERS: self.mau,
            Metric.MONTHLY_REVENUE_USD: self.monthly_revenue,
            Metric.ANNUAL_REVENUE_USD: self.annual_revenue,
        }[metric]

    def stated(self) -> dict[str, object]:
        """The facts that were stated, as plain data."""
        from licencecmp.data.schema import jsonable

        data: dict[str, object] = jsonable(self)
        return {k: v for k, v in data.items() if v is not None}


def make_scenario(
    *,
    mau: int | None = None,
    monthly_revenue: float | None = None,
    annual_revenue: float | None = None,
    domicile: str | None = None,
    used_in: Iterable[str] | None = None,
    region: str | None = None,
    modality: Modality | str | None = None,
    commercial: bool | None = None,
    cat: Catalogue | None = None,
) -> Scenario:
    """Build a :class:`Scenario`, checking country codes and numbers.

    ``region`` is shorthand for a licensee based in that country or group that uses the model
    only there.
    """
    if cat is None:
        from licencecmp.data.catalogue import default_catalogue

        cat = default_catalogue()
    terr = cat.territories
    for name, value in (("mau", mau), ("monthly revenue", monthly_revenue), ("annual revenue", annual_revenue)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise ScenarioError(f"{name} must be a number (got {value!r})")
        if name == "mau" and not isinstance(value, int):
            raise ScenarioError(f"mau must be a whole number (got {value!r})")
        if value < 0:
            raise ScenarioError(f"{name} must not be negative (got {value})")
        if value > MAX_FIGURE:
            raise ScenarioError(f"{name} is too large (more than {MAX_FIGURE:.0e})")
    if commercial is not None and not isinstance(commercial, bool):
        raise ScenarioError(f"commercial must be true or false (got {commercial!r})")
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
    return Scenario.model_construct(
        mau=mau, monthly_revenue=None if monthly_revenue is None else float(monthly_revenue),
        annual_revenue=None if annual_revenue is None else float(annual_revenue),
        domicile=domicile, used_in=tuple(sorted(set(used))) if used is not None else None,
        modality=modality, commercial=commercial)
