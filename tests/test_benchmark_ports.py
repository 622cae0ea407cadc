"""The benchmark's pandas and Polars ports of the customer models produce dbt's outputs, and the
equality check that guards the benchmark notices when they do not."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from benchmarks import pandas_pipeline, polars_pipeline
from benchmarks.customer_catalog import OUTPUT_TABLES, customer_rules
from benchmarks.equality import compare_outputs
from orchestration.dbt import run_dbt
from tests.conftest import RUN_DATE, generate

ROWS = 10_000


@pytest.fixture(scope="module")
def dbt_built(tmp_path_factory) -> Path:
    """dbt's outputs for 10k generated customers, built by the project's own runner."""
    data_dir = tmp_path_factory.mktemp("ports")
    generate(data_dir, ROWS, seed=5)
    _plant_values(_raw_file(data_dir))
    run = run_dbt("build", data_dir)
    assert run.success, run.problems()
    return data_dir


@pytest.fixture(scope="module")
def pandas_outputs(dbt_built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pandas_outputs")
    pandas_pipeline.run(_raw_file(dbt_built), out, RUN_DATE)
    return out


# Rows re-sent without their e-mail before the record they copy: row 30 of row 31, and row 32 of row
# 33 under another first name (a different person, whom the id alone does not merge).
INCOMPLETE_COPIES = {30: 31, 32: 33}


def _plant_values(raw: Path) -> None:
    """Values the generator never makes, which the models read or judge in their own way: the
    ports must too (rules judging lengths and a name's characters; a user's own export: countries in other languages,
    decimal commas, phone extensions and bracketed trunk prefixes, names that are also placeholders, typographic
    apostrophes, timestamps for dates, runs of blanks and no-break spaces; a customer re-sent without its
    e-mail before its complete record, and one re-sent so under another first name)."""
    planted = {"email": {3: "a" * 65 + "@gmail.com", 7: "sean.o'brien@example.com"},
               "last_name": {4: "x" * 1_000, 8: "Na", 22: "\u00a0Smith\u00a0", 25: "O’BRIEN", 26: "Null"},
               "city": {5: "Bangkok " * 30, 23: "New\u00a0York"}, "street_address": {23: "12  Main\tSt"},
               "state": {24: "New  South\u00a0Wales"},
               "first_name": {6: "Ö" + "ö" * 99, 8: "Nan", 9: "NA", 20: '=HYPERLINK("http://x.example")', 21: "Zoë",
                              22: "mary  ann"},
               "country": {10: "Finlande", 11: "FI", 12: "Namibia", 25: "GB", 27: "DE"},
               "annual_income": {13: "52.000,50", 14: "52,5", 15: "1,234,567"},
               "phone": {16: "+1 415-555-0123 ext. 45", 17: "(415) 555-0123 x12", 25: "+44 (0)20 7946 0958",
                         27: "+49 (0)30 1234567"},
               "date_of_birth": {18: "1985-04-29 00:00:00", 19: "1985-04-29T00:00:00"},
               "signup_date": {28: "2024-03-01T23:30:00-05:00", 29: "2024-03-01T10:00:00.123Z",
                               34: "2024-03-01 00:00:00+0200", 35: "2024-03-01T10:00 PST", 36: "2024-02-30T10:00:00Z"}}
    table = pq.read_table(raw)
    copies = {column: {copy: table[column][of].as_py() for copy, of in INCOMPLETE_COPIES.items()}
              for column in table.column_names}
    for column, cells in [*copies.items(), ("email", dict.fromkeys(INCOMPLETE_COPIES)), ("first_name", {32: "Other"}),
                          *planted.items()]:
        values = table[column].to_pylist()
        for row, value in cells.items():
            values[row] = value
        table = table.set_column(table.schema.get_field_index(column), column, pa.array(values))
    pq.write_table(table, raw)


def _raw_file(data_dir: Path) -> Path:
    return data_dir / "raw" / RUN_DATE.isoformat() / "customers.parquet"


def _compare(data_dir: Path, outputs: Path, contender: str):
    return compare_outputs(data_dir, RUN_DATE.isoformat(), outputs, contender)


def test_the_planted_copies_are_merged_only_when_they_agree(dbt_built):
    # the ports' check of the copies means something only if dbt merged the one and not the other
    with duckdb.connect(str(dbt_built / "warehouse.duckdb"), read_only=True) as db:
        audit = {row: (outcome, survivor) for row, outcome, survivor in db.sql(
            "select source_row_number, outcome, survivor_row_number from row_audit "
            "where source_row_number in (30, 31, 32, 33)").fetchall()}
    assert audit[30] == ("merged", 31) and audit[31] == ("kept", None)
    assert audit[32][0] != "merged" and audit[33][0] != "merged"


def test_pandas_port_produces_dbts_outputs(dbt_built, pandas_outputs):
    report = _compare(dbt_built, pandas_outputs, "pandas")
    assert report.equal, report.summary()


def test_polars_port_produces_dbts_outputs(dbt_built, tmp_path):
    polars_pipeline.run(_raw_file(dbt_built), tmp_path, RUN_DATE)
    report = _compare(dbt_built, tmp_path, "polars")
    assert report.equal, report.summary()


def test_the_ports_rule_catalog_is_dbts(dbt_built):
    with duckdb.connect(str(dbt_built / "warehouse.duckdb"), read_only=True) as db:
        catalog = db.sql("select rule_id, column_name, dimension, severity, action, threshold::double, stage "
                         "from dq_rule_catalog where entity = 'customers'").fetchall()
    ours = [(r.id, r.column, r.dimension, r.severity, r.action, r.threshold, r.stage) for r in customer_rules()]
    assert ours == catalog


# (table, a select that changes it slightly, the check that must catch it)
TAMPERING = [
    ("dq_scores", "select * replace (case when scope = 'overall' then score + 1e-7 else score end as score) from t",
     "scores (1e-9)"),
    ("row_audit", "select * replace (list_filter(failed_rules, r -> r <> 'customers.email.format') as failed_rules) "
                  "from t", "flagged (source_row_number, rule_id) pairs"),
    ("row_audit", "select * replace (case when outcome = 'merged' then survivor_row_number + 1 "
                  "else survivor_row_number end as survivor_row_number) from t", "merged rows (row, survivor)"),
    ("quarantined_customers", "select * from t limit (select count(*) - 1 from t)", "row counts"),
    ("final_customers", "select * replace (case when source_row_number % 97 = 0 then upper(city) else city end "
                        "as city) from t", "final_customers values"),
    ("cleaned_customers", "select * replace (date_of_birth::timestamp as date_of_birth) from t",
     "cleaned_customers schema"),
    # a score missing on one side only is a difference, not a tie
    ("final_customers", "select * replace (case when source_row_number = 7 then null else dq_score end as dq_score) "
                        "from t", "final_customers values"),
    ("dq_scores", "select * replace (case when scope = 'dimension' then null else score end as score) from t",
     "scores (1e-9)"),
    ("dq_scores", "select * replace (case when scope = 'overall' then null else score end as score) from t",
     "scores (1e-9)"),
    ("dq_rule_results", "select * replace (case when rule_id = 'customers.email.format' then null else pass_rate end "
                        "as pass_rate) from t", "rule results"),
]


@pytest.mark.parametrize(("table", "change", "check"), TAMPERING, ids=[t[2] for t in TAMPERING])
def test_the_equality_check_catches_a_difference(dbt_built, pandas_outputs, tmp_path, table, change, check):
    for name in OUTPUT_TABLES:
        shutil.copy(pandas_outputs / f"{name}.parquet", tmp_path / f"{name}.parquet")
    target = tmp_path / f"{table}.parquet"
    with duckdb.connect() as db:
        db.execute(f"create table t as select * from read_parquet('{target}')")
        db.execute(f"copy ({change}) to '{target}' (format parquet)")
    report = _compare(dbt_built, tmp_path, "tampered")
    assert not report.equal
    assert check in {c.name for c in report.failures()}, report.summary()


def test_profile_completeness_is_the_share_of_columns_with_a_value(dbt_built):
    final = dbt_built / "outputs" / RUN_DATE.isoformat() / "final_customers.parquet"
    present = " + ".join(f"({column} is not null)::int" for column in pandas_pipeline.OUTPUT_COLUMNS)
    with duckdb.connect() as db:
        wrong = db.execute(f"select count(*) from read_parquet('{final}') "
                           f"where profile_completeness <> round(({present}) / 17, 4)").fetchone()[0]
    assert wrong == 0
