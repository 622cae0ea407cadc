"""The run date's raw files as they were before a run, so a run that does not publish takes back
what it wrote there: the warehouse's raw views read them, and must keep matching its marts.

Kept as hard links in the run's work directory (free, and safe: every raw file is replaced by a
rename, never rewritten in place). Only the run's own writes are taken back (step generate or
ingest, inside `writing`): a file a source system delivers or replaces while the run is under way
(a late delivery the run waits for, a corrected file) is the source's, and stays as it is. A
killed run's snapshot is restored by the next run; one killed while writing raw files takes back
every file that differs from its snapshot, as it cannot tell its own writes from the source's."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SNAPSHOT = "raw_before_run"
ORIGIN = ".raw_dir"  # in the snapshot: the raw directory it was taken from
WRITING = ".writing"  # in the snapshot: the run started writing raw files
WRITTEN = ".written.json"  # in the snapshot: the files it wrote or deleted, by name, as it left them


def _raw_files(directory: Path) -> list[Path]:
    # Names starting with '.' are writes in progress (seeds_gen.files.staged), not raw files.
    return [p for p in directory.iterdir() if p.is_file() and not p.name.startswith(".")] if directory.is_dir() else []


def _identity(path: Path) -> list[int] | None:
    """What tells one version of a file from another (a rename puts a new inode in its place); None
    for no file."""
    if not path.is_file():
        return None
    stat = path.stat()
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def keep(raw_dir: Path, work_dir: Path) -> None:
    snapshot = work_dir / SNAPSHOT
    snapshot.mkdir()
    for path in _raw_files(raw_dir):
        try:
            os.link(path, snapshot / path.name)
        except OSError:
            shutil.copy2(path, snapshot / path.name)
    (snapshot / ORIGIN).write_text(str(raw_dir))


@contextmanager
def writing(work_dir: Path) -> Iterator[None]:
    """The run writes raw files inside this block: those it adds, replaces or deletes (ingest drops
    the generator's answer key) are recorded as it leaves them, also when the block fails (each
    attempt of a retried step adds to the record)."""
    snapshot = work_dir / SNAPSHOT
    raw_dir = Path((snapshot / ORIGIN).read_text())
    record = snapshot / WRITTEN
    written = json.loads(record.read_text()) if record.exists() else {}
    before = {path.name: _identity(path) for path in _raw_files(raw_dir)}
    (snapshot / WRITING).touch()
    record.unlink(missing_ok=True)  # killed before the record is written again: everything that changed
    try:
        yield
    finally:
        names = set(before) | {path.name for path in _raw_files(raw_dir)}
        written |= {name: _identity(raw_dir / name) for name in names if before.get(name) != _identity(raw_dir / name)}
        (snapshot / f"{WRITTEN}.new").write_text(json.dumps(written))
        os.replace(snapshot / f"{WRITTEN}.new", record)


def _written_by_run(snapshot: Path, raw_dir: Path) -> list[str]:
    """The names of the raw files still as the run left them (written, or deleted): changed since by
    another writer, a file is not the run's."""
    if not (snapshot / WRITING).exists():
        return []
    if (snapshot / WRITTEN).exists():
        written = json.loads((snapshot / WRITTEN).read_text())
        return sorted(name for name, identity in written.items() if _identity(raw_dir / name) == identity)
    names = {path.name for path in _raw_files(raw_dir)} | {path.name for path in _raw_files(snapshot)}
    return sorted(name for name in names if _identity(raw_dir / name) is None or _identity(snapshot / name) is None
                  or not os.path.samefile(raw_dir / name, snapshot / name))


def restore(work_dir: Path) -> list[Path]:
    """Take back the raw files the run in `work_dir` wrote: remove those it added, put back those
    it replaced or deleted; returns their paths (none without a snapshot)."""
    snapshot = work_dir / SNAPSHOT
    if not (snapshot / ORIGIN).exists():
        return []
    raw_dir = Path((snapshot / ORIGIN).read_text())
    ours = [raw_dir / name for name in _written_by_run(snapshot, raw_dir)]
    for path in ours:
        if (snapshot / path.name).exists():
            raw_dir.mkdir(parents=True, exist_ok=True)
            os.replace(snapshot / path.name, path)
        else:
            path.unlink(missing_ok=True)
    if ours and raw_dir.is_dir() and not any(raw_dir.iterdir()):
        raw_dir.rmdir()  # the run created it
    discard(work_dir)
    return ours


def discard(work_dir: Path) -> None:
    """The run published: its raw files are the ones that go with the live data now."""
    shutil.rmtree(work_dir / SNAPSHOT, ignore_errors=True)
