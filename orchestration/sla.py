"""Service levels (seed 004's SLA monitoring): how long the run took and when it finished, against
the limits given (`--sla-minutes`, `--deadline`), and how often recent runs succeeded.

The success rate is read from the run logs (logs/etl_<stamp>.json: a finished run, passed or
stopped by a gate; logs/failed_<stamp>.json: a failed or stopped run), not from the warehouse:
a run that fails changes nothing there, so the warehouse only knows the runs that got through."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path

HISTORY_DAYS = 30
LATE_START_HOURS = 6  # a run starting up to this long after its deadline is late for it, not early for the next
STAMP_FORMAT = "%Y%m%d_%H%M%S"  # the runs' file names (logs/etl_<stamp>.json): local time
SUMMARY_LOG, FAILURE_LOG = "etl", "failed"  # logs/<kind>_<stamp>.json of a finished and of a failed run


@dataclass(frozen=True)
class Sla:
    max_minutes: float | None = None  # the run takes at most this long
    deadline: time | None = None  # local time by which the run has finished (which day's: due())

    def breaches(self, started_at: datetime, finished_at: datetime) -> list[str]:
        """What the run missed, in words; none when no limit is set or every one is met."""
        missed = []
        minutes = (finished_at - started_at).total_seconds() / 60
        if self.max_minutes is not None and minutes > self.max_minutes:
            missed.append(f"SLA missed: the run took {minutes:.1f} min, over its {self.max_minutes:g} min "
                          "(--sla-minutes)")
        if self.deadline is not None and finished_at > self.due(started_at):
            missed.append(f"SLA missed: the run finished at {finished_at.astimezone():%H:%M:%S}, after its deadline "
                          f"of {self.deadline:%H:%M} (--deadline)")
        return missed

    def due(self, started_at: datetime) -> datetime:
        """The deadline's first local time after the start, unless the start is less than
        LATE_START_HOURS after one: then the run is late for that one. So a 23:30 run due at 01:00
        is due the next day, a midnight run due at 14:00 the same day, and a 06:00 job due at 07:00
        that starts at 09:00 (the machine was down, the lock was held) is two hours late, not due
        the next morning. With that moment's own UTC offset: a clock change moves it."""
        started = started_at.astimezone().replace(tzinfo=None)
        due = datetime.combine(started.date(), self.deadline)  # type: ignore[arg-type]
        if due <= started - timedelta(hours=LATE_START_HOURS):
            due += timedelta(days=1)
        elif due > started + timedelta(hours=24 - LATE_START_HOURS):
            due -= timedelta(days=1)
        return due.astimezone()  # a naive time is the machine's local time, at its offset then


def sla_section(sla: Sla, started_at: datetime, finished_at: datetime, logs_dir: Path) -> dict:
    """The report's `sla` section."""
    breaches = sla.breaches(started_at, finished_at)
    return {
        "max_minutes": sla.max_minutes,
        "deadline": sla.deadline.strftime("%H:%M") if sla.deadline else None,
        "duration_seconds": round((finished_at - started_at).total_seconds(), 3),
        "met": None if sla.max_minutes is None and sla.deadline is None else not breaches,
        "breaches": breaches,
        "history": recent_outcomes(logs_dir, started_at.astimezone() - timedelta(days=HISTORY_DAYS)),
    }


def recent_outcomes(logs_dir: Path, since: datetime) -> dict:
    """How the runs started since `since` ended, from their logs (the running one has none yet)."""
    outcomes = {"success": 0, "failed_quality": 0, "failed": 0}
    for log in logs_dir.glob("*_*.json"):
        kind, _, stamp = log.stem.partition("_")
        started = parse_stamp(stamp)
        if kind not in (SUMMARY_LOG, FAILURE_LOG) or started is None or started < since:
            continue
        if kind == FAILURE_LOG:
            outcomes["failed"] += 1
            continue
        try:
            status = json.loads(log.read_text()).get("status")
        except (OSError, ValueError):  # a log a user edited or truncated: not counted
            continue
        if status in outcomes:
            outcomes[status] += 1
    runs = sum(outcomes.values())
    return {"days": HISTORY_DAYS, "runs": runs, **outcomes,
            "success_rate": round(outcomes["success"] / runs, 6) if runs else None}


def parse_stamp(stamp: str) -> datetime | None:
    """When the run with this stamp (STAMP_FORMAT, local time) started; None if it is no stamp."""
    try:
        return datetime.strptime(stamp, STAMP_FORMAT).astimezone()
    except ValueError:  # digits that are no time: not one of ours
        return None
