"""--retention-days: the runs' exports and unsent messages hold PII (the customers CSV, e-mails
with it attached), so a user can bound how long they are kept. A file's age is the run stamp in
its name (<name>_<YYYYMMDD_HHMMSS>.<ext>, the run's start in local time), not its modification time,
which a copy or a backup restore changes."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from orchestration import run_files
from orchestration.sla import parse_stamp

STAMP = re.compile(r"_(\d{8}_\d{6})\.")
# What a run writes into reports/ and outbox/: a user's file there, even one with a stamp-like name,
# is not ours to delete.
RUN_FILE = re.compile(rf"({'|'.join(run_files.KINDS)})_\d{{8}}_\d{{6}}\.({'|'.join(run_files.EXTENSIONS)})")


def stamped_at(path: Path) -> datetime | None:
    """When the run that wrote `path` started, from its name; None for a file without a stamp."""
    found = STAMP.search(path.name)
    return parse_stamp(found[1]) if found else None


def remove_older_than(directories: list[Path], days: int, now: datetime) -> list[Path]:
    """Delete the files runs wrote into `directories` (RUN_FILE; not their subdirectories) more
    than `days` days before `now`; returns them. Any other file is never touched."""
    cutoff = now - timedelta(days=days)
    removed = []
    for directory in directories:
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            written = stamped_at(path) if RUN_FILE.fullmatch(path.name) else None
            if path.is_file() and written is not None and written < cutoff:
                path.unlink()
                removed.append(path)
    return removed
