"""dbt build of the transaction models on one day of N transactions against the floor: DuckDB
copying the same raw transactions file to Parquet and nothing else, interleaved in one run.

The customers the transactions buy from are generated and built first, untimed (one customer
per 10 transactions a day, so ordinary customers stay far below the bot threshold).

Run: just bench-transactions [--quick] [--sizes 1000000]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

from benchmarks.bench_models import FLOOR, RUN_DATE, WORK
from benchmarks.harness import Measurement, machine, measure
from orchestration.dbt import PROJECT_DIR, REPO_ROOT

TRANSACTIONS_PER_CUSTOMER = 10


def _dbt(data_dir: Path, *args: str) -> Measurement:
    return measure(
        [str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(PROJECT_DIR), "--profiles-dir",
         str(REPO_ROOT), "--target-path", str(data_dir / "target"), "--quiet", "--vars",
         json.dumps({"run_date": RUN_DATE})],
        env={"CDQ_DATA_DIR": str(data_dir)})


def prepare(rows: int) -> Path:
    """Raw customers and transactions for one day, and the customer marts they are checked against."""
    data_dir = WORK / f"transactions_{rows}"
    customers = max(3_500, rows // TRANSACTIONS_PER_CUSTOMER)
    if not (data_dir / "raw" / RUN_DATE / "transactions.parquet").exists():
        common = ["--seed", "42", "--run-date", RUN_DATE, "--out", str(data_dir), "--quiet"]
        measure([sys.executable, "-m", "seeds_gen", "customers", "--rows", str(customers), *common])
        measure([sys.executable, "-m", "seeds_gen", "transactions", "--rows", str(rows),
                 "--customer-rows", str(customers), *common])
    _dbt(data_dir, "seed")
    _dbt(data_dir, "run", "--select", "+final_customers")
    return data_dir


def floor(data_dir: Path) -> Measurement:
    raw = data_dir / "raw" / RUN_DATE / "transactions.parquet"
    return measure([sys.executable, "-c", FLOOR, str(raw), str(data_dir / "floor_copy.parquet")])


def build(data_dir: Path) -> Measurement:
    return _dbt(data_dir, "build", "--select", "tag:transactions", "--exclude-resource-type", "unit_test")


def timings(data_dir: Path) -> str:
    results = json.loads((data_dir / "target" / "run_results.json").read_text())["results"]
    models = sorted((r for r in results if r["unique_id"].startswith("model.")), key=lambda r: -r["execution_time"])
    tests = sum(r["execution_time"] for r in results if r["unique_id"].startswith("test."))
    return ", ".join(f"{r['unique_id'].split('.')[-1]} {r['execution_time']:.1f}s" for r in models[:4]) + \
        f"; {sum(r['unique_id'].startswith('test.') for r in results)} tests {tests:.1f}s (summed over threads)"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100k transactions only")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeats", type=int, default=3, help="runs per size (median reported)")
    args = parser.parse_args()
    sizes = [100_000] if args.quick else args.sizes
    print(f"machine: {machine()}")
    print(f"{'rows/day':>12} {'floor s':>8} {'dbt s':>8} {'dbt/floor':>9} {'dbt rows/s':>11} {'dbt peak MB':>11}")
    for rows in sizes:
        data_dir = prepare(rows)
        floors, builds = [], []
        for _ in range(args.repeats):
            floors.append(floor(data_dir))  # interleaved: both see the same machine state
            builds.append(build(data_dir))
        f = statistics.median(m.seconds for m in floors)
        b = statistics.median(m.seconds for m in builds)
        peak = max(m.peak_rss_mb for m in builds)
        print(f"{rows:>12,} {f:>8.2f} {b:>8.2f} {b / f:>9.1f} {rows / b:>11,.0f} {peak:>11,.0f}")
        print(f"{'':>12} {timings(data_dir)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
