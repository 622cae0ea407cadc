"""Generator benchmark: 1M customers timed end to end, 10M in bounded memory.

Each size runs in a fresh process, as a user runs the CLI. Run: just bench-generate [--quick]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile

from benchmarks.harness import machine, measure


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100k rows only (CI keeps the harness working)")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    sizes = [100_000] if args.quick else [1_000_000, 10_000_000]
    print(f"machine: {machine()}")
    print(f"{'rows':>12} {'median s':>9} {'rows/s':>12} {'peak RSS MB':>12}")
    with tempfile.TemporaryDirectory(prefix="bench_generate_") as out:
        for rows in sizes:
            command = [sys.executable, "-m", "seeds_gen", "customers", "--rows", str(rows),
                       "--run-date", "2026-11-23", "--out", out, "--overwrite", "--quiet"]
            runs = [measure(command) for _ in range(1 if rows >= 10_000_000 else args.repeats)]
            wall = statistics.median(r.seconds for r in runs)
            peak = max(r.peak_rss_mb for r in runs)
            print(f"{rows:>12,} {wall:>9.2f} {rows / wall:>12,.0f} {peak:>12,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
