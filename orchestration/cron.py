"""Install or remove the daily job in the user's crontab, using the real `crontab` command.

Exactly one line is ours: the one ending with MARKER. Every other line of the crontab is read
back and written out unchanged, so users keep their own jobs and comments.
"""

from __future__ import annotations

import os
import shlex
import subprocess
from datetime import datetime
from pathlib import Path

from croniter import croniter

MARKER = "# customer-dq:daily"
LOG_NAME = "cron.log"  # in the job's data directory's logs/: what the job prints, appended
LOG_KEPT_BYTES = 10 * 1024 * 1024  # beyond this the log is rotated once: cron.log.1 holds the one before
# cron's own aliases. croniter does not know @reboot, and a boot-time job is not a daily job anyway.
ALIASES = frozenset({"@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"})
INSTALL_HINT = "the crontab command is not installed: apt-get install cron"


def install(schedule: str, command: str, log_file: Path) -> str:
    """Add or replace the managed entry; return the line installed."""
    validate_schedule(schedule)
    if "\n" in command or "\r" in command:
        raise ValueError(f"the cron command must be one line: {command!r}")
    lines = [kept for kept in _read() or [] if not _is_managed(kept)]  # first: no crontab, nothing made
    # cron runs jobs from $HOME: a relative log path would land there, not where the user meant.
    log_file = Path(log_file).absolute()
    log_file.parent.mkdir(parents=True, exist_ok=True)
    line = entry_line(schedule, command, log_file)
    _write([*lines, line])
    return line


def rotate_log(logs_dir: Path) -> None:
    """Start a new cron.log when it outgrew LOG_KEPT_BYTES, the previous one kept as cron.log.1: the
    job appends to it every day for ever. The running job, whose shell opened it, goes on writing to
    it under its new name; the next job opens a new one."""
    log = logs_dir / LOG_NAME
    if log.is_file() and log.stat().st_size > LOG_KEPT_BYTES:
        os.replace(log, log.with_name(f"{LOG_NAME}.1"))


def remove() -> bool:
    """Remove the managed entry; True if there was one. No crontab at all is not an error."""
    lines = _read()
    if lines is None:
        return False
    kept = [line for line in lines if not _is_managed(line)]
    if len(kept) == len(lines):
        return False
    if any(line.strip() for line in kept):
        _write(kept)
    else:  # the crontab was ours alone: leave none, as before install, not an empty one
        result = _crontab("-r")
        if result.returncode != 0:
            raise RuntimeError(f"crontab -r failed (exit {result.returncode}): {result.stderr.strip()}")
    return True


def installed() -> str | None:
    """The managed line, or None."""
    return next((line for line in _read() or [] if _is_managed(line)), None)


def daemon_running(proc: Path = Path("/proc")) -> bool:
    """Whether a cron daemon (cron, crond) runs on this machine: an installed entry does nothing
    without one (containers often have the crontab command but no daemon)."""
    for comm in proc.glob("[0-9]*/comm"):
        try:
            if comm.read_text().strip() in ("cron", "crond"):
                return True
        except OSError:  # the process ended while we looked
            continue
    return False


def validate_schedule(schedule: str) -> None:
    """Raise ValueError unless `schedule` is something cron itself accepts."""
    fields = schedule.split()
    if len(fields) == 1 and fields[0] in ALIASES:
        return
    # croniter also accepts 6- and 7-field (seconds, year) expressions that cron rejects.
    if len(fields) != 5 or not croniter.is_valid(schedule):
        raise ValueError(f"invalid cron schedule: {schedule!r} (want 5 fields like '0 6 * * *', or @daily/@hourly...)")


def entry_line(schedule: str, command: str, log_file: Path) -> str:
    # An unescaped % in a crontab command is turned into a newline by cron.
    job = f"{command} >> {shlex.quote(str(log_file))} 2>&1".replace("%", r"\%")
    # cron passes the whole rest of the line to sh, which reads the marker as a comment.
    return f"{' '.join(schedule.split())} {job} {MARKER}"


def job_of(line: str) -> str:
    """The command of a crontab line (what cron hands to sh): the line without its schedule and
    without our marker."""
    return _split(line)[1].removesuffix(MARKER).rstrip()


def next_run(line: str, after: datetime) -> datetime:
    """When cron starts the crontab line's job next after `after` (local time)."""
    return croniter(_split(line)[0], after).get_next(datetime)


def _split(line: str) -> tuple[str, str]:
    """A crontab line's schedule (one @alias field, else five) and the rest."""
    fields = 1 if line.startswith("@") else 5
    parts = line.split(maxsplit=fields)
    return " ".join(parts[:fields]), parts[fields]


def _is_managed(line: str) -> bool:
    return line.rstrip().endswith(MARKER)


def _crontab(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    # CDQ_CRONTAB names another crontab binary (e.g. not on PATH under cron's minimal environment).
    binary = os.environ.get("CDQ_CRONTAB", "crontab")
    try:
        return subprocess.run([binary, *args], input=stdin, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise RuntimeError(INSTALL_HINT) from None


def _read() -> list[str] | None:
    """The crontab's lines, or None when the user has no crontab."""
    result = _crontab("-l")
    if result.returncode == 0:
        return result.stdout.splitlines()
    # `crontab -l` exits 1 with "no crontab for <user>" when there is none: that is a state, not a failure.
    if "no crontab for" in result.stderr:
        return None
    raise RuntimeError(f"crontab -l failed (exit {result.returncode}): {result.stderr.strip()}")


def _write(lines: list[str]) -> None:
    # cron rejects a last line without a newline ("premature EOF").
    text = "".join(f"{line}\n" for line in lines)
    result = _crontab("-", stdin=text)
    if result.returncode != 0:
        raise RuntimeError(f"crontab - failed (exit {result.returncode}): {result.stderr.strip()}")
