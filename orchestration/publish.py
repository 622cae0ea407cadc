"""Atomic publication of files and directories: readers see the old version or the new one,
never a half-written mix, and a failed run never touches what was published."""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path


def publish_directory(staged: Path, target: Path) -> None:
    """Make `target` show the contents of `staged`, atomically.

    `target` is a symbolic link to a version directory beside it (`.versions/`); publishing
    moves `staged` into a new version and swaps the link with one rename. The previous
    version is deleted afterwards.
    """
    versions = target.parent / ".versions"
    versions.mkdir(parents=True, exist_ok=True)
    version = versions / f"{target.name}.{uuid.uuid4().hex[:12]}"
    os.replace(staged, version)
    previous = target.resolve() if target.is_symlink() else None
    if target.exists() and not target.is_symlink():
        # A plain directory (e.g. written by a bare `dbt build`) cannot be swapped for a link
        # in one step: move it aside first.
        previous = versions / f"{target.name}.{uuid.uuid4().hex[:12]}"
        os.replace(target, previous)
    link = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.link")
    link.symlink_to(os.path.relpath(version, target.parent))
    os.replace(link, target)
    if previous is not None and previous != version.resolve():
        shutil.rmtree(previous, ignore_errors=True)

