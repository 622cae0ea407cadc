"""A user's own files instead of generated ones, as two reviews brought them (a retailer's
customer export, its tills' sales): values the generator never writes are read as they mean,
made-up data never mixes with them unannounced, and a stopped run says what to change.

Tests kept apart from test_models/test_daily/test_sales, whose files are the suite's longest:
`just test` spreads whole files over its workers."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.daily import EXIT_OK, EXIT_QUALITY, EXIT_STEP_FAILED, run_daily
from orchestration.dbt import run_dbt
from tests.conftest import generate
from tests.test_daily import DAY as CUSTOMERS_DAY
from tests.test_daily import _generated_csv, _summary_warnings
from tests.test_daily import _options as customer_options
from tests.test_models import MODELS_ONLY as CUSTOMER_MODELS_ONLY
from tests.test_sales import DAY as SALES_DAY
from tests.test_sales import MODELS_ONLY as SALES_MODELS_ONLY
from tests.test_sales import _build, _generate_day, _query
from tests.test_sales_daily import _latest
from tests.test_sales_daily import _options as sales_options

# --- a retailer's customer export ----------------------------------------------------------

def test_a_real_exports_values_are_read_as_they_mean(tmp_path):
    # what a retailer's own export holds and the generator never writes (a user's review)
    raw_dir = generate(tmp_path, 200, defect_rate=0.0)
    table = pq.read_table(raw_dir / "customers.parquet")
    values = {name: table[name].to_pylist()
              for name in ("country", "annual_income", "email", "phone", "first_name", "last_name", "date_of_birth",
                           "street_address", "city")}
    values["country"][1:8] = ["FI", "Allemagne", "Vereinigtes Königreich", "Namibia", "Suomi", "Grèce", "XX"]
    values["annual_income"][10:15] = ["52.000,50", "52,5", "32,791.50", "1,234,567", "12,34"]
    values["email"][20] = "sean.o'brien@example.com"
    values["phone"][30:33] = ["+1 415-555-0123 ext. 45", "(415) 555-0123 x12", "+1 415 555 0123 #7"]
    values["country"][30:33] = ["US"] * 3
    values["first_name"][40:43], values["last_name"][40:43] = ["Nan", "Nil", "NA"], ["Na", "nan", "Null"]
    values["date_of_birth"][50:52] = ["1985-04-29 00:00:00", "1985-04-29T00:00:00"]
    # a name joined from empty parts, a tab from a spreadsheet, no-break spaces from a web form
    values["first_name"][60], values["last_name"][60] = "mary  ann", "\u00a0O'Brien\u00a0"
    values["street_address"][60], values["city"][60] = "12  Main\tSt", "New\u00a0York"
    for name, column in values.items():
        table = table.set_column(table.schema.get_field_index(name), name, pa.array(column))
    pq.write_table(table, raw_dir / "customers.parquet")
    assert run_dbt("build", tmp_path, extra_args=CUSTOMER_MODELS_ONLY).success
    cleaned = {row[0]: row[1:] for row in _query(
        tmp_path / "warehouse.duckdb",
        "select source_row_number, country, annual_income, email, phone, first_name, last_name, date_of_birth, "
        "street_address, city from int_customers_cleaned")}
    # every ISO 3166 country, by code, English or another European language's name; no made-up one
    assert [cleaned[row][0] for row in range(1, 8)] == ["FI", "DE", "GB", "NA", "FI", "GR", None]
    # a decimal comma is no thousands separator: not read at all rather than read 1,000 times too large
    assert [cleaned[row][1] for row in range(10, 15)] == [None, None, Decimal("32791.50"), Decimal("1234567.00"), None]
    assert cleaned[20][2] == "sean.o'brien@example.com", "an apostrophe is allowed in a local part"
    assert [cleaned[row][3] for row in range(30, 33)] == ["+14155550123"] * 3, "the extension goes, the number stays"
    # spelled so, Nan, Nil, Na and Null are names (var names_among_null_markers); NA and nan are placeholders
    assert [cleaned[row][4:6] for row in range(40, 43)] == [("Nan", "Na"), ("Nil", None), (None, "Null")]
    assert [cleaned[row][6] for row in (50, 51)] == [date(1985, 4, 29)] * 2, "a timestamp's date"
    assert cleaned[60][4:6] + cleaned[60][7:] == ("Mary Ann", "O'Brien", "12 Main St", "New York"), "one space"


def test_ids_of_another_format_are_said_to_need_the_id_pattern_set(tmp_path, capsys):
    # a source whose ids are plain numbers: every record misses the generator's C + 11 digits
    csv = _generated_csv(tmp_path, "numbered.csv", 300,
                         select="* replace (lpad(cast(row_number() over () as varchar), 8, '0') as customer_id)")
    assert run_daily(customer_options(tmp_path / "data", input=csv)) == EXIT_QUALITY
    assert ("; 100% of customer ids do not match var customer_id_pattern '^C[0-9]{11}$' of "
            "dbt_project/dbt_project.yml: if your source's ids look otherwise, set it to their format") \
        in (out := capsys.readouterr().out)
    assert "failing rows: run again with --keep-temp and query dq_rule_failures" in out


@pytest.mark.slow
def test_made_up_data_beside_a_users_own_is_warned_about(tmp_path, capsys):
    # the quick start generated a day; the user's own file for the next; then a run forgets --input
    day = CUSTOMERS_DAY
    data_dir, generated_day = tmp_path / "data", day - timedelta(days=1)
    assert run_daily(customer_options(data_dir, run_date=generated_day, rows=300, transactions=600)) == EXIT_OK
    csv = _generated_csv(tmp_path, "mine.csv", 300)
    assert run_daily(customer_options(data_dir, input=csv, max_volume_drop=1)) == EXIT_OK
    made_up = data_dir / "raw" / generated_day.isoformat() / "transactions.parquet"
    assert ("the load window holds transactions the generator made up (synthetic sales), loaded beside these "
            f"customers: {made_up}; delete them if your data is real") in _summary_warnings(data_dir)
    next_day = day + timedelta(days=1)
    assert run_daily(customer_options(data_dir, run_date=next_day, rows=300, transactions=600)) == EXIT_OK
    assert (f"generated made-up customers and sales for {next_day} in a data directory that holds "
            f"your own customer files (raw/ of {day}): give your file with --input") in capsys.readouterr().out


# --- a retailer's own sales --------------------------------------------------------------

def test_a_stores_local_time_gives_the_sales_date_day_and_hour(tmp_path):
    # a store west of UTC writes its evening sales with its offset: in UTC they are the next day,
    # which is outside the run date's window; they are the run date's sales all the same
    day = SALES_DAY
    raw_dir = _generate_day(tmp_path, day, rows=2_000, defect_rate=0.0)
    path = raw_dir / "transactions.parquet"
    shifted = tmp_path / "shifted.parquet"
    duckdb.execute(f"copy (select * replace (case when source_row < 300 then '{day}T23:30:00-05:00' else timestamp end "
                   f"as timestamp) from (select *, row_number() over () - 1 as source_row from '{path}')) "
                   f"to '{shifted}'")
    duckdb.execute(f"copy (select * exclude (source_row) from '{shifted}') to '{path}'")
    _build(tmp_path, day, SALES_MODELS_ONLY)
    rows = _query(tmp_path / "warehouse.duckdb", "select transaction_date, transacted_at, hour_of_day, day_of_week "
                                                "from fct_transactions where source_row_number < 300")
    assert not _query(tmp_path / "warehouse.duckdb", "select 1 from quarantined_transactions "
                                                     "where source_row_number < 300"), "none outside the window"
    assert len(rows) > 250 and {row[0] for row in rows} == {day}, "the completed ones loaded, on the store's date"
    assert {row[1:] for row in rows} == {(datetime(day.year, day.month, day.day + 1, 4, 30), 23, day.strftime("%A"))}


def test_a_delivered_day_without_sales_is_warned_and_sales_as_csv_are_refused_by_name(tmp_path, monkeypatch, capsys):
    day = SALES_DAY
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    raw_dir = _generate_day(tmp_path, day, rows=500)
    customers = tmp_path / "customers.parquet"
    (raw_dir / "customers.parquet").rename(customers)
    sales = raw_dir / "transactions.parquet"
    duckdb.execute(f"copy (from '{sales}' limit 0) to '{tmp_path / 'none.parquet'}'")
    (tmp_path / "none.parquet").replace(sales)  # a till that sold nothing: a file, no rows
    assert run_daily(sales_options(tmp_path, input=customers)) == EXIT_OK
    assert (f"the raw transactions file of {day} has no rows: no sales of the day were loaded"
            in capsys.readouterr().out)
    # the next day's sales exported as CSV: the models read Parquet, and would load the day without them
    next_dir = _generate_day(tmp_path, day + timedelta(days=1), rows=500)
    next_sales = next_dir / "transactions.parquet"
    duckdb.execute(f"copy (from '{next_sales}') to '{next_dir / 'transactions.csv'}' (header)")
    next_sales.unlink()
    (next_dir / "customers.parquet").rename(customers)
    assert run_daily(sales_options(tmp_path, input=customers, run_date=day + timedelta(days=1))) == EXIT_STEP_FAILED
    assert f"{next_dir / 'transactions.csv'}: the models read transactions.parquet only" in capsys.readouterr().out


def test_a_gate_stopped_by_a_warning_rule_names_it(tmp_path, monkeypatch):
    # a till writing a third decimal on 8% of its sales: flagged, not quarantined, but they do not
    # pass all checks: the gate must name that rule, not the error rules that quarantine
    day = SALES_DAY
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    raw_dir = _generate_day(tmp_path, day, rows=2_000, defect_rate=0.0)
    sales = raw_dir / "transactions.parquet"
    duckdb.execute(f"copy (select * replace (case when hash(transaction_id) % 100 < 8 and currency <> 'JPY' "
                   f"then amount || '1' else amount end as amount) from '{sales}') to '{tmp_path / 'sales.parquet'}'")
    (tmp_path / "sales.parquet").replace(sales)
    (raw_dir / "customers.parquet").rename(tmp_path / "customers.parquet")
    assert run_daily(sales_options(tmp_path, input=tmp_path / "customers.parquet")) == EXIT_QUALITY
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    (reason,) = report["transactions"]["gate"]["reasons"]
    assert "pass all checks (at least 95% required); most failed: transactions.amount.currency_precision (" in reason
