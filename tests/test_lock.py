from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.lock import LockHeld, RunLock

REPO_ROOT = Path(__file__).resolve().parent.parent

HOLDER_SCRIPT = """
import sys, time
from pathlib import Path
from orchestration.lock import RunLock
with RunLock(Path(sys.argv[1]), run_date="2026-11-23"):
    time.sleep(120)
"""


def read_record(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def wait_for_holder(proc: subprocess.Popen[str], path: Path, timeout: float = 20.0) -> dict:
    """Block until `proc` has written its record into the lock file, i.e. holds the lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = read_record(path)
        if record and record.get("pid") == proc.pid:
            return record
        if proc.poll() is not None:
            pytest.fail(f"holder exited early ({proc.returncode}): {proc.stderr.read() if proc.stderr else ''}")
        time.sleep(0.02)
    pytest.fail(f"holder pid {proc.pid} never wrote {path}")


@pytest.fixture
def lock_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / ".run.lock"


@pytest.fixture
def holder(lock_path: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding the lock for run date 2026-11-23."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER_SCRIPT, str(lock_path)],
        cwd=REPO_ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_holder(proc, lock_path)
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()


def test_second_process_is_refused_with_the_holders_pid(holder: subprocess.Popen[str], lock_path: Path) -> None:
    with pytest.raises(LockHeld) as refused, RunLock(lock_path, run_date="2026-11-24"):
        pytest.fail("acquired a lock held by another process")
    message = str(refused.value)
    assert message.startswith("another run is in progress: ")
    assert f"pid {holder.pid} on host " in message
    assert "run date 2026-11-23" in message
    assert f"(lock file {lock_path})" in message
    assert "\n" not in message
    assert refused.value.holder is not None and refused.value.holder["pid"] == holder.pid
    # The refused attempt must leave the holder's record alone.
    assert read_record(lock_path)["pid"] == holder.pid


def test_lock_of_a_killed_process_is_recovered(holder: subprocess.Popen[str], lock_path: Path) -> None:
    dead_pid = holder.pid
    os.kill(dead_pid, signal.SIGKILL)
    holder.wait(timeout=10)

    with RunLock(lock_path, run_date="2026-11-24") as lock:
        assert lock.recovered_from is not None
        assert lock.recovered_from["pid"] == dead_pid
        assert lock.recovered_from["run_date"] == "2026-11-23"
        assert lock.recovered_from["started_at"].endswith("Z")
        mine = read_record(lock_path)
        assert mine is not None and mine["pid"] == os.getpid() and mine["run_date"] == "2026-11-24"
    # Released cleanly: the file stays (never deleted) but its record is gone.
    assert lock_path.exists() and lock_path.read_text() == ""


def test_sequential_acquire_and_release_in_one_process(lock_path: Path) -> None:
    for _ in range(2):
        with RunLock(lock_path, run_date="2026-11-23") as lock:
            assert lock.recovered_from is None
            record = read_record(lock_path)
            assert record is not None
            assert set(record) == {"pid", "hostname", "run_date", "started_at"}
            assert record["pid"] == os.getpid()
        assert lock_path.exists() and lock_path.read_text() == ""


def test_nested_acquisition_in_one_process_is_refused(lock_path: Path) -> None:
    # flock belongs to the open file, not the process: a second RunLock is a second locker.
    with RunLock(lock_path, run_date="2026-11-23"), pytest.raises(LockHeld, match=f"pid {os.getpid()} "):
        RunLock(lock_path, run_date="2026-11-23").acquire()


def test_lock_is_released_when_the_body_raises(lock_path: Path) -> None:
    with pytest.raises(ZeroDivisionError), RunLock(lock_path, run_date="2026-11-23"):
        1 / 0  # noqa: B018
    with RunLock(lock_path, run_date="2026-11-23") as lock:
        assert lock.recovered_from is None
