"""Atomic writes, and the half-written files of killed writers: real processes, real SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from seeds_gen.files import remove_abandoned

# Writes half a file through staged(), says where, and holds it until its stdin closes.
WRITER = """
import sys
from pathlib import Path
from seeds_gen.files import staged
with staged(Path(sys.argv[1])) as tmp:
    tmp.write_text("half a file: jane.doe@example.com")
    print(tmp, flush=True)
    sys.stdin.read()
"""


def start_writer(target: Path) -> tuple[subprocess.Popen, Path]:
    """A process half-way through writing `target`, and its temporary file."""
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(target)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    return writer, Path(writer.stdout.readline().strip())


def kill_writer(target: Path) -> Path:
    """The temporary file a writer of `target` left when it was killed with SIGKILL."""
    writer, tmp = start_writer(target)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    return tmp


def test_a_killed_writers_file_is_removed_and_a_live_writers_is_kept(tmp_path):
    (tmp_path / "raw").mkdir()
    abandoned = kill_writer(tmp_path / "raw" / "customers.parquet")
    live, in_progress = start_writer(tmp_path / "report.csv")
    try:
        assert abandoned.exists() and in_progress.exists()
        assert remove_abandoned(tmp_path) == [abandoned]
        assert not abandoned.exists() and in_progress.exists(), "a file still being written is left alone"
        assert not (tmp_path / "raw" / "customers.parquet").exists(), "the target never saw the half file"
    finally:
        live.stdin.close()
        assert live.wait(timeout=30) == 0
    assert (tmp_path / "report.csv").read_text().startswith("half a file"), "the live writer finished its file"
    assert not in_progress.exists() and remove_abandoned(tmp_path) == []
