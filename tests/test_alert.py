"""Alerts when a run does not pass (orchestration/alert.py): a real webhook receiver and a real
SMTP server on loopback."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from email import policy
from pathlib import Path

import pytest

from orchestration import alert
from orchestration.daily import EXIT_LOCKED, EXIT_OK, EXIT_QUALITY, EXIT_STEP_FAILED, DailyOptions, run_daily
from orchestration.sla import Sla
from tests.conftest import free_port, run_lock_held

DAY = date(2026, 11, 20)
SECRET = "secret-token"  # the webhook fixture's URL path holds it, as Slack's do


def _options(data_dir: Path, **overrides) -> DailyOptions:
    return DailyOptions(data_dir=data_dir, run_date=DAY, rows=1_000, transactions=2_000, retry_delay=0, **overrides)


def _bad_input(tmp_path: Path) -> Path:
    bad = tmp_path / "bad.csv"
    bad.write_text("name,age\nAnn,3\n")
    return bad


@pytest.fixture
def alerting(webhook_server, monkeypatch):
    received, url = webhook_server
    monkeypatch.setenv("CDQ_ALERT_WEBHOOK_URL", url)
    monkeypatch.delenv("CDQ_ALERT_ON", raising=False)
    monkeypatch.delenv("CDQ_SMTP_HOST", raising=False)
    return received


def test_a_run_stopped_by_the_gate_alerts(tmp_path, alerting, capsys):
    # (that a passing run does not alert: the late-run test below, whose first run is one)
    assert run_daily(_options(tmp_path, min_score=0.9999)) == EXIT_QUALITY
    (post,) = alerting.posts
    body = post["body"]
    assert post["content_type"] == "application/json"
    assert body["text"].startswith("Customer DQ 2026-11-20: run stopped by the quality gate (exit 1)\n- ")
    assert "is below 0.9999" in body["text"], body["text"]
    facts = body["customer_dq"]
    assert facts["exit_code"] == EXIT_QUALITY and facts["reasons"] and Path(facts["report"]).exists()
    summary = json.loads(sorted((tmp_path / "logs").glob("etl_*.json"))[-1].read_text())
    # why the run stopped, apart from what it merely warned about (a receiver acts on the first)
    assert facts["reasons"] == summary["gate"]["reasons"] and facts["warnings"] == summary["warnings"] != []
    assert body["text"].index("\nWarnings:\n- ") > body["text"].index("is below 0.9999")
    assert summary["alert"]["webhook"]["sent"] and summary["alert"]["webhook"]["to"].startswith("127.0.0.1:")
    assert SECRET not in capsys.readouterr().out + json.dumps(summary), "the webhook URL is a secret"


def test_a_failed_step_alerts_by_webhook_and_by_email(tmp_path, alerting, smtp_server, monkeypatch):
    inbox, port = smtp_server
    for key, value in {"CDQ_SMTP_HOST": "127.0.0.1", "CDQ_SMTP_PORT": str(port), "CDQ_SMTP_SECURITY": "none",
                       "CDQ_MAIL_TO": "oncall@example.com"}.items():
        monkeypatch.setenv(key, value)
    assert run_daily(_options(tmp_path, input=_bad_input(tmp_path))) == EXIT_STEP_FAILED
    (post,) = alerting.posts
    assert post["body"]["text"].startswith("Customer DQ 2026-11-20: run failed (exit 2)\n- step ingest failed")
    assert "missing" in post["body"]["text"] and "bad.csv" in post["body"]["text"]
    (message,) = inbox.messages
    assert message["To"] == "oncall@example.com"
    assert message["Subject"] == "Customer DQ 2026-11-20: run failed (exit 2)"
    assert "step ingest failed" in message.get_content()
    failure = json.loads(sorted((tmp_path / "logs").glob("failed_*.json"))[-1].read_text())
    assert failure["alert"]["webhook"]["sent"] and failure["alert"]["email"]["sent"]
    assert post["body"]["customer_dq"]["failure_log"] == str(sorted((tmp_path / "logs").glob("failed_*.json"))[-1])


def test_a_run_that_cannot_write_its_logs_is_named_and_still_alerted(tmp_path, alerting, capsys):
    # a logs folder it cannot write into (here a file in its place; a full disk or a read-only
    # mount alike): found before any work, said on the console and by the webhook, no traceback
    (tmp_path / "logs").write_text("a file where the logs folder should be")
    assert run_daily(_options(tmp_path)) == EXIT_STEP_FAILED
    out = capsys.readouterr().out
    assert f"{tmp_path / 'logs'} is not a folder" in out and "could not be written" in out
    (post,) = alerting.posts
    assert post["body"]["text"].startswith("Customer DQ 2026-11-20: run failed (exit 2)\n- step configure failed")
    assert post["body"]["customer_dq"]["failure_log"] is None, "no path to a log that is not there"
    assert not (tmp_path / "outputs").exists() and not (tmp_path / "raw").exists(), "nothing done"


def test_a_run_out_of_memory_names_the_setting_to_change(tmp_path, alerting, monkeypatch, capsys):
    # DuckDB's own advice is a SET statement no run takes: the run names the variable
    monkeypatch.setenv("CDQ_DUCKDB_MEMORY_LIMIT", "1KB")  # DuckDB takes it; the first query runs out
    assert run_daily(_options(tmp_path, retries=0)) == EXIT_STEP_FAILED
    hint = "DuckDB ran out of its memory limit (CDQ_DUCKDB_MEMORY_LIMIT=1KB): raise it, or lower CDQ_DUCKDB_THREADS"
    assert hint in capsys.readouterr().out
    (log,) = (tmp_path / "logs").glob("failed_*.json")
    assert json.loads(log.read_text())["hint"].startswith(hint)
    (post,) = alerting.posts
    assert f"\n- {hint}" in post["body"]["text"], post["body"]["text"]


def test_a_passing_run_that_finds_an_earlier_run_killed_alerts(tmp_path, alerting):
    # what a run killed mid-build leaves (tests/test_recovery.py kills one for real): its work directory
    killed = tmp_path / "work" / "2026-11-19_20261119_060000_abcdef"
    (killed / "outputs").mkdir(parents=True)
    assert run_daily(_options(tmp_path)) == EXIT_OK
    (post,) = alerting.posts
    assert post["body"]["text"].startswith("Customer DQ 2026-11-20: run passed (exit 0)\n- an earlier run, "
                                           f"{killed.name}, was killed before it published"), post["body"]["text"]
    failure = json.loads((tmp_path / "logs" / "failed_20261119_060000.json").read_text())
    assert failure["run_id"] == killed.name and failure["run_date"] == "2026-11-19" and not killed.exists()


def test_an_alert_the_webhook_refuses_is_kept_in_the_outbox(tmp_path, alerting):
    alerting.status = 500
    assert run_daily(_options(tmp_path, input=_bad_input(tmp_path), retries=1)) == EXIT_STEP_FAILED
    assert len(alerting.posts) == 2, "tried again once (retries=1)"
    (saved,) = (tmp_path / "outbox").glob("alert_*.json")
    assert json.loads(saved.read_text()) == alerting.posts[0]["body"]
    failure = json.loads(sorted((tmp_path / "logs").glob("failed_*.json"))[-1].read_text())
    assert failure["alert"]["webhook"]["sent"] is False and "500" in failure["alert"]["webhook"]["reason"]
    assert failure["alert"]["webhook"]["outbox"] == str(saved)


def test_send_outbox_delivers_what_runs_could_not_once_the_servers_are_back(tmp_path, alerting, smtp_server,
                                                                           monkeypatch):
    # a run with no SMTP and a failing webhook keeps its report e-mail and its alert in the outbox
    alerting.status = 500
    assert run_daily(_options(tmp_path, min_score=0.9999, retries=0)) == EXIT_QUALITY
    outbox = tmp_path / "outbox"
    (saved_alert,) = outbox.glob("alert_*.json")
    (saved_report,) = outbox.glob("dq_report_*.eml")
    saved_alert_body = json.loads(saved_alert.read_text())
    alerting.posts.clear()

    def send_outbox() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "orchestration", "send-outbox", "--data-dir", str(tmp_path)],
                              capture_output=True, text=True, timeout=60, env=dict(os.environ))

    still_down = send_outbox()  # the webhook still fails; SMTP not set yet
    assert still_down.returncode == 1 and "2 left in" in still_down.stdout and "not set: CDQ_SMTP_HOST" in \
        still_down.stdout, still_down.stdout
    assert sorted(outbox.iterdir()) == sorted([saved_alert, saved_report]), "nothing lost, nothing moved"
    alerting.posts.clear()  # the refused attempt
    inbox, port = smtp_server
    for key, value in {"CDQ_SMTP_HOST": "127.0.0.1", "CDQ_SMTP_PORT": str(port), "CDQ_SMTP_SECURITY": "none",
                       "CDQ_MAIL_TO": "team@example.com"}.items():
        monkeypatch.setenv(key, value)
    alerting.status = 200
    with run_lock_held(tmp_path, DAY.isoformat()) as holder_pid:  # a run is under way: it owns the outbox
        refused = send_outbox()
    assert refused.returncode == EXIT_LOCKED and f"pid {holder_pid}" in refused.stderr and not inbox.messages
    # an older alert file someone cut short: refused by itself, it holds up none of the others
    broken = outbox / "alert_20200101_000000.json"
    broken.write_text('{"text": "Customer DQ 2020-01-01: run fai')
    back = send_outbox()
    assert back.returncode == 1 and "sent 2 message(s)" in back.stdout and "1 left" in back.stdout, back.stdout
    assert f"{broken.name} refused by" in back.stdout and broken.exists()
    broken.unlink()
    (message,) = inbox.messages
    assert message["To"] == "team@example.com", "addressed to today's recipients: saved without any"
    assert message["Subject"].startswith("Customer DQ 2026-11-20") and "FAILED" in message["Subject"]
    assert [post["body"] for post in alerting.posts] == [saved_alert_body]
    assert sorted(p.name for p in (outbox / "sent").iterdir()) == sorted([saved_alert.name, saved_report.name])
    assert send_outbox().returncode == 0 and len(inbox.messages) == 1, "never sent twice"


def test_every_run_alerts_when_asked(tmp_path, alerting, monkeypatch):
    monkeypatch.setenv("CDQ_ALERT_ON", "always")
    assert run_daily(_options(tmp_path)) == EXIT_OK
    (post,) = alerting.posts
    assert post["body"]["text"].startswith("Customer DQ 2026-11-20: run passed (exit 0)")
    assert post["body"]["customer_dq"]["records_processed"]["customers"] == 1_000


@pytest.mark.slow
def test_a_passing_run_does_not_alert_and_a_late_one_is_warned_and_alerted_about_though_it_passed(
        tmp_path, alerting, capsys):
    assert run_daily(_options(tmp_path)) == EXIT_OK
    assert alerting.posts == [], "passed, and no service level set: nothing to miss"
    # 60 ms, and a deadline three hours ahead, which is met at any time of day (a fixed one is not:
    # a run up to 6 hours after its deadline is late for it; deadlines across clock changes and
    # midnight: tests/test_sla.py)
    ahead = (datetime.now() + timedelta(hours=3)).time().replace(second=0, microsecond=0)
    late = Sla(max_minutes=0.001, deadline=ahead)
    assert run_daily(_options(tmp_path, sla=late)) == EXIT_OK, "a late run is still a good run"
    (post,) = alerting.posts
    assert post["body"]["text"].startswith("Customer DQ 2026-11-20: run passed (exit 0)\n- SLA missed: the run took ")
    report = json.loads(sorted((tmp_path / "reports").glob("dq_report_*.json"))[-1].read_text())
    assert report["sla"]["met"] is False and len(report["sla"]["breaches"]) == 1
    assert report["sla"]["history"] == {"days": 30, "runs": 1, "success": 1, "failed_quality": 0, "failed": 0,
                                        "success_rate": 1.0}, "the first run, from its log"
    summary = json.loads(sorted((tmp_path / "logs").glob("etl_*.json"))[-1].read_text())
    assert sum(w.startswith("SLA missed") for w in summary["warnings"]) == 1
    facts = post["body"]["customer_dq"]
    assert facts["reasons"] == report["sla"]["breaches"] and not any(w.startswith("SLA") for w in facts["warnings"])
    mail = email.message_from_bytes(sorted((tmp_path / "outbox").glob("dq_report_*.eml"))[-1].read_bytes(),
                                    policy=policy.default)
    text = mail.get_body(("plain",)).get_content()
    assert f"limit 0.001 min, deadline {ahead:%H:%M}: MISSED" in text and "1 of 1 runs succeeded (100%" in text
    assert SECRET not in capsys.readouterr().out, "the webhook URL is a secret"


def test_a_run_refused_by_the_lock_alerts(tmp_path, alerting):
    with run_lock_held(tmp_path, "2026-11-19") as holder_pid:
        assert run_daily(_options(tmp_path)) == EXIT_LOCKED
    (post,) = alerting.posts
    assert post["body"]["text"].startswith("Customer DQ 2026-11-20: run not started: another run holds the lock")
    assert f"pid {holder_pid}" in post["body"]["text"]


@pytest.mark.parametrize(("name", "value", "message"), [
    ("CDQ_ALERT_WEBHOOK_URL", f"ftp://hooks.example.com/{SECRET}", "must be an http(s) URL (got scheme 'ftp')"),
    ("CDQ_ALERT_ON", "sometimes", "CDQ_ALERT_ON must be one of failure, always, got 'sometimes'"),
])
def test_a_wrong_alert_setting_stops_the_run_before_it_starts(tmp_path, alerting, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    assert run_daily(_options(tmp_path)) == EXIT_STEP_FAILED
    failure = json.loads(sorted((tmp_path / "logs").glob("failed_*.json"))[-1].read_text())
    assert failure["step"] == "configure" and message in failure["error"] and SECRET not in failure["error"]
    assert not (tmp_path / "raw").exists(), "nothing was done"


def test_no_error_message_quotes_the_webhook_url():
    # Slack keeps the token in the URL's path: neither a refused URL nor a failed POST may print it
    with pytest.raises(alert.AlertConfigError) as refused:
        alert.AlertSettings.from_env({"CDQ_ALERT_WEBHOOK_URL": f"https://hooks.example.com/{SECRET} x"})
    assert SECRET not in str(refused.value)
    with pytest.raises(alert.AlertNotDelivered) as failed:
        alert.post({"text": "x"}, f"http://127.0.0.1:{free_port()}/hooks/{SECRET}")  # nobody listens there
    assert "could not be reached" in str(failed.value) and SECRET not in str(failed.value)
