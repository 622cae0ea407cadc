"""Service levels (orchestration/sla.py): the limits, and the success rate read from run logs."""

from __future__ import annotations

import json
import time as time_module
from datetime import datetime, time, timedelta
from pathlib import Path

from orchestration.sla import Sla, recent_outcomes, sla_section

START = datetime(2026, 11, 23, 6, 0).astimezone()


def test_each_limit_is_judged_on_its_own():
    assert Sla().breaches(START, START + timedelta(hours=5)) == [], "no limits, nothing missed"
    on_time = Sla(max_minutes=30, deadline=time(7, 0))
    assert on_time.breaches(START, START + timedelta(minutes=29)) == []
    (too_long,) = on_time.breaches(START, START + timedelta(minutes=31))
    assert too_long == "SLA missed: the run took 31.0 min, over its 30 min (--sla-minutes)"
    (too_late,) = Sla(deadline=time(6, 10)).breaches(START, START + timedelta(minutes=11))
    assert too_late == "SLA missed: the run finished at 06:11:00, after its deadline of 06:10 (--deadline)"


def _log(logs: Path, kind: str, started: datetime, body: str) -> None:
    logs.mkdir(exist_ok=True)
    (logs / f"{kind}_{started:%Y%m%d_%H%M%S}.json").write_text(body)


def test_the_success_rate_counts_the_last_days_runs_by_how_they_ended(tmp_path):
    for days_ago, kind, status in [(1, "etl", "success"), (2, "etl", "success"), (3, "etl", "failed_quality"),
                                   (4, "failed", None), (45, "etl", "success")]:  # the last is too old
        _log(tmp_path, kind, START - timedelta(days=days_ago), json.dumps({"status": status}))
    _log(tmp_path, "etl", START - timedelta(days=5), "{not json")  # a damaged log is not counted
    (tmp_path / "notes.json").write_text("{}")  # nor a file a run did not write
    assert recent_outcomes(tmp_path, START - timedelta(days=30)) == {
        "days": 30, "runs": 4, "success": 2, "failed_quality": 1, "failed": 1, "success_rate": 0.5}


def test_the_report_section_says_met_only_when_a_limit_is_set(tmp_path):
    unset = sla_section(Sla(), START, START + timedelta(minutes=2), tmp_path)
    assert unset["met"] is None and unset["breaches"] == [] and unset["duration_seconds"] == 120
    assert unset["history"]["runs"] == 0 and unset["history"]["success_rate"] is None
    met = sla_section(Sla(max_minutes=5, deadline=time(6, 30)), START, START + timedelta(minutes=2), tmp_path)
    assert met["met"] is True and met["deadline"] == "06:30" and met["max_minutes"] == 5


def test_a_deadline_is_the_next_after_the_start_unless_it_just_passed_at_that_moments_offset(monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time_module.tzset()
    try:
        due_at_seven = Sla(deadline=time(7, 0))
        # the night the clocks go forward (29 March 2026, 02:00 -> 03:00): started at 00:00 +01:00
        spring = datetime(2026, 3, 29, 0, 0).astimezone()
        assert due_at_seven.due(spring).isoformat() == "2026-03-29T07:00:00+02:00"
        assert due_at_seven.breaches(spring, datetime(2026, 3, 29, 7, 20).astimezone()), "07:20 is late"
        # and back (25 October 2026, 03:00 -> 02:00)
        autumn = datetime(2026, 10, 25, 0, 0).astimezone()
        assert due_at_seven.breaches(autumn, datetime(2026, 10, 25, 6, 40).astimezone()) == [], "06:40 is on time"
        # a run starting before midnight is due the next day
        night = datetime(2026, 11, 23, 23, 30).astimezone()
        assert Sla(deadline=time(1, 0)).due(night).isoformat() == "2026-11-24T01:00:00+01:00"
        # a 06:00 job due at 07:00 that starts at 09:00 (the machine was down) is late, not due tomorrow
        late_start = datetime(2026, 11, 23, 9, 0).astimezone()
        assert due_at_seven.due(late_start).isoformat() == "2026-11-23T07:00:00+01:00"
        assert due_at_seven.breaches(late_start, late_start + timedelta(minutes=1)) == [
            "SLA missed: the run finished at 09:01:00, after its deadline of 07:00 (--deadline)"]
        # more than 6 hours after it: the next one
        assert due_at_seven.due(datetime(2026, 11, 23, 13, 30).astimezone()).isoformat() == \
            "2026-11-24T07:00:00+01:00"
        # cron's @daily (midnight) with an afternoon deadline: the same day's
        midnight = datetime(2026, 11, 23, 0, 0).astimezone()
        assert Sla(deadline=time(14, 0)).due(midnight).isoformat() == "2026-11-23T14:00:00+01:00"
        assert Sla(deadline=time(14, 0)).breaches(midnight, midnight + timedelta(minutes=3)) == []
    finally:
        monkeypatch.undo()
        time_module.tzset()
