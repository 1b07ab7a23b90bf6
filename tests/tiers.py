"""The two tiers of the test suite (issue 26). The default run (``python -m pytest``) leaves out the
tests marked ``slow`` (``-m "not slow"`` in pyproject.toml's addopts) and stays under five minutes on
an idle two-core machine; ``scripts/test.sh`` (CI) runs the default tier and then the slow tier
(``-m slow``), so every test runs on every submission.

A broad matrix (every licence, every official text, every scenario flag) keeps a spread sample in the
default run and puts the rest in the slow tier: :func:`sample`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest

SLOW = pytest.mark.slow


def sample(values: Iterable[Any], every: int, *, unpack: bool = False) -> list[Any]:
    """Every value as a ``pytest.param``: one in ``every`` (the first, then evenly spread) in the
    default run, the others marked ``slow``. ``unpack``: each value is a tuple of several arguments."""
    out = []
    for i, value in enumerate(values):
        args = tuple(value) if unpack else (value,)
        out.append(pytest.param(*args) if i % every == 0 else pytest.param(*args, marks=SLOW))
    return out
