"""--retention-days: which files of reports/ and outbox/ are old enough to go."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from orchestration.retention import remove_older_than, stamped_at

NOW = datetime(2026, 11, 23, 6, 0).astimezone()


def test_only_stamped_files_older_than_the_days_are_removed(tmp_path):
    reports, outbox = tmp_path / "reports", tmp_path / "outbox"
    for directory in (reports, outbox, reports / "kept_20200101_000000.d"):
        directory.mkdir(parents=True)
    names = {reports: ["cleaned_customers_20261021_055959.csv",  # 33 days and a second: goes
                       "dq_report_20261024_060000.json",  # exactly 30 days: stays
                       "notes.txt", "budget_2020.csv",  # no run stamp: a user's, never ours to delete
                       "analysis_20240101_120000.xlsx", "cleaned_customers_20240101_000000.csv.bak",  # nor these
                       "dq_report_20261399_999999.json"],  # digits that are no time: stays
             outbox: ["alert_20250101_000000.json"]}
    for directory, files in names.items():
        for name in files:
            (directory / name).write_text("x")
    removed = remove_older_than([reports, outbox, tmp_path / "missing"], 30, NOW)
    assert removed == [reports / "cleaned_customers_20261021_055959.csv", outbox / "alert_20250101_000000.json"]
    assert sorted(p.name for p in reports.iterdir()) == [
        "analysis_20240101_120000.xlsx", "budget_2020.csv", "cleaned_customers_20240101_000000.csv.bak",
        "dq_report_20261024_060000.json", "dq_report_20261399_999999.json", "kept_20200101_000000.d", "notes.txt"]


def test_a_stamp_is_read_as_local_time_as_the_runner_writes_it():
    assert stamped_at(Path("etl_20261123_060000.json")) == NOW
