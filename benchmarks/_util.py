"""Measuring helpers for ``benchmarks/run.py``: whole-process runs, the peak memory of a
process, in-process timings, statistics and the printed figures. Standard library only.

Wall time is ``time.perf_counter`` around ``Popen`` + wait, with output sent to files (never pipes).

Peak memory is measured in a separate run, through a small launcher process: ``ru_maxrss`` of a
child that Python forks (or vforks) directly also counts the *parent's* resident set up to the
``exec`` (Linux records the old address space's high-water mark at exec), so a 5 MiB grep would
show the benchmark's own 40 MiB. GNU ``/usr/bin/time -f %M`` (about 2 MiB itself) is the launcher
when it exists; otherwise a minimal ``python -I -S`` that forks, execs and reports ``wait4``'s
``ru_maxrss`` (about 9 MiB, so smaller peaks read as that floor).
"""

from __future__ import annotations

import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

__all__ = ["Figure", "Ratio", "Run", "Series", "Stats", "fmt_bytes", "fmt_seconds", "interleaved", "peak_launcher",
           "run_once", "time_calls"]


@dataclass(frozen=True)
class Run:
    """One whole-process run."""

    seconds: float
    returncode: int
    stdout: bytes = b""
    stderr: bytes = b""
    peak_kib: int | None = None  # only for runs made with ``peak=True``
    cpu: float | None = None  # user + system CPU seconds of the process (None where wait4 is missing)


_PY_LAUNCHER = (
    "import os,sys\n"
    "pid=os.fork()\n"
    "if pid==0:\n"
    "    try:\n"
    "        os.execvp(sys.argv[2],sys.argv[2:])\n"
    "    finally:\n"
    "        os._exit(127)\n"
    "_,st,ru=os.wait4(pid,0)\n"
    "k=ru.ru_maxrss//1024 if sys.platform=='darwin' else ru.ru_maxrss\n"
    "open(sys.argv[1],'w').write(str(k))\n"
    "sys.exit(os.waitstatus_to_exitcode(st))\n"
)


@lru_cache(maxsize=1)
def peak_launcher() -> tuple[str, list[str]] | None:
    """(description, argv prefix taking ``OUTFILE CMD...``) of the peak-memory launcher, or None."""
    gnu_time = shutil.which("time", path="/usr/bin:/bin")
    if gnu_time:
        with tempfile.NamedTemporaryFile("r") as fh:
            ok = subprocess.run([gnu_time, "-o", fh.name, "-f", "%M", "true"], capture_output=True, check=False)
            if ok.returncode == 0 and fh.read().strip().isdigit():
                return "GNU time -f %M", [gnu_time, "-f", "%M", "-o"]
    if hasattr(os, "fork") and hasattr(os, "wait4"):
        return "python -I -S fork/exec/wait4 launcher", [sys.executable, "-I", "-S", "-c", _PY_LAUNCHER]
    return None


def run_once(cmd: Sequence[str], *, env: Mapping[str, str] | None = None, cwd: str | None = None,
             capture: bool = False, timeout: float | None = None, peak: bool = False) -> Run:
    """Run ``cmd`` once: wall time and exit code (and output if ``capture``).

    With ``peak``, the command runs under the peak-memory launcher and the run carries the
    command's own peak resident set in KiB (its time then includes the launcher: do not use it
    for a timing figure).
    """
    launcher = peak_launcher() if peak else None
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        argv = [*launcher[1], rss.name, *cmd] if launcher else list(cmd)
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out if capture else subprocess.DEVNULL,
                                stderr=err if capture else subprocess.DEVNULL,
                                env=dict(env) if env is not None else None, cwd=cwd)
        # A blocking wait (Popen.wait with a timeout polls, with sleeps that would enter the timing);
        # a timer thread enforces the timeout instead.
        timer = threading.Timer(timeout, proc.kill) if timeout is not None else None
        if timer is not None:
            timer.start()
        cpu = None
        if hasattr(os, "wait4"):  # blocking too, and it gives the child's CPU time
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            cpu = usage.ru_utime + usage.ru_stime
        else:  # pragma: no cover
            proc.wait()
        seconds = time.perf_counter() - t0
        if timer is not None:
            timer.cancel()
            if timeout is not None and seconds >= timeout and proc.returncode < 0:
                raise subprocess.TimeoutExpired(list(cmd), timeout)
        stdout = stderr = b""
        if capture:
            out.seek(0)
            err.seek(0)
            stdout, stderr = out.read(), err.read()
        kib = None
        if launcher:
            text = rss.read().strip().splitlines()
            kib = int(text[-1]) if text and text[-1].strip().isdigit() else None
    return Run(seconds, proc.returncode, stdout, stderr, kib, cpu)


@dataclass
class Series:
    """The timed runs of one command and its peak memory (from one extra run under the launcher)."""

    runs: list[Run]
    peak_kib: int | None = None

    @property
    def codes(self) -> set[int]:
        return {r.returncode for r in self.runs}


def interleaved(commands: Mapping[str, Sequence[str]], repeat: int, *, warmup: int = 1,
                env: Mapping[str, str] | None = None, cwd: str | None = None,
                timeout: float | None = None, peak: bool = True) -> dict[str, Series]:
    """Run each command ``repeat`` times, side by side: one of each per round, the order rotated
    every round, so that drift of the machine (frequency, other load) hits all of them alike.
    ``warmup`` untimed rounds first (file cache, bytecode); with ``peak``, one more run of each
    under the peak-memory launcher."""
    names = list(commands)
    for _ in range(warmup):
        for name in names:
            run_once(commands[name], env=env, cwd=cwd, timeout=timeout)
    out: dict[str, Series] = {n: Series([]) for n in names}
    for i in range(repeat):
        k = i % len(names)
        for name in names[k:] + names[:k]:
            out[name].runs.append(run_once(commands[name], env=env, cwd=cwd, timeout=timeout))
    if peak:
        for name in names:
            out[name].peak_kib = run_once(commands[name], env=env, cwd=cwd, timeout=timeout, peak=True).peak_kib
    return out


def time_calls(fn: Callable[[], object], repeat: int, *, warmup: int = 1) -> tuple[float | None, list[float]]:
    """In-process timing: the first (cold) call's time, if ``warmup``, and ``repeat`` timed calls."""
    cold = None
    for i in range(warmup):
        t0 = time.perf_counter()
        fn()
        if i == 0:
            cold = time.perf_counter() - t0
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return cold, times


@dataclass(frozen=True)
class Stats:
    median: float
    min: float
    max: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Stats:
        if not values:
            raise ValueError("no values")
        return cls(statistics.median(values), min(values), max(values), len(values))

    def inverse(self, k: float = 1.0) -> Stats:
        """Times -> rates (k events per run): the median rate, and min/max swapped over."""
        return Stats(k / self.median, k / self.max, k / self.min, self.n)


@dataclass
class Figure:
    """One measured quantity: median [min .. max] of n, in ``unit``, with its peak memory."""

    key: str
    label: str
    stats: Stats
    unit: str = "s"
    peak_kib: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def value_text(self) -> str:
        s = self.stats
        if self.unit == "s":
            return f"{fmt_seconds(s.median)}  [{fmt_seconds(s.min)} .. {fmt_seconds(s.max)}]"
        return f"{s.median:,.0f} {self.unit}  [{s.min:,.0f} .. {s.max:,.0f}]"

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "unit": self.unit, "median": self.stats.median,
                "min": self.stats.min, "max": self.stats.max, "n": self.stats.n, "peak_kib": self.peak_kib,
                **self.extra}


@dataclass
class Ratio:
    """A ratio of two medians measured side by side, with an optional target."""

    key: str
    label: str
    value: float
    target: float | None = None
    at_most: bool = True  # target is an upper bound (else a lower bound)
    note: str = ""

    @property
    def met(self) -> bool | None:
        if self.target is None or math.isnan(self.value):
            return None
        return self.value <= self.target if self.at_most else self.value >= self.target

    def verdict_text(self) -> str:
        if self.target is None:
            return ""
        bound = "<=" if self.at_most else ">="
        head = f"target {bound} {self.target:g}x"
        if self.met:
            return f"{head}: met"
        if self.at_most:
            over = self.value / self.target - 1
            return f"{head}: MISSED, {self.value - self.target:.2f}x over ({over:.0%} above the target)"
        short = 1 - self.value / self.target
        return f"{head}: MISSED, {self.target - self.value:.2f}x short ({short:.0%} below the target)"

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "value": self.value, "target": self.target,
                "at_most": self.at_most, "met": self.met, "note": self.note}


def fmt_seconds(s: float) -> str:
    if s < 1e-3:
        return f"{s * 1e6:.0f} us"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def fmt_bytes(kib: float | None) -> str:
    if kib is None:
        return "n/a"
    if kib >= 1024 * 1024:
        return f"{kib / 1024 / 1024:.2f} GiB"
    if kib >= 1024:
        return f"{kib / 1024:.1f} MiB"
    return f"{kib:.0f} KiB"
