"""How soon `licencecmp mcp` answers ``initialize``, against the floor of importing the MCP SDK.

    python benchmarks/mcp_initialize.py [--repeat N]

Each run starts the server, sends ``initialize`` over stdio and stops the clock at the answer; the
server's CPU time then is read from /proc (Linux) so that a loaded machine does not hide the work.
The floor is a process that imports the SDK's low-level server and stdio transport, and nothing of
licencecmp. Target: the server's own share (answer minus floor) at most 0.2 s of CPU.
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

TARGET_OWN_CPU = 0.2
INIT = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {},
                   "clientInfo": {"name": "bench", "version": "0"}}}


def _cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def initialize_once() -> tuple[float, float | None]:
    """(wall seconds, server CPU seconds) from the start of the process to the answer of ``initialize``."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "licencecmp", "mcp"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(json.dumps(INIT).encode() + b"\n")
    proc.stdin.flush()
    answer = json.loads(proc.stdout.readline())
    wall = time.perf_counter() - start
    cpu = _cpu(proc.pid)
    proc.stdin.close()
    proc.wait(timeout=60)
    proc.stdout.close()
    assert answer["result"]["serverInfo"]["name"] == "licencecmp", answer
    return wall, cpu


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
    floor_wall = statistics.median(r[1][0] for r in runs)
    print(f"initialize answered: {wall:.3f} s wall (median of {repeat}); SDK import floor {floor_wall:.3f} s")
    cpus = [(r[0][1], r[1][1]) for r in runs if r[0][1] is not None and r[1][1] is not None]
    if not cpus:
        print("(no /proc: CPU time not measured)")
        return 0
    cpu = statistics.median(c[0] for c in cpus if c[0] is not None)
    floor_cpu = statistics.median(c[1] for c in cpus if c[1] is not None)
    own = cpu - floor_cpu
    print(f"server CPU to the answer: {cpu:.3f} s; SDK import floor {floor_cpu:.3f} s; licencecmp's own share "
          f"{own:.3f} s (target <= {TARGET_OWN_CPU} s): {'ok' if own <= TARGET_OWN_CPU else 'MISSED'}")
    return 0 if own <= TARGET_OWN_CPU else 1


if __name__ == "__main__":
    raise SystemExit(main())
