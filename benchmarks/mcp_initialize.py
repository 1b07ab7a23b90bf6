"""How soon `licencecmp mcp` answers ``initialize`` (issue 26: at most 0.2 s), and its first ``tools/list``.

    python benchmarks/mcp_initialize.py [--repeat N]

Each run starts the server, sends ``initialize`` over stdio and stops the first clock at its answer
(the whole: process start, Python, licencecmp, the answer); then sends ``notifications/initialized``
and ``tools/list`` and stops the second clock at the list (by then the MCP SDK has loaded: the server
answers ``initialize`` while the SDK's import runs in a thread, see ``licencecmp/mcp/handshake.py``).
Beside them, the floor: a process that imports the SDK's low-level server and stdio transport, and
nothing of licencecmp (what any server on the SDK pays before it can answer anything).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 0.2
INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "bench", "version": "0"}}}


def _cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def initialize_once() -> tuple[float, float, float | None]:
    """(seconds to the answer of ``initialize``, seconds to the first ``tools/list``, server CPU seconds
    at the answer of ``initialize``), from the start of the process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "licencecmp", "mcp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps(INIT).encode() + b"\n")
    proc.stdin.flush()
    answer = json.loads(proc.stdout.readline())
    wall = time.perf_counter() - start
    cpu = _cpu(proc.pid)
    proc.stdin.write(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode() + b"\n"
                     + json.dumps({"jsonrpc": "2.0", "id": 2, "method": "tools/list"}).encode() + b"\n")
    proc.stdin.flush()
    listed = json.loads(proc.stdout.readline())
    first_list = time.perf_counter() - start
    proc.stdin.close()
    proc.wait(timeout=60)
    proc.stdout.close()
    assert answer["result"]["serverInfo"]["name"] == "licencecmp", answer
    assert listed["id"] == 2 and listed["result"]["tools"], listed
    return wall, first_list, cpu


def floor_once() -> tuple[float, float | None]:
    """The same figures for a process that only imports the SDK (what any server on it pays)."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", "import mcp.server.lowlevel, mcp.server.stdio, sys; "
                             "sys.stdout.write('ready\\n'); sys.stdout.flush(); sys.stdin.read()"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdout.readline()
    wall = time.perf_counter() - start
    cpu = _cpu(proc.pid)
    proc.stdin.close()
    proc.wait(timeout=60)
    proc.stdout.close()
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    runs = [(initialize_once(), floor_once()) for _ in range(repeat)]
    wall = statistics.median(r[0][0] for r in runs)
    first_list = statistics.median(r[0][1] for r in runs)
    floor_wall = statistics.median(r[1][0] for r in runs)
    cpus = [r[0][2] for r in runs if r[0][2] is not None]
    cpu = f"{statistics.median(cpus):.3f} s CPU" if cpus else "CPU not measured (no /proc)"
    print(f"initialize answered: {wall:.3f} s wall, {cpu} (median of {repeat}; target <= {TARGET} s): "
          f"{'ok' if wall <= TARGET else 'MISSED'}")
    print(f"first tools/list answered: {first_list:.3f} s wall; the SDK's import alone (floor): {floor_wall:.3f} s")
    return 0 if wall <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
