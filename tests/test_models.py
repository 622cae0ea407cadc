"""The dbt models end to end, on real DuckDB: correctness against the ground truth, outputs,
contracts, history, documentation and bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.dbt import PROJECT_DIR, DbtError, run_dbt
from orchestration.ground_truth import evaluate
from seeds_gen.customers import RAW_COLUMNS
from tests.conftest import RUN_DATE, generate

OUTPUTS = ("cleaned_customers", "final_customers", "quarantined_customers", "row_audit")
# For a build whose test looks at what the models wrote, not at the data tests (a third of the cost)
MODELS_ONLY = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]


def _dbt_cli(*args: str, target: Path, env: dict[str, str],
             cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Plain `dbt` as a user types it, with the project and profile given by path."""
    return subprocess.run(
        [str(Path(sys.executable).parent / "dbt"), *args, "--project-dir", str(PROJECT_DIR),
         "--profiles-dir", str(PROJECT_DIR.parent), "--target-path", str(target)],
        cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as db:
        return db.sql(sql).fetchall()


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("built")
    generate(data_dir, 3_500)
    run = run_dbt("build", data_dir)
    assert run.success, run.problems()
    return data_dir


@pytest.mark.parametrize("seed", [11, *(pytest.param(seed, marks=pytest.mark.slow) for seed in (22, 33))])
def test_recall_and_precision_against_the_ground_truth(tmp_path, seed):
    raw_dir = generate(tmp_path, 100_000, seed=seed)
    assert run_dbt("build", tmp_path).success
    result = evaluate(tmp_path / "warehouse.duckdb", raw_dir / "_defects.parquet")
    print(f"\nseed {seed}:\n{result.table()}")
    assert result.worst_recall() >= 0.99, result.table()
    assert result.worst_precision() >= 0.99, result.table()


def test_outputs_are_parquet_under_the_run_date(built):
    out = built / "outputs" / RUN_DATE.isoformat()
    counts = {name: pq.read_metadata(out / f"{name}.parquet").num_rows for name in OUTPUTS}
    assert counts["row_audit"] == 3_500, "one audit row per raw row"
    assert counts["cleaned_customers"] == counts["final_customers"] > 3_000
    audit = pq.read_table(out / "row_audit.parquet").to_pylist()
    outcomes = {o: sum(r["outcome"] == o for r in audit) for o in ("kept", "quarantined", "merged")}
    assert outcomes["kept"] == counts["cleaned_customers"]
    assert outcomes["quarantined"] == counts["quarantined_customers"] > 0
    assert outcomes["merged"] > 0
    assert all(r["survivor_row_number"] is not None for r in audit if r["outcome"] == "merged")


def test_every_output_row_traces_back_to_its_raw_row(built):
    raw = pq.read_table(built / "raw" / RUN_DATE.isoformat() / "customers.parquet").to_pylist()
    out = built / "outputs" / RUN_DATE.isoformat()
    for row in pq.read_table(out / "quarantined_customers.parquet").to_pylist():
        original = raw[row["source_row_number"]]
        assert all(row[c] == original[c] for c in RAW_COLUMNS), "quarantine keeps the raw values"
        assert row["quarantine_reasons"], "and says why"
    for row in pq.read_table(out / "final_customers.parquet").to_pylist()[:500]:
        assert raw[row["source_row_number"]]["customer_id"].strip().upper() == row["customer_id"]
        assert 0 <= row["dq_score"] <= 1
        assert row["dq_issue_count"] == len(row["dq_failed_rules"])


def test_final_customers_have_the_documented_features(built):
    final = pq.read_schema(built / "outputs" / RUN_DATE.isoformat() / "final_customers.parquet")
    features = {"age", "age_band", "tenure_days", "tenure_band", "email_domain", "is_free_mail",
                "phone_country_code", "region", "income_band", "days_since_last_purchase",
                "recency_bucket", "profile_completeness", "is_opted_in", "dq_score", "dq_issue_count",
                "dq_failed_rules"}
    assert features <= set(final.names)


def test_a_user_can_find_the_raw_rows_that_failed_a_rule(built):
    warehouse = built / "warehouse.duckdb"
    rows = _query(warehouse, "select source_row_number, raw_value from dq_rule_failures "
                             "where rule_id = 'customers.email.format'")
    raw = pq.read_table(built / "raw" / RUN_DATE.isoformat() / "customers.parquet").to_pylist()
    assert rows
    assert all(raw[r]["email"] == value for r, value in rows)


def test_implausible_values_fail_their_rules_and_a_merely_formatted_amount_is_not_repaired(tmp_path):
    raw_dir = generate(tmp_path, 200, defect_rate=0.0)
    table = pq.read_table(raw_dir / "customers.parquet")
    values = {name: table[name].to_pylist() for name in ("email", "annual_income", "first_name", "last_name", "city")}
    emails, incomes = values["email"], values["annual_income"]
    emails[3] = "a" * 65 + "@gmail.com"  # a local part over RFC 5321's 64 characters
    emails[4] = "b" * 60 + "@" + "c" * 200 + ".com"  # an address over 254
    emails[5] = "d" * 64 + "@" + "e" * 180 + ".com"  # 253: within both limits
    incomes[1], incomes[2] = "32791", "32,791.50"  # a whole number (as a typed export writes it); a separator
    values["last_name"][6] = "x" * 1_000  # a broken export, not a name (var max_name_length: 100)
    values["last_name"][7] = "Ö" + "ö" * 99  # 100 characters (200 bytes): within the limit
    values["city"][8] = "Bangkok " * 30  # 240 characters, over var max_address_length (200)
    values["first_name"][9] = '=HYPERLINK("http://evil.example","Invoice")'  # a formula, not a name
    values["first_name"][10] = "J0hn"
    values["first_name"][11], values["last_name"][11] = "Zoë Jean-Luc", "O'Brien St. Clair"  # names as they are
    for name, column in values.items():
        table = table.set_column(table.schema.get_field_index(name), name, pa.array(column))
    pq.write_table(table, raw_dir / "customers.parquet")
    assert run_dbt("build", tmp_path, extra_args=MODELS_ONLY).success
    failed = _query(tmp_path / "warehouse.duckdb", "select rule_id, source_row_number from dq_rule_failures "
                                                   "where rule_id similar to '.*(email.format|plausible_.*)' "
                                                   "order by 1, 2")
    assert failed == [("customers.city.plausible_length", 8), ("customers.email.format", 3),
                      ("customers.email.format", 4), ("customers.first_name.plausible_characters", 9),
                      ("customers.first_name.plausible_characters", 10), ("customers.last_name.plausible_length", 6)]
    final = {row: names for row, *names in _query(
        tmp_path / "warehouse.duckdb", "select source_row_number, first_name, last_name from final_customers "
                                       "where source_row_number in (6, 7, 9, 10, 11)")}
    assert {row: final[row][1] for row in (6, 7)} == {6: None, 7: "Ö" + "ö" * 99}, \
        "the overlong name is dropped from the output, the long one kept"
    assert [final[row][0] for row in (9, 10)] == [None, None], "the formula and the digit are dropped"
    assert final[11] == ["Zoë Jean-Luc", "O'Brien St. Clair"]
    audit = pq.read_table(tmp_path / "outputs" / RUN_DATE.isoformat() / "row_audit.parquet").to_pylist()
    repaired = {r["source_row_number"]: r["repaired_columns"] for r in audit}
    assert "annual_income" not in repaired[1], "32791 published as 32791.00 is only formatted"
    assert "annual_income" in repaired[2], "the separator was taken out"


def test_scores_cover_every_level_and_weights(built):
    warehouse = built / "warehouse.duckdb"
    scopes = dict(_query(warehouse, "select scope, count(*) from dq_scores where entity = 'customers' group by scope"))
    assert scopes["overall"] == 1 and scopes["table"] == 1 and scopes["dimension"] == 5
    assert scopes["rule"] == _query(warehouse, "select count(*) from dq_rule_catalog "
                                               "where entity = 'customers'")[0][0] >= 25
    (overall,) = _query(warehouse, "select score from dq_scores where entity = 'customers' and scope = 'overall'")[0]
    assert 0.95 < overall < 1.0
    # No transactions here: their rules are scored as not evaluated, and there is no overall score for them.
    assert _query(warehouse, "select sum(evaluated), count(score) from dq_scores where entity = 'transactions'") == \
        [(0, 0)]


def test_rerunning_a_date_replaces_its_history(built):
    warehouse = built / "warehouse.duckdb"
    count = "select count(*) from dq_rule_results_history where run_date = date '2026-11-23'"
    before = _query(warehouse, count)[0][0]
    history = ["--select", "+dq_rule_results_history", *MODELS_ONLY]
    assert run_dbt("build", built, extra_args=history).success
    assert _query(warehouse, count)[0][0] == before
    generate(built, 3_500, run_date=date(2026, 11, 24))
    assert run_dbt("build", built, {"run_date": "2026-11-24"}, extra_args=history).success
    dates = _query(warehouse, "select run_date, count(*) from dq_rule_results_history group by 1 order by 1")
    assert [d for d, _ in dates] == [date(2026, 11, 23), date(2026, 11, 24)]
    assert dates[0][1] == dates[1][1] == before
    keyed = run_dbt("test", built, {"run_date": "2026-11-24"}, extra_args=["--select", "dq_rule_results_history"])
    assert keyed.success and keyed.tests(), "its primary key (run date, rule) holds after the re-runs"


def test_every_rule_of_the_catalog_is_a_dbt_test(built):
    manifest = json.loads((built / "dbt" / "target" / "manifest.json").read_text())
    tested = {n["test_metadata"]["kwargs"]["rule_id"] for n in manifest["nodes"].values()
              if n["resource_type"] == "test" and n.get("test_metadata", {}).get("name") == "dq_rule"}
    catalog = {r[0] for r in _query(built / "warehouse.duckdb", "select rule_id from dq_rule_catalog")}
    assert tested == catalog


def test_descriptions_are_persisted_as_duckdb_comments(built):
    comments = _query(built / "warehouse.duckdb",
                      "select comment from duckdb_columns() where table_name = 'final_customers' "
                      "and column_name = 'dq_score'")
    assert comments and "rules passed / rules evaluated" in comments[0][0]


def test_dbt_docs_generate_works_before_the_first_build(tmp_path):
    # the README's dbt commands in any order: the catalog of a warehouse never built (no seed loaded
    # yet for the macros that read one at compile time)
    generate(tmp_path, 100)
    assert run_dbt("docs generate", tmp_path).success
    assert (tmp_path / "dbt" / "target" / "catalog.json").exists()


def test_dbt_docs_generate_works_and_every_model_and_column_is_documented(built):
    assert run_dbt("docs generate", built).success
    catalog = json.loads((built / "dbt" / "target" / "catalog.json").read_text())
    manifest = json.loads((built / "dbt" / "target" / "manifest.json").read_text())
    models = {k: v for k, v in manifest["nodes"].items() if v["resource_type"] == "model"}
    assert "model.customer_dq.final_customers" in catalog["nodes"]
    undocumented = [key for key, node in models.items() if not node["description"].strip()]
    for key in models:
        documented = {name for name, c in models[key]["columns"].items() if c["description"].strip()}
        undocumented += [f"{key}.{c}" for c in catalog["nodes"][key]["columns"] if c not in documented]
    assert not undocumented
    # every macro and generic test (dbt_project/macros/_macros.yml), adapter variants aside
    macros = [m for m in manifest["macros"].values() if m["package_name"] == "customer_dq"]
    variants = ("default__", "duckdb__", "spark__")
    assert not [m["name"] for m in macros if not m["name"].startswith(variants) and not m["description"].strip()]


def test_the_project_parses_without_deprecation_warnings(tmp_path):
    # A deprecated construct (e.g. a YAML key given twice, whose first value dbt silently drops)
    # is a warning today and an error in a later dbt: catch it when it is written.
    parse = _dbt_cli("parse", "--no-partial-parse", "--show-all-deprecations", target=tmp_path / "target",
                     env={**os.environ, "CDQ_DATA_DIR": str(tmp_path)})
    assert parse.returncode == 0, parse.stdout + parse.stderr
    assert "Deprecat" not in parse.stdout + parse.stderr, parse.stdout


def test_the_key_test_finds_a_repeated_key_and_a_missing_one(built, tmp_path):
    # tests/generic/primary_key.sql on a text column (found repeated by its hashes first): it must fail on a key
    # given twice and on a NULL key, naming the value and counting each.
    copy = tmp_path / "built"
    shutil.copytree(built, copy)
    with duckdb.connect(str(copy / "warehouse.duckdb")) as db:
        repeated = db.sql("select min(customer_id) from dim_customers").fetchone()[0]
        db.execute("insert into dim_customers select * from dim_customers where customer_id = ?", [repeated])
        db.execute("insert into dim_customers (customer_id) values (null), (null)")
    run = run_dbt("test", copy, extra_args=["--select", "dim_customers,test_name:primary_key"])
    assert [(n.name, n.status, n.failures) for n in run.tests()] == [
        ("primary_key_dim_customers_customer_id", "fail", 2)]
    compiled = next((copy / "dbt" / "target" / "compiled").rglob("primary_key_dim_customers_customer_id.sql"))
    assert "semi join repeated_hashes" in compiled.read_text(), "a text key is found repeated by its hashes"
    assert sorted(_query(copy / "warehouse.duckdb", compiled.read_text()), key=str) == [(repeated, 2), (None, 2)]



def test_a_composite_key_may_not_repeat_or_hold_a_null(built, tmp_path):
    # tests/generic/primary_key.sql: the composite keys' test (e.g. dq_scores_history's run date,
    # entity, scope and name) fails on a repeated key and on a key with a NULL part, and names both.
    copy = tmp_path / "built"
    shutil.copytree(built, copy)
    with duckdb.connect(str(copy / "warehouse.duckdb")) as db:
        entities = db.sql("select count(*) from dq_scores_history where scope = 'overall'").fetchone()[0]
        db.execute("insert into dq_scores_history select * from dq_scores_history where scope = 'overall'")
        db.execute("insert into dq_scores_history select * replace (null as name) from dq_scores_history"
                   " where scope = 'table' limit 1")
    run = run_dbt("test", copy, extra_args=["--select", "dq_scores_history,test_name:primary_key"])
    assert [(n.status, n.failures) for n in run.tests()] == [("fail", entities + 1)]
    compiled = next((copy / "dbt" / "target" / "compiled").rglob("primary_key_dq_scores_history_*.sql"))
    failing = _query(copy / "warehouse.duckdb", compiled.read_text())
    assert sorted((scope, str(name), occurrences) for _, _, scope, name, occurrences in failing) == [
        ("overall", "overall", 2)] * entities + [("table", "None", 1)]


def test_the_not_null_columns_test_names_the_missing_values_of_a_row(built, tmp_path):
    # tests/generic/not_null_columns.sql: fct_transactions' columns a sale cannot be loaded without, in one
    # test; a row missing some fails it, and the failing row names them.
    copy = tmp_path / "built"
    shutil.copytree(built, copy)
    with duckdb.connect(str(copy / "warehouse.duckdb")) as db:
        db.execute("insert into fct_transactions by name select 'T1' as transaction_id, date '2026-11-23' as "
                   "transaction_date, 10.0 as amount, 'USD' as currency")
    run = run_dbt("test", copy, extra_args=["--select", "fct_transactions,test_name:not_null_columns"])
    assert [(n.name, n.status, n.failures) for n in run.tests()] == [("not_null_columns_fct_transactions", "fail", 1)]
    compiled = next((copy / "dbt" / "target" / "compiled").rglob("not_null_columns_fct_transactions.sql"))
    ((null_columns, transaction_id),) = _query(copy / "warehouse.duckdb",
                                               f"select null_columns, transaction_id from ({compiled.read_text()})")
    assert transaction_id == "T1" and null_columns == (
        "fx_units_per_usd, amount_usd, day_of_week, hour_of_day, is_weekend, week_number, month, quarter, "
        "transaction_size, customer_lifetime_value_usd, customer_transaction_count, days_since_first_purchase, "
        "customer_status, product_popularity_rank, category_avg_price_usd")


def test_a_rebuild_replaces_each_published_file_whole(built):
    # A plain `dbt build` writes where the warehouse's views and analysts read: each file is
    # written beside its target and renamed over it (COPY's use_tmp_file, which the published
    # materialization asks for), so an open reader keeps the old file whole.
    target = built / "outputs" / RUN_DATE.isoformat() / "final_customers.parquet"
    with target.open("rb") as reader:
        before, inode = reader.read(), os.fstat(reader.fileno()).st_ino
        rebuilt = run_dbt("build", built, {"run_date": RUN_DATE.isoformat()},
                          extra_args=["--select", "final_customers"])
        assert rebuilt.success
        reader.seek(0)
        assert reader.read() == before
    assert target.stat().st_ino != inode and not list(target.parent.glob("*.tmp"))
    assert pq.read_metadata(target).num_rows > 3_000, "the new file is whole"


def test_a_missing_raw_file_names_the_path(tmp_path):
    with pytest.raises(DbtError, match=r"raw file not found: .*/raw/2026-01-01/customers\.parquet"):
        run_dbt("build", tmp_path, {"run_date": "2026-01-01"})
    with pytest.raises(DbtError, match=r"raw file not found: .*/raw/2026-01-02/customers\.parquet"):
        run_dbt("build", tmp_path, environment={"CDQ_RUN_DATE": "2026-01-02"})  # the date by environment
    with pytest.raises(DbtError, match="CDQ_RUN_DATE must be a date as YYYY-MM-DD, got '01/02/2026'"):
        run_dbt("build", tmp_path, environment={"CDQ_RUN_DATE": "01/02/2026"})


def test_a_run_date_that_is_no_date_is_named_whichever_way_it_is_given(tmp_path):
    generate(tmp_path, 100)
    for given in ("2026/11/20", "20261120", "2026-02-30"):  # a format, no dashes, no such day
        with pytest.raises(DbtError, match=f"var run_date must be a date as YYYY-MM-DD, got '{given}'"):
            run_dbt("build", tmp_path, {"run_date": given})
    with pytest.raises(DbtError, match="CDQ_RUN_DATE must be a date as YYYY-MM-DD, got '2026-13-01'"):
        run_dbt("build", tmp_path, environment={"CDQ_RUN_DATE": "2026-13-01"})


def test_a_test_without_a_date_checks_the_date_the_warehouse_was_built_for(built):
    # a later raw date appears after the build: `dbt test` still tests what the warehouse holds,
    # and leaves its raw views on the built date's files
    later = RUN_DATE + timedelta(days=3)
    try:
        generate(built, 100, run_date=later)
        tested = run_dbt("test", built, extra_args=["--select", "stg_raw__customers"])
        views = _query(built / "warehouse.duckdb",
                       "select sql from duckdb_views() where schema_name = 'raw' and view_name = 'customers'")
    finally:
        shutil.rmtree(built / "raw" / later.isoformat())
    assert tested.success and tested.tests()
    assert f"/raw/{RUN_DATE.isoformat()}/customers.parquet" in views[0][0]


def test_a_data_directory_holding_a_quote_is_refused_by_name(tmp_path):
    data_dir = tmp_path / "o'brien"
    generate(data_dir, 100)
    with pytest.raises(DbtError, match=f"the data directory {data_dir} holds a '"):
        run_dbt("build", data_dir)


def test_a_build_in_a_new_data_directory_says_there_is_no_raw_data_and_where_it_looked(tmp_path):
    # run from another directory than the repository's, without CDQ_DATA_DIR: the default ./data
    # is relative to it, and the message says so
    environment = {k: v for k, v in os.environ.items() if k not in ("CDQ_DATA_DIR", "CDQ_WAREHOUSE")}
    build = _dbt_cli("build", target=tmp_path / "target", env=environment, cwd=tmp_path)
    assert build.returncode != 0
    assert (f"no raw data under {tmp_path}/data/raw (the data directory is ./data of the directory dbt runs in: "
            "run dbt from the repository root, or set CDQ_DATA_DIR): generate some with `just generate`") \
        in build.stdout, build.stdout


def test_a_build_of_a_warehouse_another_process_holds_says_so_in_one_message(built, tmp_path):
    warehouse = built / "warehouse.duckdb"
    holder = subprocess.Popen(  # an analyst's read-only session
        [sys.executable, "-c", f"import duckdb, sys; db = duckdb.connect({str(warehouse)!r}, read_only=True); "
                               "print('open', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        build = _dbt_cli("build", "--select", "stg_raw__customers", target=tmp_path / "target",
                         env={**os.environ, "CDQ_DATA_DIR": str(built)})
    finally:
        holder.communicate("")
    assert build.returncode == 2
    assert f"{warehouse} is open in another process (PID {holder.pid}, python" in build.stdout, build.stdout
    assert "close that session, and run again" in build.stdout and "read-only (`just sql`" not in build.stdout, \
        "opening read-only would not help: the holder already reads only"
    assert "Traceback" not in build.stdout + build.stderr


def test_a_missing_column_is_named(tmp_path):
    raw_dir = generate(tmp_path, 100)
    table = pq.read_table(raw_dir / "customers.parquet").drop_columns(["email"])
    pq.write_table(table, raw_dir / "customers.parquet")
    with pytest.raises(DbtError, match="missing required column.*: email"):
        run_dbt("build", tmp_path)


def test_a_contract_column_stored_twice_is_named(tmp_path):
    raw_dir = generate(tmp_path, 100)
    table = pq.read_table(raw_dir / "customers.parquet")
    # an extra struct with a field of the same name is not a second column: it is drift
    nested = pa.array([{"email": "x", "city": "y"}] * table.num_rows)
    pq.write_table(table.append_column("contact", nested), raw_dir / "customers.parquet")
    assert run_dbt("build", tmp_path, extra_args=["--select", "stg_raw__customers"]).success
    pq.write_table(table.append_column("email", table["email"]), raw_dir / "customers.parquet")
    with pytest.raises(DbtError, match="has contract column.* email more than once"):
        run_dbt("build", tmp_path)


def test_text_a_delivered_file_stores_as_bytes_is_read_as_utf8(tmp_path):
    # Parquet BINARY without the UTF-8 annotation, as some writers store text: a cast to VARCHAR
    # would publish M\xC3\xBCller
    raw_dir = generate(tmp_path, 200)
    table = pq.read_table(raw_dir / "customers.parquet")
    names = ["Müller", "Zoë", *table["last_name"].to_pylist()[2:]]
    column = pa.array([n.encode() if n is not None else None for n in names], pa.binary())
    pq.write_table(table.set_column(table.schema.get_field_index("last_name"), "last_name", column),
                   raw_dir / "customers.parquet")
    assert run_dbt("build", tmp_path, extra_args=["--select", "stg_raw__customers"]).success
    staged = dict(_query(tmp_path / "warehouse.duckdb",
                         "select source_row_number, last_name from stg_raw__customers where source_row_number < 2"))
    assert staged == {0: "Müller", 1: "Zoë"}


def test_extra_columns_are_ignored_and_reported_as_drift(tmp_path):
    raw_dir = generate(tmp_path, 200)
    table = pq.read_table(raw_dir / "customers.parquet")
    table = table.append_column("loyalty_tier", pa.array(["x"] * table.num_rows))
    pq.write_table(table, raw_dir / "customers.parquet")
    assert run_dbt("build", tmp_path, extra_args=MODELS_ONLY).success, "every model ignores the extra column"
    drift = _query(tmp_path / "warehouse.duckdb", "select column_name, change from raw.customers_schema_drift")
    assert drift == [("loyalty_tier", "added")]


def test_an_empty_file_gives_empty_outputs_without_null_rows(tmp_path):
    raw_dir = tmp_path / "raw" / RUN_DATE.isoformat()
    raw_dir.mkdir(parents=True)
    pq.write_table(pa.table({c: pa.array([], pa.string()) for c in RAW_COLUMNS}), raw_dir / "customers.parquet")
    run = run_dbt("build", tmp_path)
    assert run.success, run.problems()
    for name in OUTPUTS:
        assert pq.read_metadata(tmp_path / "outputs" / RUN_DATE.isoformat() / f"{name}.parquet").num_rows == 0
    # no record judged: every customer rule says so, none claims a pass
    assert _query(tmp_path / "warehouse.duckdb", "select distinct status from dq_rule_results "
                                                 "where entity = 'customers'") == [("not_evaluated",)]


def test_a_build_that_spills_to_disk_completes(tmp_path, monkeypatch):
    """A build larger than DuckDB's memory_limit spills to <data_dir>/.duckdb_spill and carries on.
    (The engine settings are given once, when dbt opens the database: given again to every new
    cursor, DuckDB refused to switch the temp directory after a spill and the build failed.)"""
    generate(tmp_path, 50_000)
    monkeypatch.setenv("CDQ_DUCKDB_MEMORY_LIMIT", "150MB")
    run = run_dbt("build", tmp_path, {"run_date": RUN_DATE.isoformat()},
                  extra_args=["--exclude-resource-type", "unit_test"])
    assert run.success, run.problems()


def test_a_relative_data_directory_is_stored_as_an_absolute_path(tmp_path):
    # Plain `dbt build` from the repo root uses ./data: the views over its files must still work when
    # the warehouse is opened from anywhere else.
    generate(tmp_path / "data", 200)
    env = {k: v for k, v in os.environ.items() if k not in ("CDQ_DATA_DIR", "CDQ_WAREHOUSE")}
    run = _dbt_cli("run", "--select", "stg_raw__customers", target=tmp_path / "target", env=env, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    (definition,) = _query(warehouse, "select sql from duckdb_views() where schema_name = 'raw' "
                                      "and view_name = 'customers'")[0]
    assert f"'{tmp_path}/data/raw/" in definition, definition
    assert _query(warehouse, "select count(*) from stg_raw__customers") == [(200,)]
