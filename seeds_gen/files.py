"""File helpers shared by the generator and the runner: atomic writes, owner-only files and checksums."""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged(target: Path) -> Iterator[Path]:
    """A fresh temporary file beside `target`, moved over it only if the block succeeds,
    so readers see the old file or the new one, never a half-written one.

    The writer holds an flock on the temporary file until it is moved or deleted. The kernel
    drops the lock when the writer dies, so `remove_abandoned` can tell the half-written file of
    a killed writer (it may hold PII) from one still being written."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        os.close(fd)


@contextmanager
def owner_only() -> Iterator[None]:
    """Files and folders created in the block are their owner's only (umask 077: 0600 and 0700):
    what a run writes holds personal data, like the raw files (mkstemp's 0600). The umask is the
    process's: every writer in it (DuckDB's threads, dbt) follows it, not only this module's."""
    previous = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(previous)


def remove_abandoned(root: Path) -> list[Path]:
    """Delete the temporary files `staged` writers left under `root` when they died mid-write
    (e.g. killed with SIGKILL); files whose writer is alive are left alone. Returns the deleted."""
    removed = []
    for path in sorted(root.rglob(".*.tmp")):
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:
            continue  # its writer has just finished
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # a live writer holds it
        else:
            path.unlink(missing_ok=True)
            removed.append(path)
        finally:
            os.close(fd)
    return removed


def read_manifest(path: Path) -> dict:
    """A raw day's manifest (the generator's or the ingest's JSON), {} when there is none."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
