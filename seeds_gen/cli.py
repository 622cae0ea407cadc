"""python -m seeds_gen customers --rows N --seed S --run-date YYYY-MM-DD --out DATA_DIR"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from seeds_gen.files import read_manifest
from seeds_gen.generator import MANIFEST_FILE, GenerateRequest, GeneratorError, generate_customers

if TYPE_CHECKING:
    from seeds_gen.transactions import TransactionsRequest

DATA_DIR_ENV = "CDQ_DATA_DIR"
MIN_RUN_DATE = date(2000, 1, 1)


def default_data_dir() -> Path:
    return absolute(os.environ.get(DATA_DIR_ENV) or "data")  # set but empty: the default


def absolute(text: str) -> Path:
    """The absolute path, without the '..' a relative one given from elsewhere may hold (just joins
    CDQ_DATA_DIR to where it was called: /repo/../data reads /data in every message)."""
    return Path(os.path.abspath(text))


class OneLineParser(argparse.ArgumentParser):
    """Argument errors are one line and exit 2: scripts and cron logs stay readable."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message}\n")


def positive_int(text: str) -> int:
    value = whole_number(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be greater than 0, got {value}")
    return value


def sql_safe_dir(text: str) -> Path:
    """A data directory: the models give DuckDB its paths inside SQL string literals, so its
    absolute path (a relative one under a folder named with a quote, too) must hold no quote."""
    path = absolute(text)
    if "'" in str(path):
        raise argparse.ArgumentTypeError(f"a path holding ' is not supported (DuckDB reads it in SQL): {path}")
    return path


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def non_negative_int(text: str) -> int:
    value = whole_number(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value}")
    return value


def seed(text: str) -> int:
    value = non_negative_int(text)
    if value >= 2**64:  # the keyed draws take a 64-bit seed
        raise argparse.ArgumentTypeError(f"must be below 2**64, got {value}")
    return value


def run_date(text: str) -> date:
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None
    if value < MIN_RUN_DATE:
        raise argparse.ArgumentTypeError(f"must be on or after {MIN_RUN_DATE}, got {value}")
    return value


def defect_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 0.5, got {text!r}") from None
    if not 0 <= value <= 0.5:
        raise argparse.ArgumentTypeError(f"must be between 0 and 0.5, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="seeds_gen", description="Generate dirty synthetic data with ground truth.")
    commands = parser.add_subparsers(dest="entity", required=True, parser_class=OneLineParser)
    customers = commands.add_parser("customers", help="raw customers for one run date")
    customers.add_argument("--rows", type=positive_int, default=3_500, help="rows in the file (default 3500)")
    customers.add_argument("--seed", type=seed, default=42, help="random seed (default 42)")
    customers.add_argument("--run-date", type=run_date, default=date.today(), help="YYYY-MM-DD (default today)")
    customers.add_argument("--out", type=sql_safe_dir, default=None,
                           help=f"data directory (default ${DATA_DIR_ENV} or ./data)")
    customers.add_argument("--defect-rate", type=defect_rate, default=0.08,
                           help="share of records carrying at least one defect (default 0.08)")
    customers.add_argument("--overwrite", action="store_true", help="replace existing files")
    customers.add_argument("--quiet", action="store_true", help="print nothing on success")
    _add_transactions_parser(commands)
    return parser


def _add_transactions_parser(commands) -> None:
    txns = commands.add_parser("transactions", help="raw products, stores and transactions for one run date")
    txns.add_argument("--rows", type=positive_int, default=20_000, help="transactions in the file (default 20000)")
    txns.add_argument("--products", type=positive_int, default=1_000, help="products (default 1000)")
    txns.add_argument("--stores", type=positive_int, default=20, help="stores (default 20)")
    # None: what the date's generated customers file was made with (its manifest), else the default
    txns.add_argument("--customer-rows", type=positive_int, default=None,
                      help="--rows of that date's customers file (default: from its manifest, else 3500)")
    txns.add_argument("--customer-defect-rate", type=defect_rate, default=None,
                      help="--defect-rate of that date's customers file (default: from its manifest, else 0.08)")
    txns.add_argument("--seed", type=seed, default=None,
                      help="random seed, that of the date's customers (default: from their manifest, else 42)")
    txns.add_argument("--run-date", type=run_date, default=date.today(), help="YYYY-MM-DD (default today)")
    txns.add_argument("--out", type=sql_safe_dir, default=None,
                      help=f"data directory (default ${DATA_DIR_ENV} or ./data)")
    txns.add_argument("--defect-rate", type=defect_rate, default=0.03,
                      help="share of transactions carrying a defect (default 0.03)")
    txns.add_argument("--overwrite", action="store_true", help="replace existing files")
    txns.add_argument("--quiet", action="store_true", help="print nothing on success")


def _generate(generate: Callable[[], dict], summary: Callable[[dict], str], quiet: bool) -> int:
    """Run a generator: one-line errors with exit code 2, a one-line summary on success."""
    try:
        manifest = generate()
    except GeneratorError as exc:
        print(f"seeds_gen: error: {exc}", file=sys.stderr)
        return 2
    if not quiet:
        print(summary(manifest))
    return 0


def _transactions(args: argparse.Namespace) -> int:
    from seeds_gen.transactions import TransactionsRequest, generate_transactions

    request = TransactionsRequest(
        out_dir=(args.out or default_data_dir()).absolute(), run_date=args.run_date, rows=args.rows,
        products=args.products, stores=args.stores, defect_rate=args.defect_rate, overwrite=args.overwrite,
        progress=sys.stderr.isatty() and not args.quiet,
    )
    return _generate(lambda: generate_transactions(_buying_from_the_days_customers(request, args)), lambda m: (
        f"wrote {m['rows']:,} transactions ({m['records_with_defects']:,} with defects, "
        f"{len(m['bot_customers'])} bot customers, {sum(m['defect_counts'].values()):,} ground-truth rows) "
        f"to {request.raw_dir}"), args.quiet)


# The customers file's settings that decide who a clean transaction may buy from: manifest key and
# flag for each of TransactionsRequest's fields.
_CUSTOMER_SETTINGS = {"customer_rows": ("rows", "--customer-rows"),
                      "customer_defect_rate": ("defect_rate", "--customer-defect-rate"), "seed": ("seed", "--seed")}


def _buying_from_the_days_customers(request: TransactionsRequest, args: argparse.Namespace) -> TransactionsRequest:
    """The request with the rows, defect rate and seed of the date's generated customers file (its
    manifest): with others, transactions would buy from customers that are not in it. A flag that
    contradicts the manifest is refused; without a generated file, the flags or the defaults stand."""
    manifest_path = request.raw_dir / MANIFEST_FILE
    manifest = read_manifest(manifest_path)
    generated = manifest.get("generator") == "seeds_gen" and manifest.get("entity") == "customers"
    chosen = {}
    if generated and any(key not in manifest for key, _ in _CUSTOMER_SETTINGS.values()):
        raise GeneratorError(f"{manifest_path}: lacks the customers' rows, defect rate or seed (an older "
                             "generator's?): generate the customers again")
    for field, (key, flag) in _CUSTOMER_SETTINGS.items():
        given = getattr(args, field)
        if generated and given is not None and given != manifest[key]:
            raise GeneratorError(
                f"{manifest_path}: the customers of {request.run_date} were generated with {key} {manifest[key]}; "
                f"{flag} {given} would have transactions buy from customers that are not in that file "
                f"(leave {flag} out, or generate the customers again)")
        if generated or given is not None:
            chosen[field] = manifest[key] if generated else given
    return replace(request, **chosen)


def _customers(args: argparse.Namespace) -> int:
    request = GenerateRequest(
        out_dir=(args.out or default_data_dir()).absolute(),
        run_date=args.run_date,
        rows=args.rows,
        seed=args.seed,
        defect_rate=args.defect_rate,
        overwrite=args.overwrite,
        progress=sys.stderr.isatty() and not args.quiet,
    )
    return _generate(lambda: generate_customers(request), lambda m: (
        f"wrote {m['rows']:,} customers ({m['records_with_defects']:,} with "
        f"{sum(m['defect_counts'].values()):,} injected defects) to {request.raw_dir}"), args.quiet)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return _transactions(args) if args.entity == "transactions" else _customers(args)
