"""licencecmp benchmarks: every figure of the speed issue, measured side by side in one run.

    python benchmarks/run.py            # full: 20 runs per whole-process figure, trees of 1k/10k/100k/300k files
    python benchmarks/run.py --quick    # CI: 5 runs, trees of 1k/5k files (well under 2 minutes)
    python benchmarks/run.py --only startup,peer --json results.json

Figures (median [min .. max] of n runs, with the peak resident memory of each process):

1. start-up: ``licencecmp can llama-3.1 commercial-use``, ``show llama-3.1``, ``compat mit
   apache-2.0``, ``compare`` of five ids (the README's table) and ``identify`` of a licence file
   against the floor of their own dependencies, ``python -c "import typer, pydantic"``
   (target: at most 1.2x, in wall and in CPU time), with where the time goes: import
   time by package (``python -X importtime``) and the phases of one answer in a fresh process.
2. catalogue: load + validate every licence file (TOML sources), the compiled catalogue as start-up
   loads it, ``evaluate`` decisions per second over catalogue x actions x a grid of scenarios, and
   the full compatibility ``matrix`` (in-process and as a command), ``licencecmp.can()`` calls per
   second (target: at least 50,000) and ``compare`` of the whole catalogue by every action (target:
   under 100 ms).
3. peers: ``flict verify -il MIT -ol Apache-2.0`` (flict from PyPI, in its own virtual environment
   under benchmarks/.cache) against ``licencecmp compat mit apache-2.0`` (target: at least 4x faster).
4. scan: ``licencecmp check`` over generated trees against ``grep -rEniI`` of the same model-id
   pattern over the same tree (target: at most 2x grep), and ``rg`` where it is installed (printed),
   the growth between sizes (linear: an exponent near 1), and the size of the JSON report.
5. peak memory: beside every figure, and in one table at the end.
6. mcp: seconds from the start of ``licencecmp mcp`` to its answer of ``initialize`` (target: at
   most 0.2 s), to its first ``tools/list``, and the import of the MCP SDK alone (the floor of any
   server on it); skipped where the SDK is not installed.

Targets are printed as met or missed (by how much); a missed target never fails the run. The run
fails (exit 1) only when a licencecmp command it measures does not work (a wrong exit code), since
its figure would then mean nothing. Uses the interpreter it runs with and the ``licencecmp`` of the
same environment.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from _util import (  # noqa: E402
    Figure,
    Ratio,
    Run,
    Series,
    Stats,
    fmt_bytes,
    fmt_seconds,
    interleaved,
    peak_launcher,
    run_once,
    time_calls,
)

CACHE = Path(os.environ.get("LICENCECMP_BENCH_CACHE", str(HERE / ".cache")))
SECTIONS = ("startup", "catalogue", "peer", "scan", "lock", "mcp")
STARTUP_TARGET = 1.2
CAN_RATE_TARGET = 50_000.0  # licencecmp.can() decisions per second, in process
COMPARE_TARGET = 0.100  # compare of the whole catalogue by every action, in process (seconds)
PEER_TARGET = 4.0
SCAN_TARGET_FROM = 10_000  # files: the smallest tree the target is set for
SCAN_TARGET = 2.0
MCP_TARGET = 0.2  # seconds from the start of `licencecmp mcp` to its answer of initialize
LOCK_TARGET = 10.0  # seconds for `lock --online` to resolve 1,000 unknown ids against the loopback stand-in
LINEAR_EXPONENT = 1.1  # time ~ files**k between two sizes; k <= 1.1 counts as linear


# -- the environment --------------------------------------------------------------------------


def bin_dir() -> Path:
    return Path(sys.executable).parent


def licencecmp_cmd() -> list[str]:
    """The console script of this interpreter's environment (what users run), else ``-m``."""
    script = bin_dir() / ("licencecmp.exe" if os.name == "nt" else "licencecmp")
    return [str(script)] if script.exists() else [sys.executable, "-m", "licencecmp"]


def compile_package() -> str | None:
    """Byte-compile the measured licencecmp package, as installing it does (pip compiles every module
    at install). An editable install run under ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile
    every module from source on every start, which the floor (its packages compiled at install) never
    pays. Returns the package's folder, or None when it is not found."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("licencecmp")
    if spec is None or not spec.submodule_search_locations:
        return None
    root = next(iter(spec.submodule_search_locations))
    compileall.compile_dir(root, quiet=1)
    return root


def child_env() -> dict[str, str]:
    """The environment of measured commands: the shipped catalogue, no debugging, no colour."""
    env = {k: v for k, v in os.environ.items() if k not in ("LICENCECMP_DATA", "LICENCECMP_DEBUG")}
    env["NO_COLOR"] = "1"
    return env


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem = int(line.split()[1])
                break
    except OSError:
        pass
    versions = run_once([*licencecmp_cmd(), "--version"], env=child_env(), capture=True)
    grep = shutil.which("grep")
    grep_version = ""
    if grep:
        grep_version = run_once([grep, "--version"], capture=True).stdout.decode(errors="replace").split("\n")[0]
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_kib": mem,
        "python": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        "licencecmp": versions.stdout.decode(errors="replace").strip(),
        "grep": grep_version,
    }


# -- the report -------------------------------------------------------------------------------


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    ratios: list[Ratio] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)

    def figure(self, fig: Figure) -> Figure:
        self.figures.append(fig)
        peak = f"  peak {fmt_bytes(fig.peak_kib)}" if fig.peak_kib is not None else ""
        print(f"  {fig.label:<58} {fig.value_text():<34} n={fig.stats.n}{peak}")
        return fig

    def ratio(self, r: Ratio) -> Ratio:
        self.ratios.append(r)
        print(f"  => {r.label:<55} {r.value:6.2f}x   {r.verdict_text()}")
        if r.note:
            print(f"     {r.note}")
        return r

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}")

    def fail(self, text: str) -> None:
        self.broken.append(text)
        print(f"  ERROR: {text}")


def section(title: str) -> None:
    print(f"\n== {title} ==")


def process_figure(report: Report, key: str, label: str, series: Series) -> Figure:
    return report.figure(Figure(key, label, Stats.of([r.seconds for r in series.runs]), peak_kib=series.peak_kib))


def expect_codes(report: Report, label: str, series: Series, codes: set[int]) -> bool:
    bad = sorted(series.codes - codes)
    if bad:
        report.fail(f"{label} exited with {bad} (expected {sorted(codes)}); its figure is not valid")
        return False
    return True


# -- workers: in-process measurements, each in a fresh process of its own ----------------------


def _worker(name: str, repeat: int, quick: bool, traced: bool) -> dict[str, Any]:
    """Run inside ``run.py --worker NAME``; returns JSON-able timings (or, with ``traced``, the peak
    of Python allocations during one call, measured apart so that tracing costs no time or RSS)."""
    if name == "startup-phases":
        return _phases()
    fn, count, info = _worker_fn(name, quick)
    if traced:
        import tracemalloc

        fn()  # warm: module-level caches and schema builds are not the operation's own memory
        tracemalloc.start()
        fn()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return {"traced_peak_kib": peak // 1024}
    cold, times = time_calls(fn, repeat)
    return {"cold": cold, "times": times, "count": count, **info}


def _phases() -> dict[str, Any]:
    """The phases of ``licencecmp can llama-3.1 commercial-use`` in a fresh process (cold). Each
    import phase costs nothing if an earlier phase already imported the module."""
    import importlib

    t = time.perf_counter
    marks = [("start", t())]

    def mark(label: str) -> None:
        marks.append((label, t()))

    try:
        import licencecmp.cli.fast
    except ImportError:  # before the fast path: the CLI module with typer
        import licencecmp.cli  # noqa: F401

    mark("import the CLI (licencecmp.cli.fast without typer, or before it licencecmp.cli with typer)")
    importlib.import_module("pydantic")
    mark("import pydantic")
    for name in ("licencecmp.data.schema", "licencecmp.engine"):
        importlib.import_module(name)
    mark("import the schema and engine modules (class builds)")
    from licencecmp.data.catalogue import default_catalogue

    cat = default_catalogue()
    mark("load the catalogue")
    resolved = cat.resolve("llama-3.1")
    mark("resolve llama-3.1 (build its Licence)")
    from licencecmp.engine import decide
    from licencecmp.scenario import make_scenario
    from licencecmp.vocab import parse_action

    decision = decide(resolved, parse_action("commercial-use"), make_scenario(), cat.territories)
    mark("scenario + decide")
    from licencecmp.render.decision import decision_text
    from licencecmp.render.style import Style

    decision_text(decision, Style(False))
    mark("render the answer")
    return {"phases": {label: t1 - t0 for (_, t0), (label, t1) in itertools.pairwise(marks)}}


def scenario_grid(quick: bool) -> list[Any]:
    from licencecmp.scenario import make_scenario

    grid = [make_scenario(mau=mau, annual_revenue=rev, region=place, modality=mod, commercial=com)
            for mau, rev, place, mod, com in itertools.product(
                [None, 1_000, 800_000_000], [None, 2e9], [None, "US", "DE", "CN", "EU"],
                [None, "multimodal"], [None, False])]
    return grid[::4] if quick else grid


def _worker_fn(name: str, quick: bool) -> tuple[Callable[[], object], int, dict[str, Any]]:
    from licencecmp.data.catalogue import Catalogue, compiled_path, default_catalogue

    if name == "load-sources":
        src = ROOT / "licences"

        def load() -> object:
            return Catalogue.from_sources(src)

        return load, 1, {"licences": len(list(src.glob("[!_]*.toml")))}
    if name in ("load-compiled", "load-compiled-validated"):
        path = compiled_path()
        trusted = name == "load-compiled"

        def load_compiled() -> object:
            cat = Catalogue.from_compiled(json.loads(path.read_text(encoding="utf-8")), trusted=trusted)
            lics = list(cat)  # build every licence, not only the one a command touches
            cat.models()
            return lics

        return load_compiled, 1, {}
    if name == "evaluate":
        from licencecmp.engine import evaluate
        from licencecmp.vocab import Action

        cat = default_catalogue()
        lics, terr, grid = list(cat), cat.territories, scenario_grid(quick)
        n = len(lics) * len(Action) * len(grid)

        def sweep() -> object:
            permitted = 0  # keep no decisions: the figure is throughput, not the memory of 100k results
            for lic in lics:
                for a in Action:
                    for s in grid:
                        permitted += evaluate(lic, a, s, territories=terr).verdict.permits
            return permitted

        return sweep, n, {"licences": len(lics), "actions": len(Action), "scenarios": len(grid)}
    if name == "can-api":
        import licencecmp
        from licencecmp.vocab import Action

        cat = default_catalogue()
        from licencecmp.errors import LicencecmpError

        def answerable(model_id: str) -> bool:  # a model under a licence with no text is refused by design
            try:
                cat.resolve(model_id)
            except LicencecmpError:
                return False
            return True

        names = cat.ids()[::3] + [m.id for m in cat.models() if answerable(m.id)][::25]
        facts: list[dict[str, Any]] = [{}, {"mau": 1_000}, {"mau": 800_000_000, "region": "EU"},
                                       {"annual_revenue": 2e9, "used_in": ["US", "CN"]},
                                       {"purpose": "research", "production": False}, {"end_user": True}]
        calls = [(n, a.value, f) for n in names for a in Action for f in facts]

        def can_all() -> object:
            permitted = 0
            for n, a, f in calls:
                permitted += licencecmp.can(n, a, **f).permits
            return permitted

        return can_all, len(calls), {"names": len(names), "actions": len(Action), "scenarios": len(facts)}
    if name == "compare":
        from licencecmp.reasoning.comparison import compare

        cat = default_catalogue()
        ids = [lic.id for lic in cat if not lic.deprecated]

        def compare_all() -> object:
            return compare(ids, cat=cat)

        return compare_all, len(ids), {"licences": len(ids)}
    if name == "matrix":
        from licencecmp.reasoning.compatibility import matrix

        cat = default_catalogue()
        lics = [lic for lic in cat if not lic.deprecated]

        def full() -> object:
            return matrix(lics, cat)

        return full, len(lics) ** 2, {"licences": len(lics)}
    raise SystemExit(f"unknown worker {name!r}")


def run_worker(report: Report, name: str, repeat: int, quick: bool, *, traced: bool = False,
               peak: bool = True) -> tuple[dict[str, Any], Run] | None:
    """Run a worker in a fresh process (under the peak-memory launcher): its JSON and the run."""
    cmd = [sys.executable, str(Path(__file__)), "--worker", name, "--repeat", str(repeat)]
    cmd += ["--quick"] if quick else []
    cmd += ["--traced"] if traced else []
    run = run_once(cmd, env=child_env(), capture=True, timeout=600, peak=peak)
    if run.returncode != 0:
        tail = run.stderr.decode(errors="replace").strip().splitlines()[-1:] or ["?"]
        report.fail(f"worker {name} failed (exit {run.returncode}): {tail[0]}")
        return None
    return json.loads(run.stdout.decode().strip().splitlines()[-1]), run


def traced_peak(report: Report, name: str, quick: bool) -> int | None:
    res = run_worker(report, name, 0, quick, traced=True, peak=False)
    return None if res is None else int(res[0]["traced_peak_kib"])


# -- 1. start-up --------------------------------------------------------------------------------


def import_breakdown(cmd: list[str]) -> tuple[float, list[tuple[str, float]]]:
    """Self import time grouped by top-level package, from one ``python -X importtime`` run (s)."""
    script = cmd[0] if len(cmd) == 1 or cmd[1] != "-m" else None
    argv = [sys.executable, "-X", "importtime", *([script] if script else ["-m", "licencecmp"])]
    run = run_once([*argv, "can", "llama-3.1", "commercial-use"], env=child_env(), capture=True)
    stdlib: frozenset[str] = getattr(sys, "stdlib_module_names", frozenset())
    groups: dict[str, float] = {}
    total = 0.0
    for line in run.stderr.decode(errors="replace").splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|(\s+)(\S+)", line)
        if not m:
            continue
        top = m.group(4).split(".")[0]
        group = "stdlib" if top in stdlib or top.startswith("_") else top
        groups[group] = groups.get(group, 0.0) + int(m.group(1)) / 1e6
        total += int(m.group(1)) / 1e6
    return total, sorted(groups.items(), key=lambda kv: -kv[1])


COMPARE_IDS = ("deepseek-ai/DeepSeek-R1", "llama-3.1", "gemma", "qwen", "hunyuan")


def identify_sample() -> Path:
    """A licence file for ``identify``: the official Apache-2.0 text when the shared texts are at hand
    (``$LICENCECMP_SHARED/licence-texts``), else a short text of our own (the work is the same: the file
    is compared with every licence of the catalogue)."""
    shared = os.environ.get("LICENCECMP_SHARED")
    official = Path(shared) / "licence-texts" / "apache-2.0.txt" if shared else None
    if official is not None and official.is_file():
        return official
    sample = Path(tempfile.gettempdir()) / "licencecmp-bench-LICENSE"
    sample.write_text("Permission is hereby granted to use, copy and modify this software, provided that this "
                      "notice is kept in every copy. The software is provided as is, without warranty.\n",
                      encoding="utf-8")
    return sample


def bench_startup(report: Report, repeat: int, quick: bool) -> None:
    section(f"1. CLI start-up (whole process; median [min .. max] of {repeat} interleaved runs)")
    lc = licencecmp_cmd()
    py = sys.executable
    cmds = {
        "bare": [py, "-c", "pass"],
        "floor": [py, "-c", "import typer, pydantic"],
        "version": [*lc, "--version"],
        "can": [*lc, "can", "llama-3.1", "commercial-use"],
        "show": [*lc, "show", "llama-3.1"],
        "compat": [*lc, "compat", "mit", "apache-2.0"],
        "compare": [*lc, "compare", *COMPARE_IDS],
        "identify": [*lc, "identify", str(identify_sample())],
    }
    runs = interleaved(cmds, repeat, env=child_env())
    for key, codes in (("can", {0}), ("show", {0}), ("compat", {0, 1}), ("compare", {0}), ("identify", {0, 1})):
        if not expect_codes(report, " ".join(["licencecmp", *cmds[key][len(lc):]]), runs[key], codes):
            return
    process_figure(report, "startup.python", "python -c pass (the interpreter alone)", runs["bare"])
    floor = process_figure(report, "startup.floor", 'floor: python -c "import typer, pydantic"', runs["floor"])
    process_figure(report, "startup.version", "licencecmp --version", runs["version"])
    answers = {key: process_figure(report, f"startup.{key}", " ".join(["licencecmp", *cmds[key][len(lc):]]),
                                   runs[key]) for key in ("can", "show", "compat", "compare", "identify")}
    cpu = {k: [r.cpu for r in s.runs if r.cpu is not None] for k, s in runs.items()}
    if all(cpu.values()):
        print("  CPU time (user + system) of the same runs, median: " + ", ".join(
            f"{k} {fmt_seconds(Stats.of(v).median)}" for k, v in cpu.items()))
    for key, fig in answers.items():
        report.ratio(Ratio(f"startup.ratio.{key}", f"{key} / floor (wall time)", fig.stats.median / floor.stats.median,
                           STARTUP_TARGET, note=f"beyond the floor: "
                           f"{fmt_seconds(fig.stats.median - floor.stats.median)} per run"))
        if cpu[key] and cpu["floor"]:
            report.ratio(Ratio(f"startup.cpu_ratio.{key}", f"{key} / floor (CPU time)",
                               Stats.of(cpu[key]).median / Stats.of(cpu["floor"]).median, STARTUP_TARGET))
    report.info["startup_cpu_s"] = {k: Stats.of(v).median for k, v in cpu.items() if v}
    total, groups = import_breakdown(lc)
    shown = ", ".join(f"{g} {v * 1e3:.0f} ms" for g, v in groups[:8])
    print(f"  where the time goes: imports (python -X importtime, one run, self time by package) "
          f"{total * 1e3:.0f} ms: {shown}")
    report.info["importtime"] = {"total_s": total, "by_package_s": dict(groups)}
    phases: dict[str, list[float]] = {}
    for _ in range(min(repeat, 10)):
        res = run_worker(report, "startup-phases", 0, quick, peak=False)
        if res is None:
            return
        for k, v in res[0]["phases"].items():
            phases.setdefault(k, []).append(v)
    medians = {k: Stats.of(v).median for k, v in phases.items()}
    print(f"  phases of one answer in a fresh process (median of {len(next(iter(phases.values())))}): "
          + " · ".join(f"{k} {fmt_seconds(v)}" for k, v in medians.items()))
    report.info["startup_phases_s"] = medians


# -- 2. catalogue ---------------------------------------------------------------------------------


def bench_catalogue(report: Report, repeat: int, quick: bool) -> None:
    section(f"2. Catalogue (in-process, each in a fresh process; median [min .. max] of {repeat} after a cold run)")
    loads: dict[str, Figure] = {}
    for name, label in (("load-sources", "load + validate all licence files (TOML sources)"),
                        ("load-compiled", "compiled catalogue, trusted (as at start-up), all built"),
                        ("load-compiled-validated", "compiled catalogue, re-validated, all built")):
        if name == "load-sources" and not (ROOT / "licences").is_dir():
            report.note("no licences/ folder beside benchmarks/: the source-load figure needs a checkout")
            continue
        res = run_worker(report, name, repeat, quick)
        if res is None:
            continue
        data, run = res
        traced = traced_peak(report, name, quick)
        loads[name] = report.figure(Figure(f"catalogue.{name}", label, Stats.of(data["times"]),
                                           peak_kib=run.peak_kib, extra={"cold_s": data["cold"],
                                                                         "traced_peak_kib": traced}))
        print(f"  {'':<58} cold (first call) {fmt_seconds(data['cold'])}; "
              f"Python allocations peak {fmt_bytes(traced)}")
    if "load-sources" in loads and "load-compiled" in loads:
        report.ratio(Ratio("catalogue.sources_vs_compiled", "TOML sources / compiled (what start-up saves)",
                           loads["load-sources"].stats.median / loads["load-compiled"].stats.median))
    res = run_worker(report, "evaluate", repeat, quick)
    if res is not None:
        data, run = res
        n = data["count"]
        times = Stats.of(data["times"])
        traced = traced_peak(report, "evaluate", quick)
        fig = report.figure(Figure("catalogue.evaluate",
                                   f"evaluate: {data['licences']} licences x {data['actions']} actions x "
                                   f"{data['scenarios']} scenarios", times.inverse(n), unit="decisions/s",
                                   peak_kib=run.peak_kib, extra={"decisions": n, "sweep_s": times.median,
                                                                "traced_peak_kib": traced}))
        print(f"  {'':<58} {n:,} decisions per sweep, {fmt_seconds(times.median)} per sweep; "
              f"{1e6 / fig.stats.median:.0f} us per decision; Python allocations peak {fmt_bytes(traced)}")
    res = run_worker(report, "can-api", repeat, quick)
    if res is not None:
        data, run = res
        n = data["count"]
        times = Stats.of(data["times"])
        fig = report.figure(Figure("catalogue.can_api",
                                   f"licencecmp.can(): {data['names']} names x {data['actions']} actions x "
                                   f"{data['scenarios']} scenarios", times.inverse(n), unit="decisions/s",
                                   peak_kib=run.peak_kib, extra={"decisions": n, "sweep_s": times.median}))
        print(f"  {'':<58} {n:,} calls per sweep (names, aliases and models; facts checked each call); "
              f"{1e6 / fig.stats.median:.0f} us per call")
        report.ratio(Ratio("catalogue.can_api_rate", f"licencecmp.can() rate / {CAN_RATE_TARGET:,.0f} per second",
                           fig.stats.median / CAN_RATE_TARGET, 1.0, at_most=False))
    res = run_worker(report, "compare", repeat, quick)
    if res is not None:
        data, run = res
        fig = report.figure(Figure("catalogue.compare", f"compare: whole catalogue ({data['licences']} licences) "
                                   "x every action, every fact", Stats.of(data["times"]), peak_kib=run.peak_kib,
                                   extra={"cold_s": data["cold"]}))
        print(f"  {'':<58} cold (first call) {fmt_seconds(data['cold'])}")
        report.ratio(Ratio("catalogue.compare_time", f"compare whole catalogue / {COMPARE_TARGET * 1e3:.0f} ms",
                           fig.stats.median / COMPARE_TARGET, 1.0))
    res = run_worker(report, "matrix", repeat, quick)
    if res is not None:
        data, run = res
        traced = traced_peak(report, "matrix", quick)
        report.figure(Figure("catalogue.matrix", f"compat matrix in-process ({data['licences']}x{data['licences']} "
                             f"= {data['count']} cells)", Stats.of(data["times"]), peak_kib=run.peak_kib,
                             extra={"traced_peak_kib": traced}))
        print(f"  {'':<58} cold (first call) {fmt_seconds(data['cold'])}; "
              f"Python allocations peak {fmt_bytes(traced)}")
    runs = interleaved({"matrix": [*licencecmp_cmd(), "matrix"]}, repeat, env=child_env())
    if expect_codes(report, "licencecmp matrix", runs["matrix"], {0}):
        process_figure(report, "catalogue.matrix_cli", "licencecmp matrix (whole process)", runs["matrix"])


# -- 3. peers -------------------------------------------------------------------------------------


def flict_exe(report: Report, quick: bool) -> Path | None:
    """flict in its own virtual environment under the cache (created on first use), or on PATH. With
    ``--quick`` (CI) nothing is installed: no network; the peer figure is skipped when flict is absent."""
    venv = CACHE / "flict-venv"
    exe = venv / ("Scripts" if os.name == "nt" else "bin") / "flict"
    if exe.exists():
        return exe
    on_path = shutil.which("flict")
    if on_path:
        return Path(on_path)
    if quick:
        report.note("flict is not installed: the peer comparison is skipped (--quick needs no network; "
                    "run without --quick to install flict from PyPI)")
        return None
    print(f"  installing flict from PyPI into {venv} ...", flush=True)
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
        pip = venv / ("Scripts" if os.name == "nt" else "bin") / "python"
        subprocess.run([str(pip), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--retries", "1",
                        "--timeout", "20", "flict"],
                       check=True, capture_output=True, timeout=90 if quick else 300)
    except (OSError, subprocess.SubprocessError) as exc:
        detail = exc.stderr.decode(errors="replace").strip().splitlines()[-1:] if isinstance(
            exc, subprocess.CalledProcessError) and exc.stderr else [type(exc).__name__]
        report.note(f"flict could not be installed ({detail[0] if detail else exc}); peer figure skipped")
        shutil.rmtree(venv, ignore_errors=True)
        return None
    return exe if exe.exists() else None


def bench_peer(report: Report, repeat: int, quick: bool) -> None:
    section(f"3. Peer: the same compatibility question (whole process; median of {repeat} interleaved runs)")
    exe = flict_exe(report, quick)
    if exe is None:
        return
    flict = [str(exe), "verify", "-il", "MIT", "-ol", "Apache-2.0"]
    ours = [*licencecmp_cmd(), "compat", "mit", "apache-2.0"]
    probe_f = run_once(flict, capture=True, timeout=120)
    probe_o = run_once([*ours, "--format", "json"], env=child_env(), capture=True)
    if probe_o.returncode == 2:
        report.fail("licencecmp compat mit apache-2.0 exited 2: " + probe_o.stderr.decode(errors="replace").strip())
        return
    try:
        f_answer = json.loads(probe_f.stdout)["result"]["allowed_outbound_licenses"]
        f_text = "compatible" if f_answer else "not compatible"
    except (ValueError, KeyError, TypeError):
        report.note(f"flict gave no verdict (exit {probe_f.returncode}): "
                    f"{probe_f.stderr.decode(errors='replace').strip()[:200]}; peer figure skipped")
        return
    o_text = json.loads(probe_o.stdout)["verdict"]
    print(f"  answers: flict: {f_text} (allowed outbound {f_answer}); licencecmp: {o_text}")
    flict_version = run_once([str(exe), "--version"], capture=True).stdout.decode(errors="replace").strip()
    report.info["flict_version"] = flict_version
    runs = interleaved({"flict": flict, "ours": ours}, repeat, env=child_env(), timeout=120)
    if not expect_codes(report, "licencecmp compat mit apache-2.0", runs["ours"], {0, 1}):
        return
    f = process_figure(report, "peer.flict", f"flict {flict_version} verify -il MIT -ol Apache-2.0", runs["flict"])
    o = process_figure(report, "peer.licencecmp", "licencecmp compat mit apache-2.0", runs["ours"])
    report.ratio(Ratio("peer.ratio", "flict / licencecmp (how many times faster per verdict)",
                       f.stats.median / o.stats.median, PEER_TARGET, at_most=False))


# -- 3b. lock --online ----------------------------------------------------------------------------


def bench_lock(report: Report, repeat: int, quick: bool) -> None:
    """``licencecmp lock --online`` of a repository that names N model ids the registry does not know,
    each answered by the loopback Hub stand-in (tests/scan/hubstub.py) through HF_ENDPOINT."""
    n = 200 if quick else 1000
    section(f"3b. lock --online: {n:,} unknown model ids against a loopback Hub stand-in (whole process)")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    try:
        from tests.scan.hubstub import hub_stub, model_json
    except ImportError as exc:
        report.note(f"no Hub stand-in ({exc}); lock figure skipped")
        return
    ids = [f"bench-org-{i % 50}/bench-model-{i}" for i in range(n)]
    licences = ("apache-2.0", "mit", "llama3.1", "cc-by-4.0")
    answers = {i: (200, model_json(i, licences[k % len(licences)], sha=f"{k:040x}"), 0.0) for k, i in enumerate(ids)}
    runs = max(1, min(repeat, 3))
    with tempfile.TemporaryDirectory(prefix="licencecmp-lock-") as tmp, hub_stub(answers) as (url, seen):
        repo = Path(tmp)
        (repo / "app.py").write_text("".join(f'm{k} = AutoModel.from_pretrained("{i}")\n' for k, i in enumerate(ids)))
        env = {**child_env(), "HF_ENDPOINT": url}
        for var in ("HF_HUB_OFFLINE", "LICENCECMP_ONLINE", "HF_TOKEN"):
            env.pop(var, None)
        times: list[float] = []
        for _ in range(runs):
            (repo / "licencecmp.lock").unlink(missing_ok=True)
            seen.clear()
            run = run_once([*licencecmp_cmd(), "lock", str(repo), "--online"], env=env, capture=True, timeout=300)
            if run.returncode not in (0, 1):
                report.fail(f"licencecmp lock --online exited {run.returncode}: "
                            + run.stderr.decode(errors="replace").strip()[:300])
                return
            asked = {p for p in seen if p.startswith("/api/models/")}
            if len(asked) < n:
                report.fail(f"licencecmp lock --online asked the stand-in for {len(asked)} of {n} ids")
                return
            times.append(run.seconds)
        hub = (repo / "licencecmp.lock").read_text(encoding="utf-8").count('resolution = "hub"')
        print(f"  lock file: {hub:,} entries resolved from the Hub")
    fig = report.figure(Figure("lock.online", f"licencecmp lock --online, {n:,} unknown ids", Stats.of(times)))
    target = LOCK_TARGET * n / 1000
    report.ratio(Ratio("lock.online_ratio", f"lock --online {n:,} ids / {target:.0f} s", fig.stats.median / target,
                       1.0))


def bench_mcp(report: Report, repeat: int, quick: bool) -> None:
    """``licencecmp mcp`` started, ``initialize`` sent over stdio (benchmarks/mcp_initialize.py)."""
    import importlib.util

    section("6. mcp: from the start of `licencecmp mcp` to its answers (whole process, wall)")
    if importlib.util.find_spec("mcp") is None:
        report.note("the MCP SDK is not installed (pip install 'licencecmp[mcp]'); mcp figures skipped")
        return
    from mcp_initialize import floor_once, initialize_once

    runs = [initialize_once() for _ in range(repeat)]
    floor = [floor_once()[0] for _ in range(max(1, repeat // 2))]
    init = report.figure(Figure("mcp.initialize", "licencecmp mcp: initialize answered",
                                Stats.of([r[0] for r in runs])))
    report.figure(Figure("mcp.first_list", "licencecmp mcp: first tools/list answered",
                         Stats.of([r[1] for r in runs])))
    report.figure(Figure("mcp.sdk_floor", "the MCP SDK's import alone (floor)", Stats.of(floor)))
    report.ratio(Ratio("mcp.initialize_ratio", f"mcp initialize / {MCP_TARGET * 1e3:.0f} ms",
                       init.stats.median / MCP_TARGET, 1.0))


# -- 4. scan --------------------------------------------------------------------------------------


def _scan_tree_module(report: Report) -> Any:
    try:
        import scan_tree
    except ImportError as exc:
        report.note(f"benchmarks/scan_tree.py is not there yet ({exc}); the scan figures are skipped")
        return None
    if not hasattr(scan_tree, "generate_tree"):
        report.note("benchmarks/scan_tree.py has no generate_tree(root, n_files, seed); scan figures skipped")
        return None
    return scan_tree


def grep_pattern(ids: Sequence[str]) -> str:
    return "|".join(re.escape(i).replace("\\-", "-").replace("\\/", "/") for i in sorted(ids))


RG_FLAGS = ("-n", "-i", "--no-require-git", "--no-messages")
"""ripgrep as people run it: line numbers, case-insensitive, binary files and what .gitignore ignores skipped
(as check skips them; grep -r reads build/ too), on every core."""


def bench_scan(report: Report, repeat: int, quick: bool, sizes: Sequence[int], tree_dir: Path | None) -> None:
    section(f"4. Scan: licencecmp check vs grep -rEniI, same pattern, same tree (median of {repeat} interleaved "
            "runs after a warm-up)")
    scan_tree = _scan_tree_module(report)
    if scan_tree is None:
        return
    grep = shutil.which("grep")
    if grep is None:
        report.note("grep not found; the scan figures are skipped")
        return
    rg = shutil.which("rg")
    if rg is None:
        report.note("rg (ripgrep) not found: the scan is compared with grep only (Debian: apt-get install ripgrep)")
    import licencecmp

    ids = [m.id for m in licencecmp.catalogue().models()]
    pattern = scan_tree.grep_pattern(ids) if hasattr(scan_tree, "grep_pattern") else grep_pattern(ids)
    print(f"  pattern: the {len(ids)} registry repo ids as one alternation ({len(pattern):,} characters), "
          "case-insensitive, line numbers, binary files skipped (grep -rEniI); licencecmp check --format json")
    base = tree_dir or Path(tempfile.mkdtemp(prefix="licencecmp-bench-"))
    rows: list[tuple[int, Figure, Figure, float]] = []
    try:
        for n in sizes:
            root = base / f"tree-{n}"
            if not (root / ".licencecmp-bench-complete").exists():
                shutil.rmtree(root, ignore_errors=True)
                t0 = time.perf_counter()
                scan_tree.generate_tree(root, n, seed=0)
                (root / ".licencecmp-bench-complete").write_text("")
                print(f"  generated {n:,} files in {time.perf_counter() - t0:.1f} s", flush=True)
            check = [*licencecmp_cmd(), "check", str(root), "--format", "json", "--no-progress"]
            probe = run_once(check, env=child_env(), capture=True, timeout=600)
            if probe.returncode not in (0, 1):
                report.fail(f"licencecmp check on the {n:,}-file tree exited {probe.returncode}: "
                            f"{probe.stderr.decode(errors='replace').strip()[:300]}")
                return
            commands = {"check": check, "grep": [grep, "-rEniI", "-e", pattern, str(root)]}
            if rg is not None:
                commands["rg"] = [rg, *RG_FLAGS, "-e", pattern, str(root)]
            runs = interleaved(commands, repeat, warmup=0, env=child_env(), timeout=600)  # the probe warmed the cache
            if not expect_codes(report, f"licencecmp check ({n:,} files)", runs["check"], {0, 1}):
                return
            # The report's own figures (files, models, the scan's seconds) from a run as warm as the timed ones.
            body = run_once(check, env=child_env(), capture=True, timeout=600).stdout
            summary = json.loads(body).get("summary", {})
            c = process_figure(report, f"scan.check.{n}", f"licencecmp check, {n:,} files", runs["check"])
            c.extra.update({k: summary.get(k) for k in ("files_scanned", "files_skipped", "bytes_scanned", "models",
                                                        "seconds")})
            load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
            c.extra.update({"report_bytes": len(body), "load_average": load})
            g = process_figure(report, f"scan.grep.{n}", f"grep -rEniI, {n:,} files", runs["grep"])
            print(f"  {'':<58} scanned {summary.get('files_scanned', 0):,} files "
                  f"({summary.get('bytes_scanned', 0) / 1e6:.0f} MB), skipped {summary.get('files_skipped', 0):,}, "
                  f"{summary.get('models', 0)} models; scan alone {summary.get('seconds', 0):.2f} s; JSON report "
                  f"{len(body) / 1e6:.1f} MB; load average {load:.2f} on {os.cpu_count()} CPUs")
            # The issue sets the target at 10k, 100k and 300k files; a smaller tree (--quick) is printed,
            # not judged: there the fixed start-up of the command is most of the time.
            judged = n >= SCAN_TARGET_FROM
            report.ratio(Ratio(f"scan.ratio.{n}", f"check / grep at {n:,} files", c.stats.median / g.stats.median,
                               SCAN_TARGET if judged else None,
                               note="" if judged else f"not judged: the target is set from {SCAN_TARGET_FROM:,} "
                                                      "files"))
            if rg is not None:
                r = process_figure(report, f"scan.rg.{n}", f"rg {' '.join(RG_FLAGS)}, {n:,} files", runs["rg"])
                report.ratio(Ratio(f"scan.ratio_rg.{n}", f"check / rg at {n:,} files", c.stats.median / r.stats.median,
                                   None, note="printed, not judged: rg searches on every core, as check does"))
            rows.append((n, c, g, float(summary.get("seconds") or 0.0)))
    finally:
        if tree_dir is None:
            shutil.rmtree(base, ignore_errors=True)
    for (n1, c1, g1, s1), (n2, c2, g2, s2) in itertools.pairwise(rows):
        size = n2 / n1
        tc, tg = c2.stats.median / c1.stats.median, g2.stats.median / g1.stats.median
        kc, kg = math.log(tc) / math.log(size), math.log(tg) / math.log(size)
        ts = s2 / s1 if s1 > 0 and s2 > 0 else float("nan")
        ks = math.log(ts) / math.log(size) if ts == ts else float("nan")
        km = (math.log(c2.peak_kib / c1.peak_kib) / math.log(size) if c1.peak_kib and c2.peak_kib
              else float("nan"))
        report.ratio(Ratio(f"scan.growth.{n1}-{n2}", f"growth {n1:,} -> {n2:,} files ({size:g}x): check time",
                           tc, None,
                           note=f"check exponent {kc:.2f} ({'linear' if kc <= LINEAR_EXPONENT else 'super-linear'}, "
                                f"target <= {LINEAR_EXPONENT}); the scan alone (start-up excluded) {ts:.2f}x, "
                                f"exponent {ks:.2f}; grep {tg:.2f}x, exponent {kg:.2f}; peak memory of check "
                                f"exponent {km:.2f} ({'sublinear' if km < 1 else 'NOT sublinear'})"))
        report.info.setdefault("scan_growth", []).append(
            {"from": n1, "to": n2, "check_ratio": tc, "check_exponent": kc, "scan_only_ratio": ts,
             "scan_only_exponent": ks, "grep_ratio": tg, "grep_exponent": kg, "linear": kc <= LINEAR_EXPONENT,
             "peak_memory_exponent": km})
        if kc > LINEAR_EXPONENT:
            report.ratios.append(Ratio(f"scan.linear.{n1}-{n2}", f"scan growth exponent {n1:,} -> {n2:,}", kc,
                                       LINEAR_EXPONENT))


# -- summary --------------------------------------------------------------------------------------


def print_summary(report: Report) -> None:
    section("5. Peak memory (resident set of each process; in-process figures: the worker process)")
    for fig in report.figures:
        if fig.peak_kib is not None:
            print(f"  {fig.label:<70} {fmt_bytes(fig.peak_kib)}")
    section("Targets")
    targets = [r for r in report.ratios if r.target is not None]
    for r in targets:
        print(f"  {'met   ' if r.met else 'MISSED'}  {r.label:<55} {r.value:6.2f}x  {r.verdict_text()}")
    missed = [r for r in targets if not r.met]
    print(f"  {len(targets) - len(missed)} of {len(targets)} targets met" + (
        "; see benchmarks/README.md for what was tried" if missed else ""))
    for n in report.notes:
        print(f"  note: {n}")
    if report.broken:
        print("  The run is invalid: " + "; ".join(report.broken))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="CI mode: fewer runs, smaller trees")
    parser.add_argument("--repeat", type=int, help="runs per figure (default 20, quick 5)")
    parser.add_argument("--scan-repeat", type=int, help="runs per scan figure (default 10, quick 3)")
    parser.add_argument("--sizes",
                        help="tree sizes, comma-separated (default 1000,10000,100000,300000; quick 1000,10000)")
    parser.add_argument("--only", help=f"comma-separated sections: {','.join(SECTIONS)}")
    parser.add_argument("--tree-dir", type=Path, help="keep generated trees here and reuse them")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    repeat = args.repeat or (5 if args.quick else 20)
    if args.worker:
        print(json.dumps(_worker(args.worker, repeat, args.quick, args.traced)))
        return 0
    only = [s.strip() for s in (args.only or ",".join(SECTIONS)).split(",") if s.strip()]
    unknown = set(only) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; known: {', '.join(SECTIONS)}")
    sizes = [int(s) for s in (args.sizes or ("1000,10000" if args.quick else "1000,10000,100000,300000")).split(",")]
    scan_repeat = args.scan_repeat or (3 if args.quick else 10)

    t_start = time.perf_counter()
    report = Report()
    info = machine()
    report.info["machine"] = info
    print(f"licencecmp benchmarks ({'quick' if args.quick else 'full'} mode)")
    for k in ("licencecmp", "python", "platform", "cpu", "grep"):
        print(f"  {k:<10} {info[k]}")
    print(f"  {'cpus':<10} {info['cpus']}, memory {fmt_bytes(info['memory_kib'])}")
    compiled = compile_package()
    where = f"compiled in {compiled}" if compiled else "licencecmp not found"
    print(f"  {'bytecode':<10} {where} (as an install does)")
    launcher = peak_launcher()
    info["peak_memory_by"] = launcher[0] if launcher else None
    print(f"  {'memory':<10} peak resident set of each process, measured by "
          f"{launcher[0] if launcher else 'nothing (no launcher on this platform)'}")
    steps: dict[str, Callable[[], None]] = {
        "startup": lambda: bench_startup(report, repeat, args.quick),
        "catalogue": lambda: bench_catalogue(report, repeat, args.quick),
        "peer": lambda: bench_peer(report, repeat, args.quick),
        "scan": lambda: bench_scan(report, scan_repeat, args.quick, sizes, args.tree_dir),
        "lock": lambda: bench_lock(report, repeat, args.quick),
        "mcp": lambda: bench_mcp(report, repeat, args.quick),
    }
    for name in SECTIONS:
        if name in only:
            steps[name]()
    print_summary(report)
    elapsed = time.perf_counter() - t_start
    print(f"\n(benchmarks took {elapsed:.0f} s)")
    if args.json:
        args.json.write_text(json.dumps({
            "mode": "quick" if args.quick else "full", "elapsed_s": elapsed, "info": report.info,
            "figures": [f.as_dict() for f in report.figures], "ratios": [r.as_dict() for r in report.ratios],
            "notes": report.notes, "broken": report.broken}, indent=2) + "\n")
    return 1 if report.broken else 0


if __name__ == "__main__":
    raise SystemExit(main())
