"""The fuzz suite's settings: ``LICENCECMP_FUZZ_PROFILE=quick`` (default: 50 deterministic examples
per target, what .ci/run runs) or ``deep`` (2,000 random examples per target, failures remembered
in .hypothesis/). ``LICENCECMP_FUZZ_TIMEOUT`` is the per-example bound in seconds of CPU time (default 10).

The profiles are registered in :mod:`tests.fuzz._support` and applied per test (``fuzz_settings``),
so loading this folder never changes the settings of the other property tests.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._support import PROFILE_ENV, fuzz_settings, profile_name


def pytest_report_header(config: pytest.Config) -> str:
    name = profile_name()
    return f"licencecmp fuzz profile: {name} ({fuzz_settings().max_examples} examples per target; {PROFILE_ENV})"


@pytest.fixture(autouse=True, scope="session")
def _warm_catalogue() -> Iterator[None]:
    """Load the catalogue once, outside every example's time bound."""
    from licencecmp.data.catalogue import default_catalogue

    cat = default_catalogue()
    list(cat)
    cat.models()
    yield
