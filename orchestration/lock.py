"""The daily runner's run lock: one run at a time per data directory.

The lock is an flock on a file that also holds a small JSON record of its holder. The kernel
releases an flock when its process dies, so a killed run never blocks the next one: the next run
simply acquires the lock and finds the dead holder's record still in the file ("stale").
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

# A holder writes its record just after taking the lock; a refused locker waits this long to read it.
RECORD_WAIT_SECONDS = 1.0


class LockHeld(Exception):
    """Another live process holds the run lock."""

    def __init__(self, path: Path, holder: dict[str, Any] | None) -> None:
        self.path = path
        self.holder = holder
        who = describe_holder(holder) if holder else "holder unknown (no record in the lock file)"
        super().__init__(f"another run is in progress: {who} (lock file {path})")


class RunLock:
    """`with RunLock(data_dir / ".run.lock", run_date="2026-11-23") as lock: ...`

    After entering, `recovered_from` is the record left by a run that died holding the lock, or None.
    """

    def __init__(self, path: Path, run_date: str | date) -> None:
        self.path = Path(path)
        self.run_date = str(run_date)
        self.recovered_from: dict[str, Any] | None = None
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()

    def acquire(self) -> None:
        """Take the lock or raise LockHeld; never waits for a live holder."""
        if self._fd is not None:
            raise RuntimeError(f"{self.path} is already held by this RunLock")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # os.open is close-on-exec: dbt or other children outliving us must not keep the lock alive.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _wait_for_record(fd)
            os.close(fd)
            raise LockHeld(self.path, holder) from None
        # A clean exit truncates the file, so anything still in it was left by a run that died.
        self.recovered_from = _parse_record(_read_text(fd))
        _write_text(fd, json.dumps(self._record()) + "\n")
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        # Truncate rather than delete: unlinking a lock file races with a locker that has it open.
        try:
            os.ftruncate(fd, 0)
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _record(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "hostname": socket.gethostname(),
            "run_date": self.run_date,
            "started_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }


def describe_holder(record: dict[str, Any]) -> str:
    """'pid 1234 on host X, run date 2026-11-23, started 2026-11-23T10:00:00Z'"""
    return (
        f"pid {record.get('pid', '?')} on host {record.get('hostname', '?')}, "
        f"run date {record.get('run_date', '?')}, started {record.get('started_at', '?')}"
    )


def _wait_for_record(fd: int) -> dict[str, Any] | None:
    # The holder takes the lock, then truncates and writes: for a moment the file can be empty.
    deadline = time.monotonic() + RECORD_WAIT_SECONDS
    while True:
        record = _parse_record(_read_text(fd))
        if (record and "raw" not in record) or time.monotonic() >= deadline:
            return record
        time.sleep(0.05)


def _parse_record(text: str) -> dict[str, Any] | None:
    if not text.strip():
        return None
    try:
        record = json.loads(text)
    except json.JSONDecodeError:
        record = None
    # A run killed mid-write leaves a fragment: still worth reporting, so keep it as text.
    return record if isinstance(record, dict) else {"raw": text.strip()[:200]}


def _read_text(fd: int) -> str:
    return os.pread(fd, 4096, 0).decode("utf-8", errors="replace")


def _write_text(fd: int, text: str) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, text.encode(), 0)
    os.fsync(fd)
