"""The functions behind ``licencecmp.get`` and ``licencecmp.can``."""

from __future__ import annotations

from collections.abc import Iterable

from licencecmp.data.catalogue import Resolved, default_catalogue
from licencecmp.data.schema import Licence
from licencecmp.engine import Decision, decide
from licencecmp.scenario import make_scenario
from licencecmp.vocab import Action, Modality, parse_action

__all__ = ["can", "get", "resolve"]


def get(name: str) -> Licence:
    """A licence by canonical id or alias (case-insensitive), e.g. ``get("llama3.1")``."""
    return default_catalogue().get(name)


def resolve(name: str) -> Resolved:
    """A licence id, alias, SPDX expression or model repo id, resolved against the catalogue."""
    return default_catalogue().resolve(name)


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
