"""Shared fixtures. The official licence texts live beside the project in ../shared/licence-texts;
tests that need them skip when it is absent (a user's clone) unless LICENCECMP_REQUIRE_SHARED=1
(set by .ci/run), which turns the skip into a failure."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LICENCES = ROOT / "licences"
SHARED = Path(os.environ.get("LICENCECMP_SHARED", ROOT.parent / "shared"))
TEXTS = SHARED / "licence-texts"
REQUIRE_SHARED = os.environ.get("LICENCECMP_REQUIRE_SHARED") == "1"


def need_shared() -> Path:
    """Return the licence-texts folder, or skip (fail under CI) when it is absent."""
    if TEXTS.is_dir():
        return TEXTS
    reason = f"official licence texts not found at {TEXTS} (set LICENCECMP_SHARED to the shared/ folder)"
    if REQUIRE_SHARED:
        pytest.fail(reason + "; LICENCECMP_REQUIRE_SHARED=1 makes this a failure")
    pytest.skip(reason)


@pytest.fixture
def texts_dir() -> Path:
    return need_shared()


@pytest.fixture(scope="session")
def sources():  # type: ignore[no-untyped-def]
    from licencecmp.data.catalogue import load_sources

    return load_sources(LICENCES)
