"""python -m orchestration daily [RUN_DATE] [options]"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from seeds_gen.cli import default_data_dir, positive_int, run_date
from seeds_gen.generator import GenerateRequest, GeneratorError, generate_customers


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="orchestration")
    commands = parser.add_subparsers(dest="command", required=True)
    daily = commands.add_parser("daily", help="run the daily job for one run date")
    daily.add_argument("run_date_positional", nargs="?", type=run_date, metavar="RUN_DATE")
    daily.add_argument("--run-date", type=run_date, default=None, help="YYYY-MM-DD (default today)")
    daily.add_argument("--rows", type=positive_int, default=3_500)
    daily.add_argument("--seed", type=int, default=42)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    the_date = args.run_date or args.run_date_positional or date.today()
    request = GenerateRequest(default_data_dir(), the_date, rows=args.rows, seed=args.seed, overwrite=True)
    try:
        manifest = generate_customers(request)
    except GeneratorError as exc:
        print(f"orchestration: error: {exc}", file=sys.stderr)
        return 2
    print(f"generated {manifest['rows']:,} raw customers in {request.raw_dir}")
    print("stopping after generation: the dbt models, gates and report are not wired in yet")
    return 0
