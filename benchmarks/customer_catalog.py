"""What the pandas and Polars ports of the customer models share: the rule catalog's metadata,
the output columns, the project vars and the reference seeds' location.

The rules' *logic* is written in each port, in that library's own idiom; their metadata
(dimension, severity, action, threshold) is listed here once, as an Airflow + pandas team would
keep it in Python. It mirrors dbt_project/macros/customer_rules.sql: the equality check
(benchmarks/equality.py) compares dq_rule_results with dbt's, so a drift shows up there.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from orchestration.profile import TRIM_CHARS as BLANKS  # what clean_text trims from every value
from seeds_gen.reference import SEEDS_DIR, project_vars

ENTITY = "customers"

# The published tables of the customer pipeline, written as <name>.parquet by each port.
OUTPUT_TABLES = ("cleaned_customers", "final_customers", "quarantined_customers", "row_audit",
                 "dq_rule_results", "dq_scores", "dq_rule_failures")

# macros/customer_output_columns.sql: the cleaned columns in output order (types: see each port).
OUTPUT_COLUMNS = ("customer_id", "first_name", "last_name", "email", "phone", "date_of_birth", "gender",
                  "street_address", "city", "state", "postal_code", "country", "signup_date", "segment",
                  "annual_income", "marketing_opt_in", "last_purchase_date")
DATE_COLUMNS = ("date_of_birth", "signup_date", "last_purchase_date")
NAME_COLUMNS = ("first_name", "last_name")  # the plausible_characters rules' columns
# macros/single_spaced.sql: the free text whose runs of BLANKS inside are one space
SINGLE_SPACED_COLUMNS = ("first_name", "last_name", "street_address", "city", "state")
BLANK_RUN = f"[{BLANKS}]+"


@dataclass(frozen=True)
class Rule:
    id: str
    column: str
    dimension: str
    severity: str  # warn | error
    action: str  # flag | nullify | quarantine
    threshold: float
    stage: str  # row: judged on the record alone | dedup: judged among records

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def _not_null_rules(raw_columns: list[str]) -> list[Rule]:
    required = {"customer_id", "country"}  # a record without them cannot be used at all
    return [Rule(f"{ENTITY}.{column}.not_null", column, "completeness",
                 "error" if column in required else "warn",
                 "quarantine" if column in required else "flag",
                 0.99 if column in required else 0.95, "row")
            for column in raw_columns]


# (column, check, dimension, severity, action, threshold), in the catalog's order.
_ROW_CHECKS = (
    ("customer_id", "format", "validity", "warn", "flag", 0.99),
    ("email", "format", "validity", "warn", "nullify", 0.95),
    ("phone", "valid_for_country", "validity", "warn", "nullify", 0.95),
    ("date_of_birth", "parsable", "validity", "warn", "nullify", 0.98),
    ("date_of_birth", "not_in_future", "validity", "error", "quarantine", 0.99),
    ("date_of_birth", "after_1900", "validity", "error", "quarantine", 0.99),
    ("gender", "accepted_values", "validity", "warn", "nullify", 0.98),
    ("postal_code", "fits_country", "validity", "warn", "nullify", 0.95),
    ("country", "iso_code", "validity", "error", "quarantine", 0.99),
    ("signup_date", "parsable", "validity", "warn", "nullify", 0.98),
    ("segment", "accepted_values", "validity", "warn", "nullify", 0.98),
    ("annual_income", "in_range", "validity", "warn", "nullify", 0.98),
    ("marketing_opt_in", "accepted_values", "validity", "warn", "nullify", 0.98),
    ("last_purchase_date", "parsable", "validity", "warn", "nullify", 0.98),
    ("signup_date", "after_birth", "consistency", "error", "quarantine", 0.99),
    ("last_purchase_date", "after_signup", "consistency", "warn", "flag", 0.98),
    ("signup_date", "not_in_future", "timeliness", "error", "quarantine", 0.99),
    ("last_purchase_date", "not_in_future", "timeliness", "warn", "flag", 0.98),
    *((column, "plausible_length", "validity", "warn", "nullify", 0.99)
      for column in ("first_name", "last_name", "street_address", "city")),
    *((column, "plausible_characters", "validity", "warn", "nullify", 0.99) for column in NAME_COLUMNS),
)
_AMONG_RECORDS = (
    ("record", "not_duplicate", "warn", "flag", 0.98),
    ("customer_id", "unique", "error", "quarantine", 0.99),
    ("email", "unique", "warn", "flag", 0.99),
)


def customer_rules() -> list[Rule]:
    """The 42 rules, in the catalog's order (the order of failed-rule lists)."""
    rules = _not_null_rules(project_vars()["raw_customer_columns"])
    rules += [Rule(f"{ENTITY}.{column}.{check}", column, dimension, severity, action, threshold, "row")
              for column, check, dimension, severity, action, threshold in _ROW_CHECKS]
    rules += [Rule(f"{ENTITY}.{column}.{check}", column, "uniqueness", severity, action, threshold, "dedup")
              for column, check, severity, action, threshold in _AMONG_RECORDS]
    return rules


@dataclass(frozen=True)
class Settings:
    """The dbt project's vars the customer models read, typed."""

    run_date: date
    raw_columns: tuple[str, ...]
    null_markers: tuple[str, ...]
    names_among_null_markers: tuple[str, ...]
    date_formats: tuple[str, ...]
    iso_date_time_pattern: str  # tried after date_formats: the date as written
    name_particles: frozenset[str]
    lowercase_particle_countries: frozenset[str]
    customer_id_pattern: str
    max_annual_income: float
    min_birth_date: date
    max_length: dict[str, int]  # the plausible_length rules' limits, by column
    name_characters: str  # the plausible_characters rules' pattern, read alike by pandas (Arrow) and Polars
    dimension_weights: dict[str, float]


def settings(run_date: date) -> Settings:
    found = project_vars()
    return Settings(
        run_date=run_date,
        raw_columns=tuple(found["raw_customer_columns"]),
        null_markers=tuple(found["null_markers"]),
        names_among_null_markers=tuple(found["names_among_null_markers"]),
        date_formats=tuple(found["date_formats"]),
        iso_date_time_pattern=found["iso_date_time_pattern"],
        name_particles=frozenset(found["name_particles"]),
        lowercase_particle_countries=frozenset(found["lowercase_particle_countries"]),
        customer_id_pattern=found["customer_id_pattern"],
        max_annual_income=float(found["max_annual_income"]),
        min_birth_date=date.fromisoformat(str(found["min_birth_date"])),
        max_length={"first_name": int(found["max_name_length"]), "last_name": int(found["max_name_length"]),
                    "street_address": int(found["max_address_length"]), "city": int(found["max_address_length"])},
        name_characters=found["name_characters"],
        dimension_weights={k: float(v) for k, v in found["dimension_weights"].items()},
    )


def seed_file(name: str) -> Path:
    """A reference seed's CSV (dbt_project/seeds/<name>.csv), the same file dbt loads."""
    return SEEDS_DIR / f"{name}.csv"


def port_cli(run: Callable[[Path, Path, date], None], library: str) -> int:
    """The command line of a port: RAW_PARQUET OUT_DIR --run-date YYYY-MM-DD."""
    parser = argparse.ArgumentParser(description=f"The customer models in {library}: raw Parquet in, marts out.")
    parser.add_argument("raw_file", type=Path, help="the raw customers.parquet")
    parser.add_argument("out_dir", type=Path, help="where the <table>.parquet outputs go")
    parser.add_argument("--run-date", type=date.fromisoformat, required=True, help="YYYY-MM-DD")
    args = parser.parse_args()
    run(args.raw_file, args.out_dir, args.run_date)
    return 0
