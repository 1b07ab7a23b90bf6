"""Helpers for the hostile-input suite: a subprocess run of the CLI with a memory cap and a wall-clock
stopper, so a former hang or blow-up fails the test instead of stalling the run; and a growth check
that compares the CPU time of two sizes of one input in one run (issue 26: no test asserts an
absolute time, which fails on a loaded machine; growth does not depend on the machine's speed)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import licencecmp

SRC = Path(licencecmp.__file__).resolve().parents[1]  # the code under test (PYTHONPATH may name another)
TIMEOUT = int(os.environ.get("LICENCECMP_HOSTILE_TIMEOUT", "600"))
"""A stopper, not a measure: a run still going after this many seconds of wall time is ended (the old
code ran for minutes or for ever). The fixed code takes seconds even at load 8 on two cores; what a
test asserts about time is growth (:func:`assert_linear`)."""
MEMORY = 1536 * 1024 * 1024
GROWTH = 4
"""The big input of a growth check is this many times the small one."""
MIN_WORK = 0.25
"""CPU seconds: the small run's work above start-up counts as at least this much (below it, the
difference of two measures is noise)."""


def _limit() -> None:  # pragma: no cover - runs in the child
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
        timeout: int = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """``python -m licencecmp ARGS`` in ``cwd``, bounded in time and memory."""
    full = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run([sys.executable, "-m", "licencecmp", *args], cwd=cwd, env=full, capture_output=True,
                          text=True, errors="replace", timeout=timeout, preexec_fn=_limit, check=False)


def cpu_run(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """:func:`run` and the CPU seconds (user and system) the child spent."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = run(args, cwd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return proc, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


_START_UP: list[float] = []


def start_up_cpu(scratch: Path) -> float:
    """The CPU seconds of ``check`` on a one-file tree (interpreter, imports, catalogue), measured
    once per test process: the floor that growth is measured above."""
    if not _START_UP:
        (scratch / "empty").mkdir()
        (scratch / "empty" / "a.py").write_text("x = 1\n", encoding="utf-8")
        proc, cpu = cpu_run(["check", "empty", "--no-progress"], scratch)
        assert proc.returncode == 0, proc.stderr
        _START_UP.append(cpu)
    return _START_UP[0]


def assert_linear(tmp_path: Path, build: Callable[[Path, int], None], size: int, args: list[str],
                  check: Callable[[subprocess.CompletedProcess[str], int], None]) -> None:
    """Run ``licencecmp ARGS`` on the tree ``build(root, n)`` writes, at ``size // GROWTH`` and at
    ``size``; ``check`` each answer; and assert that the work above start-up grew at most twice as
    fast as the input (linear work grows GROWTH times, quadratic GROWTH² times)."""
    floor = start_up_cpu(tmp_path)
    cpu: list[float] = []
    for n in (size // GROWTH, size):
        root = tmp_path / f"n{n}"
        root.mkdir()
        build(root, n)
        proc, seconds = cpu_run(args, root)
        check(proc, n)
        cpu.append(seconds)
    growth = (cpu[1] - floor) / max(cpu[0] - floor, MIN_WORK)
    assert growth <= 2 * GROWTH, (
        f"{GROWTH}x the input took {growth:.1f}x the CPU above start-up ({floor:.2f} s): "
        f"{cpu[0]:.2f} s at {size // GROWTH}, {cpu[1]:.2f} s at {size}; linear work grows about {GROWTH}x")


def one_error_line(stderr: str) -> bool:
    lines = stderr.splitlines()
    return len(lines) == 1 and lines[0].startswith("licencecmp: error: ") and len(lines[0]) < 700
