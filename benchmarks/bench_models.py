"""dbt build of the customer models against the floor: DuckDB copying the same raw file to
Parquet and nothing else, measured interleaved in one run so both share the machine's noise.

Run: just bench-models [--quick] [--sizes 1000000 10000000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from benchmarks.harness import Measurement, machine, measure
from orchestration.dbt import PROJECT_DIR, REPO_ROOT

WORK = Path(__file__).resolve().parent / "work"
RUN_DATE = "2026-11-23"
FLOOR = """
import duckdb, sys
db = duckdb.connect(config={"threads": 2, "memory_limit": "3GB", "preserve_insertion_order": False})
db.execute(f"copy (select * from read_parquet('{sys.argv[1]}')) to '{sys.argv[2]}' (format parquet, compression zstd)")
"""


def generate(rows: int) -> Path:
    """The raw customers for one day, and the project parsed (untimed)."""
    data_dir = WORK / f"customers_{rows}"
    raw = data_dir / "raw" / RUN_DATE / "customers.parquet"
    if not raw.exists():
        measure([sys.executable, "-m", "seeds_gen", "customers", "--rows", str(rows), "--seed", "42",
                 "--run-date", RUN_DATE, "--out", str(data_dir), "--quiet"])
    # A daily build parses only what changed since the last (dbt's partial parsing); parsing the
    # whole project, as the first build after a code change does, takes ~4 s more. The transaction
    # builds are timed after their untimed preparation, which parses too.
    command, env = dbt_command(data_dir, "parse")
    measure(command, env=env)
    return data_dir


def floor_command(data_dir: Path, raw_name: str = "customers") -> list[str]:
    raw = data_dir / "raw" / RUN_DATE / f"{raw_name}.parquet"
    return [sys.executable, "-c", FLOOR, str(raw), str(data_dir / f"floor_{raw_name}.parquet")]


def floor(data_dir: Path) -> Measurement:
    return measure(floor_command(data_dir))


def dbt_command(data_dir: Path, *args: str) -> tuple[list[str], dict[str, str]]:
    """`dbt <args>` as a user runs it (a fresh process, the CLI), for the run date's raw data in
    `data_dir`. Returns (command, environment)."""
    command = [str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(PROJECT_DIR),
               "--profiles-dir", str(REPO_ROOT), "--target-path", str(data_dir / "target"), "--quiet", "--vars",
               json.dumps({"run_date": RUN_DATE})]
    return command, {"CDQ_DATA_DIR": str(data_dir)}


def dbt_build_command(data_dir: Path, select: str | None = None) -> tuple[list[str], dict[str, str]]:
    """`dbt build`; `select` limits it to one pipeline's models."""
    return dbt_command(data_dir, "build", *(["--select", select] if select else []))


def dbt_build(data_dir: Path) -> Measurement:
    command, env = dbt_build_command(data_dir)
    return measure(command, env=env)


TABLE_HEADER = f"{'rows':>12} {'floor s':>8} {'dbt s':>8} {'dbt/floor':>9} {'dbt rows/s':>11} {'dbt peak MB':>11}"


def against_floor(rows: int, floor_run: Callable[[], Measurement], build_run: Callable[[], Measurement],
                  repeats: int) -> str:
    """The floor and a build measured interleaved (both see the same machine state), as one
    table row of medians: seconds, ratio, rows/s and the build's peak memory."""
    floors, builds = [], []
    for _ in range(repeats):
        floors.append(floor_run())
        builds.append(build_run())
    f = statistics.median(m.seconds for m in floors)
    b = statistics.median(m.seconds for m in builds)
    peak = max(m.peak_rss_mb for m in builds)
    return f"{rows:>12,} {f:>8.2f} {b:>8.2f} {b / f:>9.1f} {rows / b:>11,.0f} {peak:>11,.0f}"


def slowest_models(data_dir: Path, top: int = 5) -> str:
    results = json.loads((data_dir / "target" / "run_results.json").read_text())["results"]
    models = sorted((r for r in results if r["unique_id"].startswith("model.")), key=lambda r: -r["execution_time"])
    return ", ".join(f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f}s" for r in models[:top])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100k rows only")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=3, help="runs per size below 10M (median reported)")
    args = parser.parse_args()
    sizes = [100_000] if args.quick else args.sizes
    print(f"machine: {machine()}")
    print(TABLE_HEADER)
    for rows in sizes:
        data_dir = generate(rows)
        repeats = 1 if rows >= 10_000_000 else args.repeats
        print(against_floor(rows, partial(floor, data_dir), partial(dbt_build, data_dir), repeats))
        print(f"{'':>12} slowest models: {slowest_models(data_dir)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
