"""Hypothesis strategies over the shipped catalogue."""

from __future__ import annotations

from hypothesis import strategies as st

import licencecmp
from licencecmp import Action
from licencecmp.scenario import Scenario
from licencecmp.vocab import Purpose

CAT = licencecmp.catalogue()
LICENCES = list(CAT)
COUNTRIES = [*sorted(CAT.territories.countries)[::7], "DE", "FR", "GB", "KR", "US", "CN", "NO", "CH"]

licences = st.sampled_from(LICENCES)
actions = st.sampled_from(list(Action))
numbers = st.one_of(st.none(), st.integers(min_value=0, max_value=10**12))
countries = st.sampled_from(sorted(set(COUNTRIES)))
scenarios = st.builds(
    Scenario,
    mau=numbers,
    monthly_revenue=numbers.map(lambda v: None if v is None else float(v)),
    annual_revenue=numbers.map(lambda v: None if v is None else float(v)),
    domicile=st.one_of(st.none(), countries),
    used_in=st.one_of(st.none(), st.lists(countries, max_size=3).map(tuple)),
    modality=st.one_of(st.none(), st.sampled_from(["text", "multimodal"])),
    commercial=st.one_of(st.none(), st.booleans()),
)

# The facts of issue 11: purposes, production, role, release and the organisation's figures.
purposes = st.one_of(st.none(), st.lists(st.sampled_from(list(Purpose)), min_size=1, max_size=3)
                     .map(lambda ps: tuple(dict.fromkeys(ps))))
fact_scenarios = st.builds(
    Scenario,
    mau=numbers,
    monthly_revenue=numbers.map(lambda v: None if v is None else float(v)),
    annual_revenue=numbers.map(lambda v: None if v is None else float(v)),
    org_mau=numbers,
    org_monthly_revenue=numbers.map(lambda v: None if v is None else float(v)),
    org_annual_revenue=numbers.map(lambda v: None if v is None else float(v)),
    domicile=st.one_of(st.none(), countries, st.sampled_from(["EU", "EEA", "EFTA"])),
    used_in=st.one_of(st.none(), st.lists(countries, max_size=3).map(tuple)),
    modality=st.one_of(st.none(), st.sampled_from(["text", "multimodal"])),
    commercial=st.one_of(st.none(), st.booleans()),
    purpose=purposes,
    production=st.one_of(st.none(), st.booleans()),
    end_user=st.one_of(st.none(), st.just(True)),
    release=st.one_of(st.none(), st.booleans()),
)
