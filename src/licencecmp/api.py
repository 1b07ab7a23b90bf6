"""The functions behind ``licencecmp.get`` and ``licencecmp.can``."""

from __future__ import annotations

from collections.abc import Iterable

from .catalogue import Catalogue, Resolved, default_catalogue
from .engine import Decision, Scenario, decide
from .errors import ScenarioError, UnknownActionError
from .model import Licence
from .vocab import Action, Modality

__all__ = ["can", "catalogue", "get", "make_scenario", "parse_action", "resolve"]


def catalogue() -> Catalogue:
    """The catalogue shipped with the package: iterate it for every :class:`Licence`."""
    return default_catalogue()


def get(name: str) -> Licence:
    """A licence by canonical id or alias (case-insensitive), e.g. ``get("llama3.1")``."""
    return default_catalogue().get(name)


def resolve(name: str) -> Resolved:
    """A licence id, alias, SPDX expression or model repo id, resolved against the catalogue."""
    return default_catalogue().resolve(name)


def parse_action(action: Action | str) -> Action:
    try:
        return Action(str(action).strip().lower())
    except ValueError:
        raise UnknownActionError(str(action), [a.value for a in Action]) from None


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
    terr = (cat or default_catalogue()).territories
    for name, value in (("mau", mau), ("monthly revenue", monthly_revenue), ("annual revenue", annual_revenue)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
            raise ScenarioError(f"{name} must be a number (got {value!r})")
        if name == "mau" and not isinstance(value, int):
            raise ScenarioError(f"mau must be a whole number (got {value!r})")
        if value < 0:
            raise ScenarioError(f"{name} must not be negative (got {value})")
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


def can(
    name: str,
    action: Action | str,
    *,
    mau: int | None = None,
    monthly_revenue: float | None = None,
    annual_revenue: float | None = None,
    domicile: str | None = None,
    used_in: Iterable[str] | None = None,
    region: str | None = None,
    modality: Modality | str | None = None,
    commercial: bool | None = None,
) -> Decision:
    """May I do ``action`` with the licence or model ``name``? Returns a cited :class:`Decision`."""
    cat = default_catalogue()
    resolved = cat.resolve(name)
    scenario = make_scenario(mau=mau, monthly_revenue=monthly_revenue, annual_revenue=annual_revenue,
                             domicile=domicile, used_in=used_in, region=region, modality=modality,
                             commercial=commercial, cat=cat)
    return decide(resolved, parse_action(action), scenario, cat.territories)
