"""The transaction side's daily run (seeds 001/002): the gate, the anomalies CSV, the load report and
the e-mail, against a real SMTP server. (test_sales.py: the models; the two files run on separate
workers.)"""

from __future__ import annotations

import email
import json
import os
import re
import shutil
import signal
import threading
import time
from datetime import date, timedelta
from email import policy
from pathlib import Path

import duckdb
import pytest

from orchestration import daily
from orchestration.daily import (
    EXIT_OK,
    EXIT_QUALITY,
    EXIT_STEP_FAILED,
    EXIT_TERMINATED,
    DailyOptions,
    run_daily,
)
from orchestration.dbt import PROJECT_DIR
from orchestration.notify import MailConfigError, SmtpSettings
from orchestration.report import validate_report
from orchestration.sales import LaterDays
from tests.conftest import free_port, generate
from tests.test_daily import _summary_warnings
from tests.test_sales import DAY, _generate_day, _query

# --- the daily run: gate, anomalies CSV, load report, e-mail ---------------------------------

def _options(data_dir: Path, **overrides) -> DailyOptions:
    return DailyOptions(data_dir=data_dir, run_date=overrides.pop("run_date", DAY), retry_delay=0,
                        transactions=5_000, **overrides)


def _latest(data_dir: Path, pattern: str) -> Path:
    return sorted(data_dir.glob(pattern))[-1]


def test_the_daily_report_is_emailed_over_smtp(tmp_path, smtp_server, monkeypatch):
    inbox, port = smtp_server
    for key, value in {"CDQ_SMTP_HOST": "127.0.0.1", "CDQ_SMTP_PORT": str(port), "CDQ_SMTP_SECURITY": "none",
                       "CDQ_SMTP_USER": "robot", "CDQ_SMTP_PASSWORD": "s3cret", "CDQ_MAIL_FROM": "dq@example.com",
                       "CDQ_MAIL_TO": "team@example.com, boss@example.com"}.items():
        monkeypatch.setenv(key, value)
    assert run_daily(_options(tmp_path)) == EXIT_OK
    (message,) = inbox.messages
    assert [login for login, _ in inbox.logins] == ["robot"], "logged in with the password from the environment"
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    kpis = report["transactions"]["kpis"]
    assert message["To"] == "team@example.com, boss@example.com" and "passed" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (text, html):
        assert f"{kpis['transaction_count']:,}" in body and f"{kpis['total_sales_usd']:,.2f}" in body
        assert kpis["top_product_id"] in body and "bot_like_customer" in body
        # how much of the total the anomaly rules question (a reviewer found flagged amounts 15-34% of it)
        assert f"${kpis['anomaly_sales_usd']:,.2f}" in body and f" in {kpis['anomaly_count']:,} transactions" in body
        assert all(rule["rule_id"] in body for rule in report["rules"] + report["transactions"]["checks"]), \
            "every customer rule and transaction check"
    attachments = {part.get_filename(): part.get_content() for part in message.iter_attachments()}
    assert set(attachments) == {Path(report["outputs"]["csv"]).name, Path(report["outputs"]["anomalies_csv"]).name}
    assert attachments[Path(report["outputs"]["anomalies_csv"]).name].count("\n") == \
        report["transactions"]["counts"]["anomalies"] + 1
    flagged = _query(tmp_path / "warehouse.duckdb", "select count(*), round(sum(amount_usd), 2) from fct_transactions "
                     f"where is_anomaly and transaction_date = '{DAY}'")
    assert flagged == [(kpis["anomaly_count"], kpis["anomaly_sales_usd"])] and kpis["anomaly_count"] > 0
    summary = json.loads(_latest(tmp_path, "logs/etl_*.json").read_text())
    assert summary["notification"]["sent"] and summary["cleanup"]["removed"]
    assert not (tmp_path / "outbox").exists()


def test_without_smtp_the_message_goes_to_the_outbox_and_a_csv_over_the_attachment_limit_is_named_not_attached(
        tmp_path, monkeypatch, capsys):
    # One run for both: the attachment limit decides which files the message carries, not where it
    # goes, nor what the report, the load report and the summary say.
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    monkeypatch.setenv("CDQ_MAIL_MAX_ATTACHMENT_MB", "0.5")
    assert run_daily(_options(tmp_path)) == EXIT_OK
    (eml,) = (tmp_path / "outbox").glob("*.eml")
    assert f"written to {eml}" in capsys.readouterr().out
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert "Customer DQ 2026-11-20" in message["Subject"] and message.get_body(("html",)) is not None
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    validate_report(report)
    load = json.loads(Path(report["outputs"]["load_report"]).read_text())
    assert load["rows_loaded"] == load["rows_validated"] == report["transactions"]["counts"]["validated"] > 0
    assert load["verified"] and load["destination_table"].endswith(":main.fct_transactions")
    assert {"load_timestamp", "execution_time_seconds"} <= set(load)
    summary = json.loads(_latest(tmp_path, "logs/etl_*.json").read_text())
    assert summary["records_processed"]["transactions"] == report["transactions"]["counts"]["checked"]
    assert summary["anomalies"]["total"] == report["transactions"]["counts"]["anomalies"]
    assert "fct_transactions" in summary["destination"]["tables"]
    # seed 004: the date's raw transactions are profiled before anything trusts them, as the customers
    raw = tmp_path / "raw" / DAY.isoformat() / "transactions.parquet"
    (expected,) = duckdb.sql(f"""select count(*), count(*) filter (where amount is null),
        count(distinct currency), max(length(transaction_id)) from read_parquet('{raw}')""").fetchall()
    profile = report["transactions"]["raw_profile"]
    amount, currency = profile["columns"]["amount"], profile["columns"]["currency"]
    actual = (profile["row_count"], amount["null_count"], currency["distinct_count"],
              profile["columns"]["transaction_id"]["length"]["max"])
    assert actual == expected and expected[0] == 5_000 and expected[1] > 0
    assert profile["file_name"] == "transactions.parquet" and amount["numeric"]["parseable_share"] > 0.99
    # the static FX rates' age, which amount_usd depends on (seed ref_fx_rates), is said in the report and e-mail
    rates = PROJECT_DIR / "seeds" / "ref_fx_rates.csv"
    (oldest,) = duckdb.sql(f"select min(as_of_date)::varchar from read_csv('{rates}')").fetchone()
    fx = report["transactions"]["fx_rates"]
    assert fx == {"oldest_as_of_date": oldest, "days_before_run_date": (DAY - date.fromisoformat(oldest)).days}
    assert f"as of {oldest} ({fx['days_before_run_date']:,} days before the run date)" in \
        message.get_body(("plain",)).get_content()
    # the customers CSV over the 0.5 MB limit is named in the message, not attached
    csv, anomalies = Path(report["outputs"]["csv"]), Path(report["outputs"]["anomalies_csv"])
    assert csv.stat().st_size > 500_000 > anomalies.stat().st_size
    assert [part.get_filename() for part in message.iter_attachments()] == [anomalies.name]
    text = message.get_body(("plain",)).get_content()
    assert "Not attached (over the 0.5 MB limit, CDQ_MAIL_MAX_ATTACHMENT_MB):" in text and str(csv) in text


def test_a_server_without_starttls_is_not_retried(tmp_path, smtp_server, monkeypatch):
    _, port = smtp_server  # a plain server: the default security, starttls, cannot work with it
    monkeypatch.setenv("CDQ_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CDQ_SMTP_PORT", str(port))
    monkeypatch.delenv("CDQ_SMTP_SECURITY", raising=False)
    monkeypatch.setenv("CDQ_MAIL_TO", "team@example.com")
    started = time.monotonic()
    options = DailyOptions(tmp_path, DAY, rows=500, transactions=1_000, retries=1, retry_delay=300)
    assert run_daily(options) == EXIT_OK
    assert time.monotonic() - started < 250, "no 300 s wait before the outbox"
    summary = json.loads(_latest(tmp_path, "logs/etl_*.json").read_text())
    assert not summary["notification"]["sent"] and "STARTTLS" in summary["notification"]["reason"]
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_an_unreachable_smtp_server_leaves_the_message_in_the_outbox(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CDQ_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CDQ_SMTP_PORT", str(free_port()))  # nobody listens there
    monkeypatch.setenv("CDQ_SMTP_SECURITY", "none")
    monkeypatch.setenv("CDQ_MAIL_TO", "team@example.com")
    monkeypatch.setattr(daily, "DELIVERY_RETRY_DELAY", 0.5)  # the cap on --retry-delay for messages
    started = time.monotonic()
    options = DailyOptions(tmp_path, DAY, rows=500, transactions=1_000, retries=1, retry_delay=300)
    assert run_daily(options) == EXIT_OK, "the data is loaded; only the e-mail failed"
    assert time.monotonic() - started < 250, "the e-mail is tried again without the steps' 300 s wait"
    assert "step notify failed (attempt 1/2)" in (out := capsys.readouterr().out) and "retrying in 0.5 s" in out
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    summary = json.loads(_latest(tmp_path, "logs/etl_*.json").read_text())
    assert not summary["notification"]["sent"]
    assert any("e-mail not sent" in w for w in summary["warnings"])


def test_a_run_stopped_while_its_email_waits_to_be_sent_again_keeps_it_in_the_outbox(tmp_path, monkeypatch):
    monkeypatch.setenv("CDQ_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CDQ_SMTP_PORT", str(free_port()))  # nobody listens there
    monkeypatch.setenv("CDQ_SMTP_SECURITY", "none")
    monkeypatch.setenv("CDQ_MAIL_TO", "team@example.com")

    def stop_once_sending() -> None:  # SIGTERM (timeout, systemd) once the run is in step notify
        deadline = time.monotonic() + 240
        while not list((tmp_path / "reports").glob("load_report_*.json")) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # the first attempt is refused at once; the run now waits to try again
        os.kill(os.getpid(), signal.SIGTERM)

    stopper = threading.Thread(target=stop_once_sending, daemon=True)
    stopper.start()
    options = DailyOptions(tmp_path, DAY, rows=500, transactions=1_000, retries=1, retry_delay=300)
    assert run_daily(options) == EXIT_TERMINATED
    stopper.join()
    assert len(list((tmp_path / "outbox").glob("dq_report_*.eml"))) == 1, "the report e-mail is kept"
    failure = json.loads(_latest(tmp_path, "logs/failed_*.json").read_text())
    assert failure["step"] == "notify" and failure["partial_results"]["published"] is True


def test_dirty_transactions_stop_the_run_and_nothing_is_loaded(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    assert run_daily(_options(tmp_path, transaction_defect_rate=0.3, min_transaction_pass_rate=0.955)) == EXIT_QUALITY
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    gate = report["transactions"]["gate"]
    assert not gate["passed"] and gate["passing_share"] < 0.955
    assert any("pass all checks (at least 95.5% required); most failed: transactions." in r for r in gate["reasons"])
    # a rule's failed test says by how much
    assert any(re.fullmatch(r"error-severity test failed: dq_rule__transactions__\w+ \([\d,]+ of [\d,]+ records, "
                            r"[\d.]+%; the rule allows 1%\)", reason) for reason in report["gate"]["reasons"]), \
        report["gate"]["reasons"]
    # and which raw file holds the quarantined records (one bad file of an earlier day stops a week of runs)
    counts = report["transactions"]["counts"]
    quarantined = counts["quarantined"] + counts["duplicates"]
    sales_file = tmp_path / "raw" / DAY.isoformat() / "transactions.parquet"
    assert f"transactions: the quarantined records are in {sales_file} ({quarantined:,}); a raw file stops every " \
           "run whose load window holds it until it is corrected or leaves the window" in report["gate"]["reasons"]
    assert report["transactions"]["load"]["loaded"] is False
    out = capsys.readouterr().out
    assert "not loaded, fct_transactions unchanged" in out
    duplicates = report["transactions"]["counts"]["duplicates"]
    assert duplicates and f" quarantined ({duplicates:,} as duplicates), " in out, "the report's split, said"
    assert report["outputs"]["load_report"] is None and not list((tmp_path / "reports").glob("load_report_*"))
    assert Path(report["outputs"]["anomalies_csv"]).exists(), "the anomalies CSV is written on failure too"
    tables = _query(tmp_path / "warehouse.duckdb", "select table_name from information_schema.tables")
    assert ("fct_transactions",) not in tables, "the failed run's load never reached the live warehouse"


def test_no_transactions_gives_an_empty_anomalies_csv(tmp_path, monkeypatch):
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    raw = generate(tmp_path / "source", 1_000, run_date=DAY)
    assert run_daily(_options(tmp_path / "data", input=raw / "customers.parquet")) == EXIT_OK
    report = json.loads(_latest(tmp_path / "data", "reports/dq_report_*.json").read_text())
    assert report["transactions"]["counts"]["checked"] == 0 and report["transactions"]["kpis"] is None
    assert report["transactions"]["raw_profile"] is None and report["raw_profile"]["row_count"] == 1_000
    anomalies = Path(report["outputs"]["anomalies_csv"]).read_text()
    assert anomalies.startswith("transaction_id,") and anomalies.count("\n") == 1


def test_incomplete_smtp_settings_stop_the_run_before_it_starts(tmp_path, monkeypatch):
    monkeypatch.setenv("CDQ_SMTP_HOST", "127.0.0.1")
    monkeypatch.delenv("CDQ_MAIL_TO", raising=False)
    assert run_daily(_options(tmp_path)) == EXIT_STEP_FAILED
    failure = json.loads(_latest(tmp_path, "logs/failed_*.json").read_text())
    assert failure["step"] == "configure" and "CDQ_MAIL_TO" in failure["error"]
    assert not (tmp_path / "raw").exists() and not (tmp_path / "outputs").exists(), "nothing was done"


def test_a_port_out_of_range_is_refused():
    with pytest.raises(MailConfigError, match="CDQ_SMTP_PORT must be a port number from 1 to 65535, got '99999'"):
        SmtpSettings.from_env({"CDQ_SMTP_HOST": "127.0.0.1", "CDQ_MAIL_TO": "a@example.com", "CDQ_SMTP_PORT": "99999"})


def test_a_login_without_a_password_is_incomplete():
    with pytest.raises(MailConfigError, match="CDQ_SMTP_USER is set but CDQ_SMTP_PASSWORD is not"):
        SmtpSettings.from_env({"CDQ_SMTP_HOST": "127.0.0.1", "CDQ_MAIL_TO": "a@example.com", "CDQ_SMTP_USER": "robot"})


@pytest.fixture(scope="module")
def yesterday_run(tmp_path_factory) -> Path:
    """A data directory after a daily run of the day before DAY (no SMTP): where the two tests
    below start, each from its own copy (one run of the day before instead of two)."""
    data_dir = tmp_path_factory.mktemp("yesterday")
    with pytest.MonkeyPatch.context() as env:
        env.delenv("CDQ_SMTP_HOST", raising=False)
        options = DailyOptions(data_dir, DAY - timedelta(days=1), rows=1_000, transactions=2_000, retry_delay=0)
        assert run_daily(options) == EXIT_OK
    return data_dir


def _copy_of(data_dir: Path, target: Path) -> Path:
    # without dbt's artifacts (its parse of the project names the other directory's paths):
    # the copy's run parses the project afresh, as a run in a new directory does
    shutil.copytree(data_dir, target, symlinks=True, dirs_exist_ok=True,
                    ignore=lambda folder, _: ["dbt"] if Path(folder) == data_dir else [])
    return target


def test_an_input_run_loads_the_windows_earlier_generated_days(tmp_path, yesterday_run, monkeypatch):
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    yesterday = DAY - timedelta(days=1)
    _copy_of(yesterday_run, tmp_path)
    customers = tmp_path / "raw" / yesterday.isoformat() / "customers.parquet"
    assert run_daily(DailyOptions(tmp_path, DAY, input=customers, retry_delay=0)) == EXIT_OK
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    assert report["transactions"]["window"]["dates_with_data"] == [yesterday.isoformat()]
    # the e-mail's reader learns it too, not only the console's (a reviewer found it missing)
    made_up = "the load window holds transactions the generator made up (synthetic sales)"
    assert sum(w.startswith(made_up) for w in report["warnings"]) == 1
    eml = _latest(tmp_path, "outbox/dq_report_*.eml").read_bytes()
    text = email.message_from_bytes(eml, policy=policy.default).get_body(("plain",)).get_content()
    assert f"WARNINGS\n  - {made_up}" in text
    assert report["transactions"]["revised_days"] == [], "yesterday reloaded as it was"
    validated = report["transactions"]["counts"]["validated"]
    assert validated > 0 and report["transactions"]["load"]["rows_in_table"] == validated
    assert _query(tmp_path / "warehouse.duckdb", "select count(*), count(distinct transaction_id) from "
                  "fct_transactions") == [(validated, validated)]


def test_an_earlier_day_a_corrected_file_changes_is_reported_as_revised(tmp_path, yesterday_run, monkeypatch):
    # the source re-delivers yesterday's sales without its first 50 rows (a corrected extract): the
    # window reloads it, and the figures yesterday's e-mail gave no longer stand
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    yesterday = DAY - timedelta(days=1)
    _copy_of(yesterday_run, tmp_path)
    kpis = ("select transaction_count, round(total_sales_usd, 2)::double from kpi_daily_sales "
            f"where transaction_date = '{yesterday}'")
    ((count_before, sales_before),) = _query(tmp_path / "warehouse.duckdb", kpis)
    sales = tmp_path / "raw" / yesterday.isoformat() / "transactions.parquet"
    duckdb.execute(f"copy (from read_parquet('{sales}') offset 50) to '{sales}.new' (format parquet)")
    Path(f"{sales}.new").replace(sales)
    assert run_daily(DailyOptions(tmp_path, DAY, rows=1_000, transactions=2_000, retry_delay=0)) == EXIT_OK
    ((count_now, sales_now),) = _query(tmp_path / "warehouse.duckdb", kpis)
    assert count_now < count_before and sales_now < sales_before
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    validate_report(report)
    assert report["transactions"]["revised_days"] == [
        {"date": yesterday.isoformat(), "transaction_count": {"before": count_before, "now": count_now},
         "total_sales_usd": {"before": sales_before, "now": sales_now}}], "the run date's first load is no revision"
    eml = _latest(tmp_path, "outbox/dq_report_*.eml").read_bytes()
    text = email.message_from_bytes(eml, policy=policy.default).get_body(("plain",)).get_content()
    assert (f"{yesterday}: transactions {count_before:,} -> {count_now:,}, total sales ${sales_before:,.2f} -> "
            f"${sales_now:,.2f}") in text


@pytest.mark.slow
def test_an_earlier_date_rerun_keeps_the_loaded_rows_and_a_change_names_the_later_days(
        tmp_path, yesterday_run, monkeypatch):
    # a row's customer metrics are as of its day, and its anomaly flags and product rank are over
    # its trailing days: re-running yesterday after today, with its files as they were, changes
    # nothing loaded; a corrected file for yesterday makes today's stale, which is said
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    yesterday = DAY - timedelta(days=1)
    _copy_of(yesterday_run, tmp_path)
    assert run_daily(DailyOptions(tmp_path, DAY, rows=1_000, transactions=2_000, retry_delay=0)) == EXIT_OK
    loaded = "select * exclude (load_run_date) from fct_transactions order by all"
    before = _query(tmp_path / "warehouse.duckdb", loaded)
    assert {row[1] for row in before} == {yesterday, DAY}
    rerun = DailyOptions(tmp_path, yesterday, rows=1_000, transactions=2_000, retry_delay=0)
    assert run_daily(rerun) == EXIT_OK
    assert _query(tmp_path / "warehouse.duckdb", loaded) == before
    assert "fct_transactions holds later days" not in _summary_warnings(tmp_path), "nothing was revised"
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    assert report["transactions"]["stale_later_days"] is None
    # the source's correction: yesterday's customers as they were (--input: nothing is generated
    # over the corrected sales), its sales without 50 rows
    customers = shutil.copy(tmp_path / "raw" / yesterday.isoformat() / "customers.parquet", tmp_path / "mine.parquet")
    sales = tmp_path / "raw" / yesterday.isoformat() / "transactions.parquet"
    duckdb.execute(f"copy (from read_parquet('{sales}') offset 50) to '{sales}.new' (format parquet)")
    Path(f"{sales}.new").replace(sales)
    assert run_daily(DailyOptions(tmp_path, yesterday, input=Path(customers), retry_delay=0)) == EXIT_OK
    stale = ("whose customer metrics (lifetime value, count, status) and trailing statistics (3-sigma check, "
             "product rank) count this run's days as they were before it: "
             "re-run in order the run dates that loaded them")
    assert f"fct_transactions holds later days ({DAY} to {DAY}) {stale}" in _summary_warnings(tmp_path)
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    validate_report(report)
    assert report["transactions"]["stale_later_days"] == {
        "first": DAY.isoformat(), "last": DAY.isoformat(), "rerun_dates": [DAY.isoformat()],
        "rerun_command": f"just daily {DAY}"}
    eml = _latest(tmp_path, "outbox/dq_report_*.eml").read_bytes()
    text = email.message_from_bytes(eml, policy=policy.default).get_body(("plain",)).get_content()
    assert f"LATER DAYS TO RE-RUN: {DAY} to {DAY} count this run's days as they were before it" in text
    assert text.count(f"are re-run in order: just daily {DAY}\n") == 1
    # a backfill of a date before them all: its first load is no revision, but the later days miss it
    assert run_daily(DailyOptions(tmp_path, DAY - timedelta(days=2), rows=1_000, transactions=2_000,
                                  retry_delay=0)) == EXIT_OK
    assert f"fct_transactions holds later days ({yesterday} to {DAY}) {stale}" in _summary_warnings(tmp_path)
    assert f"(just daily {yesterday} && just daily {DAY})" in _summary_warnings(tmp_path), "the dates that loaded them"


def test_a_sales_file_with_zoned_timestamps_is_warned_of(tmp_path, monkeypatch):
    # a reviewer's case: a pandas export's zoned timestamps are read at UTC, so evening sales moved to
    # the next day, with no word of it
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    raw_dir = _generate_day(tmp_path, DAY, rows=2_000)
    customers = shutil.copy(raw_dir / "customers.parquet", tmp_path / "mine.parquet")
    sales = raw_dir / "transactions.parquet"
    duckdb.execute(f"copy (select * replace (cast(timestamp as timestamptz) as timestamp) "
                   f"from read_parquet('{sales}')) to '{sales}.new' (format parquet)")
    Path(f"{sales}.new").replace(sales)
    run_daily(DailyOptions(tmp_path, DAY, input=Path(customers), retry_delay=0))
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    warned = " ".join(report["warnings"])
    assert f"{sales} has typed columns, read as text: timestamp (TIMESTAMP WITH TIME ZONE); timestamp holds " \
           "instants, read at UTC: its sales' dates and hours are UTC's, not their stores'" in warned

def test_the_later_days_advice_re_runs_only_dates_that_were_run():
    # a reviewer's case: "just backfill <first> <last>" over the later days generated made-up sales
    # for the dates between them that were never run
    loaded_by = [date(2026, 11, 20), date(2026, 11, 23)]
    assert LaterDays(date(2026, 11, 17), date(2026, 11, 23), loaded_by).rerun_command \
        == "just daily 2026-11-20 && just daily 2026-11-23"
    assert LaterDays(date(2026, 11, 17), date(2026, 11, 23), [date(2026, 11, 23)]).rerun_command \
        == "just daily 2026-11-23"

def test_a_month_old_backfill_under_a_later_loaded_date_loads_what_running_it_alone_does(
        tmp_path, yesterday_run, monkeypatch):
    # a reviewer's case: a month-old date backfilled after yesterday's run took the customers'
    # attributes from yesterday's file (dim_customers): later last purchases, ignored as after the
    # sales, made customers look dormant, and their segments were later ones
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    month_ago = DAY - timedelta(days=31)
    backfilled, alone = _copy_of(yesterday_run, tmp_path / "backfilled"), tmp_path / "alone"
    for data_dir in (backfilled, alone):
        assert run_daily(DailyOptions(data_dir, month_ago, rows=1_000, transactions=2_000, retry_delay=0)) == EXIT_OK
    loaded = (f"select * exclude (load_run_date) from fct_transactions where transaction_date <= '{month_ago}' "
              "order by all")
    expected = _query(alone / "warehouse.duckdb", loaded)
    changed = _query(backfilled / "warehouse.duckdb", f"""
        select count(*) from fct_transactions as sale join dim_customers as later using (customer_id)
        where sale.transaction_date <= '{month_ago}'
            and (later.segment <> sale.customer_segment or later.last_purchase_date > sale.transaction_date)""")
    assert len(expected) > 1_000 and changed[0][0] > 100, "the later file says otherwise of many"
    assert _query(backfilled / "warehouse.duckdb", loaded) == expected


def test_a_run_the_gate_stops_revises_no_day_and_says_its_kpis_were_not_loaded(tmp_path, yesterday_run, monkeypatch):
    # the same corrected re-delivery of yesterday, but the gate stops the run: nothing is reloaded,
    # so the figures yesterday's e-mail gave still stand (a reviewer found them said to be revised)
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    yesterday = DAY - timedelta(days=1)
    _copy_of(yesterday_run, tmp_path)
    kpis = f"select transaction_count, total_sales_usd from kpi_daily_sales where transaction_date = '{yesterday}'"
    before = _query(tmp_path / "warehouse.duckdb", kpis)
    sales = tmp_path / "raw" / yesterday.isoformat() / "transactions.parquet"
    duckdb.execute(f"copy (from read_parquet('{sales}') offset 50) to '{sales}.new' (format parquet)")
    Path(f"{sales}.new").replace(sales)
    options = DailyOptions(tmp_path, DAY, rows=1_000, transactions=2_000, retry_delay=0, min_score=1.0)
    assert run_daily(options) == EXIT_QUALITY
    assert _query(tmp_path / "warehouse.duckdb", kpis) == before
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    validate_report(report)
    assert report["transactions"]["revised_days"] == []
    eml = _latest(tmp_path, "outbox/dq_report_*.eml").read_bytes()
    text = email.message_from_bytes(eml, policy=policy.default).get_body(("plain",)).get_content()
    assert f"KPIS FOR {DAY} (not loaded: the gate stopped the run)" in text and "REVISED DAYS" not in text


def test_a_pruned_raw_file_keeps_its_loaded_rows_and_the_run_says_so(tmp_path, yesterday_run, monkeypatch):
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    yesterday = DAY - timedelta(days=1)
    _copy_of(yesterday_run, tmp_path)
    loaded_yesterday = _query(tmp_path / "warehouse.duckdb", "select count(*) from fct_transactions")[0][0]
    (tmp_path / "raw" / yesterday.isoformat() / "transactions.parquet").unlink()  # e.g. PII retention
    assert run_daily(DailyOptions(tmp_path, DAY, rows=1_000, transactions=2_000, retry_delay=0)) == EXIT_OK
    report = json.loads(_latest(tmp_path, "reports/dq_report_*.json").read_text())
    validate_report(report)
    load = report["transactions"]["load"]
    assert loaded_yesterday > 0 and load["rows_kept"] == loaded_yesterday and load["verified"]
    assert _query(tmp_path / "warehouse.duckdb", "select transaction_date, count(*) from fct_transactions "
                  "group by 1 order by 1") == [(yesterday, loaded_yesterday), (DAY, load["rows_in_table"])]
    summary = json.loads(_latest(tmp_path, "logs/etl_*.json").read_text())
    assert any(f"fct_transactions keeps {loaded_yesterday:,} rows" in w for w in summary["warnings"])


def test_runs_failing_within_one_second_keep_their_own_logs(tmp_path, monkeypatch):
    monkeypatch.setenv("CDQ_SMTP_HOST", "127.0.0.1")  # and no CDQ_MAIL_TO: each run stops at once
    monkeypatch.delenv("CDQ_MAIL_TO", raising=False)
    for _ in range(3):
        assert run_daily(_options(tmp_path)) == EXIT_STEP_FAILED
    assert len(list((tmp_path / "logs").glob("failed_*.json"))) == 3
