"""Helpers for the hostile-input suite: a subprocess run of the CLI with a wall-clock cap and a
memory cap, so a former hang or blow-up fails the test instead of stalling the run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import licencecmp

SRC = Path(licencecmp.__file__).resolve().parents[1]  # the code under test (PYTHONPATH may name another)
TIMEOUT = int(os.environ.get("LICENCECMP_HOSTILE_TIMEOUT", "120"))
"""Generous: the fixed code takes seconds; the old code took minutes, for ever, or all the memory."""
MEMORY = 1536 * 1024 * 1024


def _limit() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
        timeout: int = TIMEOUT) -> subprocess.CompletedProcess[str]:
    """``python -m licencecmp ARGS`` in ``cwd``, bounded in time and memory."""
    full = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run([sys.executable, "-m", "licencecmp", *args], cwd=cwd, env=full, capture_output=True,
                          text=True, errors="replace", timeout=timeout, preexec_fn=_limit, check=False)


def one_error_line(stderr: str) -> bool:
    lines = stderr.splitlines()
    return len(lines) == 1 and lines[0].startswith("licencecmp: error: ") and len(lines[0]) < 700
