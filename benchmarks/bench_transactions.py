"""dbt build of the transaction models on one day of N transactions against the floor: DuckDB
copying the same raw transactions file to Parquet and nothing else, interleaved in one run.

The customers the transactions buy from are generated and built first, untimed (one customer
per 10 transactions a day, so ordinary customers stay far below the bot threshold).

Run: just bench-transactions [--quick] [--sizes 1000000]
"""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path

from benchmarks.bench_models import (
    RUN_DATE,
    TABLE_HEADER,
    WORK,
    against_floor,
    dbt_build_command,
    dbt_command,
    floor_command,
    slowest_models,
)
from benchmarks.harness import Measurement, machine, measure

TRANSACTIONS_PER_CUSTOMER = 10


def _measure_dbt(data_dir: Path, *args: str) -> Measurement:
    command, env = dbt_command(data_dir, *args)
    return measure(command, env=env)


def customers_for(transactions: int) -> int:
    return max(3_500, transactions // TRANSACTIONS_PER_CUSTOMER)


def prepare(rows: int) -> Path:
    """Raw customers and transactions for one day, and the customer marts they are checked against."""
    data_dir = WORK / f"transactions_{rows}"
    customers = customers_for(rows)
    if not (data_dir / "raw" / RUN_DATE / "transactions.parquet").exists():
        common = ["--seed", "42", "--run-date", RUN_DATE, "--out", str(data_dir), "--quiet"]
        measure([sys.executable, "-m", "seeds_gen", "customers", "--rows", str(customers), *common])
        measure([sys.executable, "-m", "seeds_gen", "transactions", "--rows", str(rows),
                 "--customer-rows", str(customers), *common])
    # The reference seeds and the customers the transactions are checked against (and the customer
    # records the shared dq_rule_results counts), without their tests; untimed. One dbt process:
    # each costs ~8 s before its first node.
    _measure_dbt(data_dir, "build", "--select", "resource_type:seed +final_customers",
                 "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
    return data_dir


def build_command(data_dir: Path) -> tuple[list[str], dict[str, str]]:
    """`dbt build` of the transaction models and their tests."""
    command, env = dbt_build_command(data_dir, "tag:transactions")
    # cautious: the tests of these models only, not the customer tests that also read the shared
    # quality models (dq_rule_catalog, dq_rule_results)
    return [*command, "--exclude-resource-type", "unit_test", "--indirect-selection", "cautious"], env


def build(data_dir: Path) -> Measurement:
    command, env = build_command(data_dir)
    return measure(command, env=env)


def test_time(data_dir: Path) -> str:
    results = json.loads((data_dir / "target" / "run_results.json").read_text())["results"]
    tests = [r["execution_time"] for r in results if r["unique_id"].startswith("test.")]
    return f"{len(tests)} tests {sum(tests):.1f}s (summed over threads)"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="100k transactions only")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeats", type=int, default=3, help="runs per size (median reported)")
    args = parser.parse_args()
    sizes = [100_000] if args.quick else args.sizes
    print(f"machine: {machine()}")
    print(TABLE_HEADER)
    for rows in sizes:
        data_dir = prepare(rows)
        floor = partial(measure, floor_command(data_dir, "transactions"))
        print(against_floor(rows, floor, partial(build, data_dir), args.repeats))
        print(f"{'':>12} slowest models: {slowest_models(data_dir, top=4)}; {test_time(data_dir)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
