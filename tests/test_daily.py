"""The daily runner end to end: real generator, real dbt and DuckDB, real files and processes."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from email import policy
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from orchestration.daily import (
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_QUALITY,
    EXIT_STEP_FAILED,
    DailyOptions,
    run_daily,
)
from orchestration.ingest import ingest
from orchestration.report import render_html, validate_report
from tests.conftest import database_held_open, run_lock_held

DAY = date(2026, 11, 23)


def _options(data_dir: Path, **overrides) -> DailyOptions:
    return DailyOptions(data_dir=data_dir, run_date=overrides.pop("run_date", DAY), retry_delay=0, **overrides)


def _reports(data_dir: Path, prefix: str, suffix: str = "") -> list[Path]:
    return sorted((data_dir / "reports").glob(f"{prefix}_*{suffix}"))


def _query(data_dir: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as db:
        return db.execute(sql).fetchall()


def _published(data_dir: Path) -> dict[str, bytes]:
    out = data_dir / "outputs" / DAY.isoformat()
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.parquet"))}


def _last_dbt_log(data_dir: Path) -> str:
    """What the last dbt invocation of the data directory's runs logged (at debug level, which
    says how dbt parsed: DBT_LOG_LEVEL_FILE=debug)."""
    log = (data_dir / "dbt" / "logs" / "dbt.log").read_text()
    return log[log.rindex("running dbt with arguments"):]


def _generated_csv(tmp_path: Path, name: str, rows: int, select: str = "*", limit: str = "") -> Path:
    """A CSV of `rows` generated customers (`select` over them, `limit` a LIMIT clause), as a user supplies one."""
    from tests.conftest import generate

    raw = generate(tmp_path / "source", rows)
    csv = tmp_path / name
    duckdb.execute(f"copy (select {select} from read_parquet('{raw}/customers.parquet') {limit}) to '{csv}' (header)")
    return csv


def _daily_process(data_dir: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "orchestration", "daily", DAY.isoformat(), "--data-dir",
                             str(data_dir), "--rows", "1000", "--transactions", "2000", "--retries", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for_build(data_dir: Path, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not any((data_dir / "work").glob("*/warehouse.duckdb*")) and time.monotonic() < deadline:
        time.sleep(0.05)  # the run has copied the live warehouse and dbt is building its copy


def _planted(path: Path) -> Path:
    """A file in the data directory as an earlier run (or its user) left it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("planted")
    return path


def _failed_logs(data_dir: Path) -> set[Path]:
    return set((data_dir / "logs").glob("failed_*.json"))


def _new_failure(data_dir: Path, before: set[Path]) -> dict:
    """The failure log of the one run that failed since `before` was listed (_failed_logs), in a
    data directory shared by several tests, which keeps the earlier ones' failure logs."""
    (path,) = _failed_logs(data_dir) - before
    return json.loads(path.read_text())


def _failure(data_dir: Path) -> dict:
    (path,) = (data_dir / "logs").glob("failed_*.json")
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def first_run(tmp_path_factory) -> Path:
    """One data directory shared by the tests that use it, in file order: each adds its runs to
    what the earlier ones left (a daily run costs ~15 s of dbt whatever the data size), so they
    compare before and after rather than start from a fresh directory."""
    data_dir = tmp_path_factory.mktemp("daily")
    assert run_daily(_options(data_dir)) == EXIT_OK
    return data_dir


def test_a_fresh_data_directory_gets_a_finished_run(first_run):
    assert set(_published(first_run)) == {"cleaned_customers.parquet", "final_customers.parquet",
                                          "quarantined_customers.parquet", "row_audit.parquet",
                                          "validated_transactions.parquet", "quarantined_transactions.parquet"}
    (report_path,) = _reports(first_run, "dq_report", ".json")
    report = json.loads(report_path.read_text())
    validate_report(report)
    (page,) = _reports(first_run, "dq_report", ".html")
    html = page.read_text()
    assert str(page) == report["outputs"]["html"] and all(rule["rule_id"] in html for rule in report["rules"])
    assert "Raw customers: customers.parquet, 3,500 rows" in html and "<td>annual_income</td>" in html
    assert "No earlier successful run to compare with." in html
    assert not any(tag in html for tag in ("<script", "<img", "<link", "src=", "url(")), "self-contained"
    # a raw file's column names and shapes reach the page: escaped, never markup
    report["raw_profile"]["columns"]["<b>tier</b>"] = report["raw_profile"]["columns"]["email"]
    escaped = render_html(report, [])
    assert "<td>&lt;b&gt;tier&lt;/b&gt;</td>" in escaped and "<b>tier" not in escaped
    assert report["run"]["status"] == "success" and report["gate"]["passed"]
    assert report["counts"]["raw"] == 3_500
    assert {s["name"] for s in report["steps"]} >= {"generate", "profile", "dbt_build", "export_csv"}
    assert {t["severity"] for t in report["tests"]} == {"error", "warn"}, "each test's severity, from the manifest"
    names = [t["name"] for t in report["tests"]]
    assert names == sorted(names), "one order, whatever order dbt ran them in: re-runs' reports compare line by line"
    (summary_path,) = sorted((first_run / "logs").glob("etl_*.json"))
    assert json.loads(summary_path.read_text())["status"] == "success"
    assert report["raw_profile"]["columns"], "the raw profile is in the report"
    (csv,) = _reports(first_run, "cleaned_customers")
    assert csv.read_text().count("\n") == report["counts"]["cleaned"] + 1
    (anomalies,) = _reports(first_run, "transaction_anomalies")
    # in a set order, so the same outputs give the same files (DuckDB's Parquet rows come in none)
    rows = duckdb.sql(f"select source_row_number from read_csv('{csv}')").fetchall()
    assert rows == sorted(rows) and len(rows) > 3_000
    keys = duckdb.sql(f"select transaction_id, source_date, source_row_number from read_csv('{anomalies}')").fetchall()
    assert keys == sorted(keys) and keys
    shared = [path for path in (first_run, *first_run.rglob("*"))
              if not path.is_symlink() and path.stat().st_mode & 0o077]
    assert not shared, f"what a run writes holds personal data: owner only ({shared[:3]})"
    assert _query(first_run, "select status, rows_raw from runs") == [("success", 3_500)]
    assert not any((first_run / "work").iterdir()), "temporary files are deleted"


def test_the_published_marts_are_queryable_in_the_warehouse_after_the_run(first_run):
    """The marts' warehouse views read the published files, not the deleted staging copies."""
    out = first_run / "outputs" / DAY.isoformat()
    for name in ("final_customers", "cleaned_customers", "row_audit", "validated_transactions"):
        (sql,) = _query(first_run, f"select sql from duckdb_views() where view_name = '{name}'")[0]
        assert str(out / f"{name}.parquet") in sql
        rows = pq.read_metadata(out / f"{name}.parquet").num_rows
        assert _query(first_run, f"select count(*) from {name}") == [(rows,)]
    # the documentation persisted into the warehouse survives the re-pointing
    ((comment,),) = _query(first_run, "select comment from duckdb_views() where view_name = 'final_customers'")
    assert comment.startswith("The clean customers")
    ((column_comment,),) = _query(first_run, "select comment from duckdb_columns() "
                                             "where table_name = 'final_customers' and column_name = 'dq_score'")
    assert column_comment
    # and every relation an analyst meets says what it is: models, seeds, the raw sources, runs
    # (dbt's stored test failures aside: a test's name says what it stored)
    undocumented = _query(first_run, """
        select schema_name || '.' || table_name from duckdb_tables() where not internal and comment is null
        union all
        select schema_name || '.' || view_name from duckdb_views() where not internal and comment is null""")
    assert [name for (name,) in undocumented if not name.startswith("test_failures.")] == []
    assert _query(first_run, "select count(*) from duckdb_columns() where comment is null and "
                             "(table_name in ('runs', 'transactions', 'ref_countries') or schema_name = 'reference')") \
        == [(0,)]


def test_a_very_dirty_input_trips_the_gate_and_keeps_the_last_good_outputs(first_run):
    before = _published(first_run)
    raw_dir = first_run / "raw" / DAY.isoformat()
    raw_before = {p.name: p.read_bytes() for p in raw_dir.iterdir()}
    old_export = _planted(first_run / "reports" / "cleaned_customers_20200101_000000.csv")
    assert run_daily(_options(first_run, defect_rate=0.5, retention_days=1)) == EXIT_QUALITY
    assert old_export.exists(), "a failed run removes no earlier run's files, however old (--retention-days)"
    old_export.unlink()
    assert _published(first_run) == before, "nothing was published"
    assert {p.name: p.read_bytes() for p in raw_dir.iterdir()} == raw_before, \
        "the raw files the warehouse reads are put back as they were"
    report = json.loads(_reports(first_run, "dq_report", ".json")[-1].read_text())
    validate_report(report)
    assert report["run"]["status"] == "failed_quality" and not report["outputs"]["published"]
    assert any("fail at least one rule" in reason for reason in report["gate"]["reasons"])
    # the reason names the rules failed most, with their counts, as the report's rules give them
    top = max((r for r in report["rules"] if r["failed"]), key=lambda r: (r["failed"], r["rule_id"][::-1]))
    assert any(f"most failed: {top['rule_id']} ({top['failed']:,})" in r for r in report["gate"]["reasons"])
    assert _query(first_run, "select status, exit_code from runs") == [("success", 0)], \
        "the runs table keeps the run whose outputs are still published"
    # the history keeps the last good run's scores
    assert _query(first_run, "select count(distinct run_date) from dq_scores_history") == [(1,)]


def test_the_report_compares_with_the_previous_run_and_an_analysts_open_read_only_shell_does_not_break_it(
        first_run, monkeypatch):
    # One run for both: the analyst's shell only reads the live warehouse, which the run copies and
    # then replaces; the report's comparison reads the history that replacement carries.
    duckdb_cli = Path(sys.executable).with_name("duckdb")
    # --retention-days 30: files of runs over 30 days old go (they hold PII), the others stay
    kept = [*first_run.glob("reports/*"), _planted(first_run / "reports" / "notes.txt")]  # no run stamp: not ours
    old = [_planted(first_run / "reports" / "cleaned_customers_20200101_000000.csv"),
           _planted(first_run / "outbox" / "dq_report_20200101_000000.eml"),
           _planted(first_run / "outbox" / "sent" / "dq_report_20200102_000000.eml")]  # sent by send-outbox
    analyst = subprocess.Popen([str(duckdb_cli), "-readonly", str(first_run / "warehouse.duckdb")],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        analyst.stdin.write("select 'open', count(*) from cleaned_customers;\n")
        analyst.stdin.flush()
        assert "open" in analyst.stdout.readline() + analyst.stdout.readline() + analyst.stdout.readline()
        monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "debug")  # to read how dbt parsed
        assert run_daily(_options(first_run, run_date=date(2026, 11, 24), retention_days=30)) == EXIT_OK
    finally:
        analyst.stdin.close()
        analyst.wait(timeout=30)
    assert analyst.returncode == 0
    assert not any(path.exists() for path in old) and all(path.exists() for path in kept)
    summary = json.loads(sorted((first_run / "logs").glob("etl_*.json"))[-1].read_text())
    assert summary["retention"] == {"days": 30, "removed": [str(path) for path in old]}
    report = json.loads(_reports(first_run, "dq_report", ".json")[-1].read_text())
    assert report["change"]["previous_run_date"] == "2026-11-23"
    assert report["change"]["counts"]["raw"]["delta"] == 0
    assert _query(first_run, "select count(distinct run_date) from dq_scores_history") == [(2,)]
    assert report["drift"] == {"previous_run_date": "2026-11-23", "max_share_change": 0.05, "findings": []}, \
        "a healthy feed raises no drift"
    assert report["score_anomalies"] is None, "one earlier run is too short a history to judge scores by"
    assert "Partial parsing enabled, no changes found" in _last_dbt_log(first_run), \
        "a new date does not make dbt parse the whole project again"
    html = Path(report["outputs"]["html"]).read_text()
    assert "<tr><td>2026-11-23</td><td align=\"right\">3,500</td>" in html and "2026-11-24 (this run)" in html, \
        "the page shows the score trend"
    assert html.count("<svg") == 2 and f"<title>2026-11-24 (this run): {report['scores']['overall']:.3f}</title>" \
        in html, "charts of the score and the raw volume, this run's point last"


def test_a_changed_feed_is_reported_as_drift(first_run, tmp_path):
    # seed 004: the source starts leaving a third of the e-mails empty and writes dates as 1987/03/25
    changed = _generated_csv(tmp_path, "changed_feed.csv", 3_500, select=(
        "* replace (case when hash(customer_id) % 3 = 0 then '' else email end as email, "
        "replace(date_of_birth, '-', '/') as date_of_birth)"))
    ((previous,),) = _query(first_run, "select max(run_date)::varchar from runs where status = 'success'")
    run_daily(_options(first_run, run_date=date(2026, 11, 26), input=changed))  # the rules judge it; drift informs
    report = json.loads(_reports(first_run, "dq_report", ".json")[-1].read_text())
    validate_report(report)
    drift = report["drift"]
    assert drift["previous_run_date"] == previous
    moved = {(f["file"], f["column"], f["share"]): f for f in drift["findings"]}
    assert set(moved) == {("customers.parquet", "email", "null_rate"),
                          ("customers.parquet", "date_of_birth", "date_share")}
    emails = moved[("customers.parquet", "email", "null_rate")]
    births = moved[("customers.parquet", "date_of_birth", "date_share")]
    assert 0.25 < emails["change"] < 0.4 and births["current"] < 0.5 < births["previous"]
    ((stored,),) = _query(first_run, "select raw_profiles->'customers.parquet'->'columns'->'email'->>'null_rate' "
                                     f"from runs where run_date = date '{previous}'")
    assert float(stored) == emails["previous"], "each run's profiles are kept in the runs table"
    summary = json.loads(sorted((first_run / "logs").glob("etl_*.json"))[-1].read_text())
    assert any(w.startswith("drift: customers.parquet column email: null_rate") for w in summary["warnings"])
    message = email.message_from_bytes(sorted((first_run / "outbox").glob("dq_report_*.eml"))[-1].read_bytes(),
                                       policy=policy.default)
    text, html = (message.get_body((kind,)).get_content() for kind in ("plain", "html"))
    assert f"DRIFT SINCE {previous}" in text and "customers.parquet email: null_rate" in text
    assert f"Drift since {previous}" in html and "<td>date_of_birth</td><td>date_share</td>" in html


def test_a_run_that_fails_before_publishing_changes_nothing(first_run):
    # Another process holding the live warehouse open for writing: the run cannot read its last
    # run. That must stop it before it publishes anything, not after.
    # It starts from the good runs the earlier tests left (no fresh run of its own): what it must
    # not change is compared before and after.
    before = _published(first_run)
    runs_before = _query(first_run, "select * from runs")
    failures_before = _failed_logs(first_run)
    with database_held_open(first_run / "warehouse.duckdb") as holder:
        run = _daily_process(first_run)
        output = run.communicate(timeout=300)[0]
    assert run.returncode == EXIT_STEP_FAILED, output
    assert f"warehouse.duckdb is open for writing in another process (PID {holder.pid}, " in output, \
        "the error names the other process and says what to do"
    failure = _new_failure(first_run, failures_before)
    # the first step to read the live warehouse: the last run, which the volume check compares with;
    # it comes before the build, which would take minutes at scale
    assert failure["step"] == "read_last_run" and not failure["partial_results"]["published"]
    assert "dbt_build" not in [step["name"] for step in failure["completed_steps"]]
    assert _published(first_run) == before
    assert _query(first_run, "select * from runs") == runs_before


def test_an_empty_extract_after_a_good_run_is_stopped_by_the_volume_check_and_rerunning_a_date_replaces_its_history(
        first_run, tmp_path, capsys):
    # The last test on first_run: the empty day it leaves needs no run to put the generated one
    # back. Its reference is still first_run's day: the volume check compares a re-run date with
    # the run published for it, and the later dates' runs are after it.
    before = _published(first_run)
    empty = _generated_csv(tmp_path, "header_only.csv", 100, limit="limit 0")
    capsys.readouterr()
    assert run_daily(_options(first_run, input=empty)) == EXIT_QUALITY
    out = capsys.readouterr().out
    assert "outputs: not published" in out and "failing rows:" not in out, "no rule stopped the run: the volume did"
    assert _published(first_run) == before, "the good day's outputs stay"
    report = json.loads(_reports(first_run, "dq_report", ".json")[-1].read_text())
    validate_report(report)
    assert report["gate"]["volume_reference"] == {"run_date": DAY.isoformat(), "rows_raw": 3_500}
    assert ("0 raw customer rows, 100.0% fewer than the 3,500 of the last successful run (2026-11-23; at most 50% "
            "fewer allowed: --max-volume-drop)") in report["gate"]["reasons"]
    assert run_daily(_options(first_run, input=empty, max_volume_drop=1)) == EXIT_OK, "1 turns the check off"
    assert all(pq.read_metadata(first_run / "outputs" / DAY.isoformat() / name).num_rows == 0
               for name in before if "customers" in name)
    # That run reran first_run's date, whose history was recorded: it replaces it. The empty day
    # still records a row for every rule (a customer rule's says not_evaluated), so a row kept from
    # the first run would be a second one. Later dates are in the history by now: hence the date.
    counts = _query(first_run, "select count(*), count(distinct rule_id) from dq_rule_results_history "
                               f"where run_date = '{DAY}'")
    assert counts[0][0] == counts[0][1] > 0, "one row per rule for the date, not two"
    assert _query(first_run, f"select count(*) from runs where run_date = '{DAY}'") == [(1,)]


def test_a_folder_the_run_cannot_write_into_is_reported_at_once(tmp_path):
    (tmp_path / "reports").write_text("a file where the reports directory should be")
    assert run_daily(_options(tmp_path, retries=1)) == EXIT_STEP_FAILED
    (failure_path,) = sorted((tmp_path / "logs").glob("failed_*.json"))
    failure = json.loads(failure_path.read_text())
    assert failure["step"] == "configure" and failure["attempts"] == 1, "found before any work, and not retried"
    assert f"{tmp_path / 'reports'} is not a folder" in failure["error"]
    assert not any((tmp_path / "work").iterdir()), "temporary files are deleted after a failure too"


def test_a_user_supplied_csv_with_extra_columns_kept_under_the_work_directory_runs_and_is_reported_as_drift(
        tmp_path, capsys):
    """Three behaviours of one --input run (none bears on another; a run costs ~15 s of dbt): the
    CSV runs and is never modified; its extra column is reported as schema drift; kept under the
    work directory, it and a user's folders there are not taken for a run's leftovers."""
    data_dir = tmp_path / "data"
    inbox = data_dir / "work" / "inbox"
    inbox.mkdir(parents=True)
    (data_dir / "work" / ".build").mkdir()  # a user's folder where the runner keeps its link to the running run
    (data_dir / "work" / ".build" / "notes.txt").write_text("mine")
    csv = _generated_csv(tmp_path, "customers.csv", 1_000, select="*, 'gold' as loyalty_tier")
    csv = csv.rename(inbox / csv.name)
    before = (csv.read_bytes(), csv.stat().st_mtime_ns)
    assert run_daily(_options(data_dir, input=csv)) == EXIT_OK
    assert (csv.read_bytes(), csv.stat().st_mtime_ns) == before, "the input is never modified"
    report = json.loads(_reports(data_dir, "dq_report", ".json")[-1].read_text())
    assert report["run"]["source"]["kind"] == "input" and report["counts"]["raw"] == 1_000
    assert report["run"]["source"]["extra_columns"] == ["loyalty_tier"]
    assert "schema drift" in capsys.readouterr().out
    (summary,) = (data_dir / "logs").glob("etl_*.json")
    assert any("loyalty_tier" in w for w in json.loads(summary.read_text())["warnings"])
    assert csv.exists() and sorted(p.name for p in (data_dir / "work").iterdir()) == [".build", "inbox"]
    assert (data_dir / "work" / ".build").is_dir(), "not replaced by the link"


def test_an_empty_input_completes_with_zero_rows(tmp_path, capsys):
    csv = _generated_csv(tmp_path, "empty.csv", 100, limit="limit 0")
    data_dir = tmp_path / "data"
    assert run_daily(_options(data_dir, input=csv)) == EXIT_OK
    assert "  scores: overall n/a (no records)\n" in capsys.readouterr().out
    outputs = sorted((data_dir / "outputs" / DAY.isoformat()).glob("*.parquet"))
    assert outputs and all(pq.read_metadata(p).num_rows == 0 for p in outputs), "no placeholder row anywhere"
    (summary,) = (data_dir / "logs").glob("etl_*.json")
    summary = json.loads(summary.read_text())
    assert summary["records_processed"]["customers"] == 0
    assert f"the raw customers file of {DAY} has no rows: nothing was judged, and the day's outputs are empty" \
        in summary["warnings"], "a pass on nothing is said"


def test_a_run_date_in_the_future_is_warned_about(tmp_path, first_run, monkeypatch):
    # generated data judged against that date passes the gate; the date is only warned about
    future = date.today() + timedelta(days=30)
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "debug")  # to read how dbt parsed
    assert run_daily(_options(tmp_path, run_date=future, rows=300, transactions=500)) == EXIT_OK
    (summary,) = (tmp_path / "logs").glob("etl_*.json")
    assert any(f"run date {future} is in the future" in w for w in json.loads(summary.read_text())["warnings"])
    # a new data directory starts from the parse of an earlier run's (first_run's)
    assert "Partial parsing enabled" in _last_dbt_log(tmp_path) and "Starting full parse" not in _last_dbt_log(tmp_path)


def test_the_parse_cache_keeps_the_most_recently_used_only(tmp_path, monkeypatch):
    # every checkout, vars and settings get their own cached parse: clones and ad hoc vars must
    # not fill the home folder for ever
    from orchestration.dbt import PARSE_CACHE_KEPT, run_dbt
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "customer-dq"
    folder.mkdir(parents=True)
    old = [folder / f"partial_parse.msgpack.{n:016x}" for n in range(PARSE_CACHE_KEPT + 4)]
    for age, path in enumerate(reversed(old), start=1):
        path.write_bytes(b"another checkout's parse")
        os.utime(path, (time.time() - 3600 * age,) * 2)
    unrelated = folder / "notes.txt"
    unrelated.write_text("not a parse")
    assert run_dbt("parse", tmp_path / "data").success
    kept = set(folder.glob("partial_parse.msgpack.*"))
    assert len(kept) == PARSE_CACHE_KEPT and not kept & set(old[:5]), "the least recently used went"
    assert set(old[5:]) < kept and unrelated.exists()


def test_a_delivered_raw_file_is_processed_not_generated_over(tmp_path, capsys):
    from seeds_gen.files import sha256_of
    from tests.conftest import generate

    source = generate(tmp_path / "source", 300)
    raw = tmp_path / "data" / "raw" / DAY.isoformat() / "customers.parquet"
    raw.parent.mkdir(parents=True)
    raw.write_bytes((source / "customers.parquet").read_bytes())  # as a source system delivers it
    digest = sha256_of(raw)
    assert run_daily(_options(tmp_path / "data")) == EXIT_OK
    assert sha256_of(raw) == digest, "the delivered file is never replaced"
    assert f"processing {raw} as it is (it was not generated here" in capsys.readouterr().out
    report = json.loads(_reports(tmp_path / "data", "dq_report", ".json")[-1].read_text())
    assert report["run"]["source"]["kind"] == "input" and report["counts"]["raw"] == 300


def test_a_delivered_raw_file_with_extra_and_typed_columns_is_warned_about(tmp_path, capsys):
    from tests.conftest import generate

    source = generate(tmp_path / "source", 300)
    raw = tmp_path / "data" / "raw" / DAY.isoformat() / "customers.parquet"
    raw.parent.mkdir(parents=True)
    # births exported as timestamps (a midnight export of a DATE) and as instants: read as their
    # dates, as --input reads them. Signup dates that no format fits: the rules comparing them
    # judge nothing (and so many records fail the date's format that the gate stops the run).
    duckdb.execute(f"copy (select * replace (try_cast(annual_income as double) as annual_income, "
                   f"cast(try_cast(date_of_birth as date) as timestamp) as date_of_birth, "
                   f"cast(try_cast(last_purchase_date as date) as timestamptz) as last_purchase_date, "
                   f"'some day' as signup_date), "
                   f"'gold' as loyalty_tier from read_parquet('{source}/customers.parquet')) to '{raw}'")
    assert run_daily(_options(tmp_path / "data", keep_temp=True)) == EXIT_QUALITY
    report = json.loads(_reports(tmp_path / "data", "dq_report", ".json")[-1].read_text())
    assert report["run"]["source"]["extra_columns"] == ["loyalty_tier"]
    rules = {rule["rule_id"]: rule for rule in report["rules"]}
    for dates in ("date_of_birth", "last_purchase_date"):
        assert rules[f"customers.{dates}.parsable"]["failed"] == 0, f"every {dates} parses"
    (kept,) = (tmp_path / "data" / "work").glob(f"{DAY}_*")  # --keep-temp: the failed run's own warehouse
    with duckdb.connect(str(kept / "warehouse.duckdb"), read_only=True) as built:
        differ = built.execute(
            "select count(*) from stg_raw__customers staged join read_parquet($source) generated using (customer_id) "
            "where staged.date_of_birth is distinct from try_cast(generated.date_of_birth as date) "
            "or staged.last_purchase_date is distinct from try_cast(generated.last_purchase_date as date)",
            {"source": f"{source}/customers.parquet"}).fetchone()[0]
    assert differ == 0, "each is read as the date it was exported from"
    assert rules["customers.date_of_birth.not_in_future"]["evaluated"] > 250, "and is judged"
    (summary,) = (tmp_path / "data" / "logs").glob("etl_*.json")
    warnings = json.loads(summary.read_text())["warnings"]
    assert any("schema drift" in w and "loyalty_tier" in w for w in warnings)
    assert f"{raw} has typed columns, read as text as --input reads them (a timestamp in a date column as its " \
           "date): date_of_birth (timestamp[us]), annual_income (double), " \
           "last_purchase_date (timestamp[us, tz=UTC])" in warnings
    (unjudged,) = [w for w in warnings if "judged no record" in w]
    assert "customers.signup_date.after_birth" in unjudged and "of 300" in unjudged
    printed = capsys.readouterr().out
    assert "consistency n/a (not judged), timeliness" in printed, "named, not left out"
    (warned,) = [line for line in printed.splitlines() if "dbt test(s) warned: " in line]
    assert "dq_rule__customers__signup_date__parsable" in warned, "warned tests are printed too, on one line"


def test_a_delivered_raw_file_that_is_not_parquet_is_named_and_not_retried(tmp_path):
    raw = tmp_path / "raw" / DAY.isoformat() / "customers.parquet"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(b"")  # a transfer that failed half-way
    # retry_delay 300: an input problem is reported at once, not retried
    assert run_daily(DailyOptions(tmp_path, DAY, retries=1, retry_delay=300)) == EXIT_STEP_FAILED
    failure = _failure(tmp_path)
    assert failure["step"] == "check_delivered" and failure["attempts"] == 1
    assert f"{raw}: not a readable Parquet file" in failure["error"]
    assert raw.read_bytes() == b"", "the delivered file is left as it was"


def test_a_delivered_csv_is_not_generated_over(tmp_path):
    raw = tmp_path / "raw" / DAY.isoformat() / "customers.csv"
    raw.parent.mkdir(parents=True)
    raw.write_text("customer_id\nC1\n")
    assert run_daily(_options(tmp_path)) == EXIT_STEP_FAILED
    failure = _failure(tmp_path)
    assert failure["step"] == "check_delivered" and f"ingest it with --input {raw}" in failure["error"]
    assert [p.name for p in raw.parent.iterdir()] == ["customers.csv"], "nothing generated beside it"


def test_a_day_with_a_delivered_transactions_file_is_not_generated(tmp_path):
    # the customers are late, the transactions came: made-up customers must not take their place
    sales = tmp_path / "raw" / DAY.isoformat() / "transactions.parquet"
    sales.parent.mkdir(parents=True)
    duckdb.execute(f"copy (select 'T1' as transaction_id) to '{sales}'")
    delivered = sales.read_bytes()
    assert run_daily(DailyOptions(tmp_path, DAY, retries=1, retry_delay=300)) == EXIT_STEP_FAILED
    failure = _failure(tmp_path)
    assert failure["step"] == "generate" and failure["attempts"] == 1
    assert f"{sales} was not generated here, and generating the day's data would write over it" in failure["error"]
    assert sales.read_bytes() == delivered and [p.name for p in sales.parent.iterdir()] == ["transactions.parquet"]


def test_an_ingested_customers_file_that_is_gone_is_not_replaced_by_generated_ones(tmp_path):
    source = _generated_csv(tmp_path, "export.csv", 100)
    data_dir = tmp_path / "data"
    raw = data_dir / "raw" / DAY.isoformat() / "customers.parquet"
    ingest(source, raw.parent)
    raw.unlink()  # lost after the --input run
    assert run_daily(DailyOptions(data_dir, DAY, retry_delay=0)) == EXIT_STEP_FAILED
    assert (f"raw file not found: {raw}, which {raw.parent / '_manifest.json'} says was ingested from {source}"
            in _failure(data_dir)["error"])
    assert not raw.exists()


def test_no_generate_waits_for_a_late_delivery_then_names_the_missing_file(tmp_path, capsys):
    assert run_daily(DailyOptions(tmp_path, DAY, retries=1, retry_delay=0, generate=False)) == EXIT_STEP_FAILED
    failure = _failure(tmp_path)
    raw = tmp_path / "raw" / DAY.isoformat() / "customers.parquet"
    assert failure["step"] == "check_delivered" and failure["attempts"] == 2, "looked again after --retry-delay"
    assert f"raw file not found: {raw} (--no-generate: nothing is generated in its place)" in failure["error"]
    assert not raw.parent.exists() or not any(raw.parent.iterdir())


def test_no_generate_waits_for_a_delivery_still_being_written(tmp_path):
    # a source copying the file in place: half of it at the first look, all of it by the second
    from tests.conftest import generate
    whole = (generate(tmp_path / "source", 500) / "customers.parquet").read_bytes()
    raw = tmp_path / "data" / "raw" / DAY.isoformat() / "customers.parquet"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(whole[: len(whole) // 2])
    looks = []

    def finish_the_copy(seconds: float) -> None:  # the runner's wait between attempts
        looks.append(seconds)
        raw.write_bytes(whole)

    options = DailyOptions(tmp_path / "data", DAY, retries=2, retry_delay=1, generate=False, transactions=500)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("orchestration.daily.Run._wait", lambda self, seconds: finish_the_copy(seconds))
        assert run_daily(options) == EXIT_OK
    assert looks == [1], "looked again once, after --retry-delay"


def test_a_delivery_the_run_waited_for_stays_when_the_run_fails(tmp_path):
    from tests.conftest import generate
    customers = (generate(tmp_path / "source", 500) / "customers.parquet").read_bytes()
    raw = tmp_path / "data" / "raw" / DAY.isoformat()
    sales = raw / "transactions.parquet"

    def deliver(_seconds: float) -> None:  # the source delivers while the runner waits, a broken sales file too
        raw.mkdir(parents=True)
        (raw / "customers.parquet").write_bytes(customers)
        duckdb.execute(f"copy (select 'T1' as transaction_id) to '{sales}'")

    options = DailyOptions(tmp_path / "data", DAY, retries=1, retry_delay=1, generate=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("orchestration.daily.Run._wait", lambda self, seconds: deliver(seconds))
        assert run_daily(options) == EXIT_STEP_FAILED
    assert _failure(tmp_path / "data")["step"] == "dbt_build"
    assert sorted(path.name for path in raw.iterdir()) == ["customers.parquet", "transactions.parquet"], \
        "the source's files are not the run's to take back"
    assert (raw / "customers.parquet").read_bytes() == customers

def test_no_generate_names_a_delivery_that_stays_unreadable(tmp_path):
    raw = tmp_path / "raw" / DAY.isoformat() / "customers.parquet"
    raw.parent.mkdir(parents=True)
    raw.write_bytes(b"PAR1 and then nothing")
    assert run_daily(DailyOptions(tmp_path, DAY, retries=1, retry_delay=0, generate=False)) == EXIT_STEP_FAILED
    failure = _failure(tmp_path)
    assert failure["step"] == "check_delivered" and failure["attempts"] == 2
    assert f"{raw}: not a readable Parquet file" in failure["error"] and "still being written" in failure["error"]
    assert raw.read_bytes() == b"PAR1 and then nothing", "never written over"


def test_a_transactions_file_breaking_its_contract_is_named_and_not_retried(tmp_path):
    # a file of the load window's earlier day: every run whose window holds it stops, at once
    earlier = tmp_path / "raw" / (DAY - timedelta(days=1)).isoformat() / "transactions.parquet"
    earlier.parent.mkdir(parents=True)
    duckdb.execute(f"copy (select 'T1' as transaction_id) to '{earlier}'")
    assert run_daily(DailyOptions(tmp_path, DAY, rows=300, transactions=500, retries=1, retry_delay=300)) \
        == EXIT_STEP_FAILED
    failure = _failure(tmp_path)
    assert failure["step"] == "dbt_build" and failure["attempts"] == 1
    assert f"raw file {earlier} is missing required column(s): customer_id, product_id" in failure["error"]


SECOND_FILE_SYSTEM = Path("/dev/shm")


@pytest.mark.skipif(not SECOND_FILE_SYSTEM.is_dir()
                    or SECOND_FILE_SYSTEM.stat().st_dev == Path(tempfile.gettempdir()).stat().st_dev,
                    reason="needs a second file system: /dev/shm")
def test_a_warehouse_on_another_file_system_is_refused_before_any_work(tmp_path, monkeypatch):
    # published by a rename from work/, which cannot cross file systems: said at once, not after the build
    with tempfile.TemporaryDirectory(dir=SECOND_FILE_SYSTEM) as elsewhere:
        monkeypatch.setenv("CDQ_WAREHOUSE", f"{elsewhere}/warehouse.duckdb")
        assert run_daily(_options(tmp_path, retries=1)) == EXIT_STEP_FAILED
        failure = _failure(tmp_path)
        assert failure["step"] == "configure" and failure["attempts"] == 1
        assert f"the warehouse (CDQ_WAREHOUSE) at {elsewhere} is on another mount" in failure["error"]
        assert not (tmp_path / "raw").exists() and not list(Path(elsewhere).iterdir())


def test_just_daily_reads_relative_paths_from_where_it_is_called(tmp_path):
    # just runs recipes from the repo; a user's relative --input and CDQ_DATA_DIR are theirs
    from tests.conftest import JUST, with_venv_on_path
    _generated_csv(tmp_path, "mine.csv", 300)
    (tmp_path / "sub").mkdir()
    run = subprocess.run([*JUST, "daily", DAY.isoformat(), "--input", "../mine.csv", "--transactions", "500",
                          "--retries", "0"], cwd=tmp_path / "sub", capture_output=True, text=True, timeout=300,
                         env=with_venv_on_path({**os.environ, "CDQ_DATA_DIR": "../my_data"}))
    assert run.returncode == EXIT_OK, run.stdout + run.stderr
    assert f"outputs: {tmp_path}/my_data/outputs/{DAY}" in run.stdout, "paths said without the '..' given"
    published = tmp_path / "my_data" / "outputs" / DAY.isoformat() / "final_customers.parquet"
    assert pq.read_metadata(published).num_rows > 250
    assert json.loads((tmp_path / "my_data" / "raw" / DAY.isoformat() / "_manifest.json").read_text())["source"] \
        == str(tmp_path / "mine.csv")


def test_a_data_directory_that_cannot_be_created_is_named(tmp_path, capsys):
    occupied = tmp_path / "data"
    occupied.write_text("not a directory")
    assert run_daily(_options(occupied)) == EXIT_STEP_FAILED
    assert f"the data directory {occupied} cannot be created: a file is in its place" in capsys.readouterr().out


def test_a_second_concurrent_run_is_refused(tmp_path, capsys):
    with run_lock_held(tmp_path, "2026-11-23") as holder_pid:
        assert run_daily(_options(tmp_path)) == EXIT_LOCKED
        assert f"pid {holder_pid}" in capsys.readouterr().out


@pytest.mark.slow
def test_backfill_runs_every_date_in_order(tmp_path, capsys):
    from orchestration.cli import main

    assert main(["backfill", "2026-11-20", "2026-11-21", "--data-dir", str(tmp_path), "--retry-delay", "0"]) == 0
    assert "2 of 2 dates succeeded" in capsys.readouterr().out
    assert _query(tmp_path, "select run_date from runs order by run_date") == [(date(2026, 11, 20),),
                                                                            (date(2026, 11, 21),)]
    # the second date's load window holds both days, each once
    assert _query(tmp_path, "select transaction_date, count(*) = count(distinct transaction_id) "
                            "from fct_transactions group by 1 order by 1") == [(date(2026, 11, 20), True),
                                                                               (date(2026, 11, 21), True)]
    assert main(["backfill", "2026-11-21", "2026-11-20", "--data-dir", str(tmp_path)]) == 2


@pytest.mark.parametrize(("option", "value", "said"), [
    ("--retries", "-1", "must not be negative"),
    ("--seed", "-1", "must not be negative"),
    ("--seed", str(2**64), "must be below 2**64"),
    ("--window-days", "1000000", "must be at most 3660"),
    ("--input", "/", "/ is a directory; give the file"),
])
def test_an_option_out_of_range_is_refused_before_any_work(tmp_path, capsys, option, value, said):
    from orchestration.cli import main

    with pytest.raises(SystemExit) as refused:
        main(["daily", "2026-01-10", "--data-dir", str(tmp_path / "data"), option, value])
    assert refused.value.code == 2
    assert f"argument {option}: {said}" in capsys.readouterr().err
    assert not (tmp_path / "data").exists(), "no lock taken, no log written"


def test_a_backfill_refused_by_the_lock_stops_there(tmp_path, capsys):
    from orchestration.cli import main

    with run_lock_held(tmp_path, "2026-11-19"):
        assert main(["backfill", "2026-11-20", "2026-11-22", "--data-dir", str(tmp_path)]) == EXIT_LOCKED
    assert "stopped at 2026-11-20, another run holds the lock" in capsys.readouterr().err
    assert not (tmp_path / "raw").exists(), "no later date ran with the first skipped"


def test_two_different_run_dates_are_refused(tmp_path):
    ran = subprocess.run([sys.executable, "-m", "orchestration", "daily", "2026-01-10", "--run-date", "2026-01-11",
                          "--data-dir", str(tmp_path / "data")], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 2
    assert "two run dates given: 2026-01-10 and --run-date 2026-01-11" in ran.stderr
    assert not (tmp_path / "data").exists()


def _summary_warnings(data_dir: Path) -> str:
    """The latest run's summary warnings, as one text."""
    return "\n".join(json.loads(sorted((data_dir / "logs").glob("etl_*.json"))[-1].read_text())["warnings"])
