"""The functions behind ``licencecmp.get`` and ``licencecmp.can``."""

from __future__ import annotations

from collections.abc import Iterable

from licencecmp.data.catalogue import Resolved, default_catalogue
from licencecmp.data.schema import Licence
from licencecmp.engine import Decision
from licencecmp.scenario import make_scenario
from licencecmp.vocab import Action, Modality, Purpose, parse_action

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
    purpose: Iterable[Purpose | str] | Purpose | str | None = None,
    production: bool | None = None,
    end_user: bool | None = None,
    release: bool | None = None,
    org_mau: int | None = None,
    org_monthly_revenue: float | None = None,
    org_annual_revenue: float | None = None,
) -> Decision:
    """May I do ``action`` with ``name`` (a licence id or alias, a registry model id, whose
    upstream licences also bind, or an SPDX expression)? Returns a cited :class:`Decision`.

    The keywords are the scenario facts, named as the CLI flags: ``mau``, ``monthly_revenue`` and
    ``annual_revenue`` are the product's figures, ``org_*`` the organisation's (with affiliates).
    """
    from licencecmp.reasoning.expression import decide_name

    cat = default_catalogue()
    scenario = make_scenario(mau=mau, monthly_revenue=monthly_revenue, annual_revenue=annual_revenue,
                             org_mau=org_mau, org_monthly_revenue=org_monthly_revenue,
                             org_annual_revenue=org_annual_revenue, domicile=domicile, used_in=used_in,
                             region=region, modality=modality, commercial=commercial, purpose=purpose,
                             production=production, end_user=end_user, release=release, cat=cat)
    return decide_name(name, parse_action(action), scenario, cat)
