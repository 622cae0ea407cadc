"""Shared benchmark plumbing: run a command in a fresh process, measure wall time and peak RSS."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_rss_mb: float  # the whole process tree's resident memory at its peak (sampled)


def _tree_rss_mb(root: int) -> float:
    """Resident memory of `root` and all its descendants (worker processes count too)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended while we looked
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in tree]
        tree.update(children)
        frontier.extend(children)
    total = 0.0
    for pid in tree:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_MB
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(command: list[str], env: dict[str, str] | None = None, sample_every: float = 0.1) -> Measurement:
    """Run `command` to completion; fail loudly if it fails (a benchmark of a failure is no figure)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    peak = 0.0
    while child.poll() is None:
        peak = max(peak, _tree_rss_mb(child.pid))
        time.sleep(sample_every)
    elapsed = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"benchmark command failed ({child.returncode}): {' '.join(command)}")
    return Measurement(elapsed, peak)


def machine() -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    packages = ", ".join(f"{p} {version(p)}" for p in ("duckdb", "dbt-core", "dbt-duckdb"))
    return (f"{platform.machine()}, {os.cpu_count()} cores, {memory_gb:.0f} GB; "
            f"Python {platform.python_version()}; {packages}")
