"""Generator benchmark: 1M customers timed end to end, 10M in bounded memory.

Each size runs in a fresh process (`/usr/bin/time`-style peak RSS from the OS) so the
figures are what a user sees from the CLI. Run: just bench-generate [--quick]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(rows: int, out: str) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one CLI run."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "seeds_gen", "customers", "--rows", str(rows),
                              "--run-date", "2026-11-23", "--out", out, "--overwrite", "--quiet"])
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"generator failed for {rows:,} rows (status {status})")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100k rows only (CI keeps the harness working)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sizes = [100_000] if args.quick else [1_000_000, 10_000_000]
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {mem_gb:.0f} GB; python {platform.python_version()}")
    print(f"{'rows':>12} {'median s':>9} {'rows/s':>12} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory(prefix="bench_generate_") as out:
        for rows in sizes:
            repeats = 1 if rows >= 10_000_000 else args.repeats
            runs = [run_once(rows, out) for _ in range(repeats)]
            wall = statistics.median(r[0] for r in runs)
            peak = max(r[1] for r in runs)
            print(f"{rows:>12,} {wall:>9.2f} {rows / wall:>12,.0f} {peak:>12,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
