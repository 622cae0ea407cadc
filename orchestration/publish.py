"""Atomic publication of files and directories: readers see the old version or the new one,
never a half-written mix, and a run that fails after publishing puts the old version back.

A run publishes its outputs, then swaps in its warehouse: two renames. A journal written before
the first says how to finish or undo the publication, so that a run killed between them (SIGKILL,
the OOM killer) is completed or rolled back by the next run, never left as new outputs beside the
old warehouse. (Nothing is fsynced: after a power cut the file system decides what survived.)"""

from __future__ import annotations

import errno
import json
import os
import shutil
import uuid
from pathlib import Path

from seeds_gen.files import staged as staged_file

JOURNAL = "publication.json"  # in the run's work directory


def publish_directory(staged: Path, target: Path, journal: Path, warehouse: Path) -> None:
    """Make `target` show the contents of `staged`, atomically.

    `target` is a symbolic link to a version directory beside it (`.versions/`); publishing
    moves `staged` into a new version and swaps the link with one rename. The version it
    replaced stays until finish_publication(`journal`) (the publication is final once
    `warehouse`, the run's built copy, has been swapped in) or undo_publication(`journal`).
    """
    if journal.exists():
        raise RuntimeError(f"{journal} exists: a publication is already under way")
    versions = target.parent / ".versions"
    versions.mkdir(parents=True, exist_ok=True)
    version = versions / f"{target.name}.{uuid.uuid4().hex[:12]}"
    # A plain directory (e.g. written by a bare `dbt build`) cannot be swapped for a link in one
    # step: it is moved aside into a version first.
    plain = target.exists() and not target.is_symlink()
    previous = versions / f"{target.name}.{uuid.uuid4().hex[:12]}" if plain else (
        target.resolve() if target.is_symlink() else None)
    with staged_file(journal) as tmp:  # before the first rename
        tmp.write_text(json.dumps({"staged": str(staged), "target": str(target), "version": str(version),
                                   "previous": str(previous) if previous else None, "warehouse": str(warehouse)}))
    if plain:
        os.replace(target, previous)
    os.replace(staged, version)
    _link(target, version)


def finish_publication(journal: Path) -> None:
    """The publication is final: delete the version it replaced, then the journal."""
    entry = json.loads(journal.read_text())
    if entry["previous"]:
        shutil.rmtree(entry["previous"], ignore_errors=True)
    journal.unlink()


def undo_publication(journal: Path) -> None:
    """Show the version the publication replaced again (no link if there was none) and move the
    new one back to where it was staged, then delete the journal."""
    entry = json.loads(journal.read_text())
    target, version = Path(entry["target"]), Path(entry["version"])
    if entry["previous"] and Path(entry["previous"]).is_dir():
        _link(target, Path(entry["previous"]))
    elif target.is_symlink():
        target.unlink()
    if version.is_dir() and Path(entry["staged"]).parent.is_dir():
        os.replace(version, entry["staged"])
    else:
        shutil.rmtree(version, ignore_errors=True)
    journal.unlink()


def swapped_in(journal: Path) -> bool:
    """Whether the run that wrote `journal` swapped in its warehouse (the built copy the journal
    names is gone): a publication it did not live to end is then finished, else undone."""
    return not Path(json.loads(journal.read_text())["warehouse"]).exists()


def move_files(staged: Path, target: Path) -> list[Path]:
    """Move every file of `staged` into `target`, each by one rename (a reader sees a file whole
    or not at all); returns the moved files' new paths. Moving again after an interruption moves
    what was left."""
    if not staged.is_dir():
        return []
    target.mkdir(parents=True, exist_ok=True)
    moved = []
    for path in sorted(staged.iterdir()):
        try:
            os.replace(path, target / path.name)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            with staged_file(target / path.name) as tmp:  # another file system: copied, then renamed there
                shutil.copyfile(path, tmp)
            path.unlink()
        moved.append(target / path.name)
    return moved


def _link(target: Path, version: Path) -> None:
    link = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.link")
    link.symlink_to(os.path.relpath(version, target.parent))
    os.replace(link, target)


def remove_orphan_versions(outputs: Path) -> list[Path]:
    """Delete the version directories under outputs/.versions that no link in `outputs` points to,
    and links a publication left half made: a run killed while publishing leaves them, and they
    hold PII. Only for a caller that holds the run lock (no publication is under way) and has
    recovered the killed runs' publications. Returns what was deleted."""
    versions = outputs / ".versions"
    if not versions.is_dir():
        return []
    removed = [link for link in outputs.glob(".*.link") if link.is_symlink()]
    for link in removed:
        link.unlink()
    linked = {path.resolve() for path in outputs.iterdir() if path.is_symlink()}
    for version in sorted(versions.iterdir()):
        if version.resolve() not in linked:
            shutil.rmtree(version, ignore_errors=True)
            removed.append(version)
    return removed
