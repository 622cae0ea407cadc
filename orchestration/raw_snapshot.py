"""The run date's raw files as they were before a run, so a run that does not publish leaves them
as it found them: the warehouse's raw views read them, and must keep matching its marts.

Kept as hard links in the run's work directory (free, and safe: every raw file is replaced by a
rename, never rewritten in place). A killed run's snapshot is restored by the next run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

SNAPSHOT = "raw_before_run"
ORIGIN = ".raw_dir"  # in the snapshot: the raw directory it was taken from


def _raw_files(directory: Path) -> list[Path]:
    # Names starting with '.' are writes in progress (seeds_gen.files.staged), not raw files.
    return [p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")] if directory.is_dir() else []


def keep(raw_dir: Path, work_dir: Path) -> None:
    snapshot = work_dir / SNAPSHOT
    snapshot.mkdir()
    for path in _raw_files(raw_dir):
        try:
            os.link(path, snapshot / path.name)
        except OSError:
            shutil.copy2(path, snapshot / path.name)
    (snapshot / ORIGIN).write_text(str(raw_dir))


def restore(work_dir: Path) -> Path | None:
    """Put the raw files back as the snapshot in `work_dir` has them (files the run added are
    removed); returns the raw directory, or None when there is no snapshot."""
    snapshot = work_dir / SNAPSHOT
    if not (snapshot / ORIGIN).exists():
        return None
    raw_dir = Path((snapshot / ORIGIN).read_text())
    kept = _raw_files(snapshot)
    for path in _raw_files(raw_dir):
        if not (snapshot / path.name).exists():
            path.unlink()
    if kept:
        raw_dir.mkdir(parents=True, exist_ok=True)
        for path in kept:
            os.replace(path, raw_dir / path.name)
    elif raw_dir.is_dir() and not any(raw_dir.iterdir()):
        raw_dir.rmdir()  # the run created it
    discard(work_dir)
    return raw_dir


def discard(work_dir: Path) -> None:
    """The run published: its raw files are the ones that go with the live data now."""
    shutil.rmtree(work_dir / SNAPSHOT, ignore_errors=True)
