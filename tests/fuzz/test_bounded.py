"""The fuzzers' hang guard counts CPU time: a busy loop is stopped, waiting is not charged."""

from __future__ import annotations

import time

import pytest

from ._support import Hang, bounded


def test_a_busy_loop_is_stopped() -> None:
    with pytest.raises(Hang), bounded(0.3):
        while True:
            pass


def test_waiting_is_not_charged() -> None:
    with bounded(0.3):
        time.sleep(0.6)  # wall time past the bound; no CPU spent
