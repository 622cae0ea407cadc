"""Shared benchmark plumbing: run a command in a fresh process, measure wall time and peak RSS."""

from __future__ import annotations

import os
import platform
import signal
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


class MemoryCapExceeded(Exception):
    """The command's process tree grew past the cap it was given and was stopped."""

    def __init__(self, command: list[str], peak_rss_mb: float, cap_mb: float) -> None:
        super().__init__(f"stopped at {peak_rss_mb:,.0f} MB (cap {cap_mb:,.0f} MB): {' '.join(command)}")
        self.peak_rss_mb = peak_rss_mb


def measure(command: list[str], env: dict[str, str] | None = None, sample_every: float = 0.1,
            max_rss_mb: float | None = None) -> Measurement:
    """Run `command` to completion; fail loudly if it fails (a benchmark of a failure is no figure).

    With `max_rss_mb`, a process tree growing past it is stopped (MemoryCapExceeded) before it
    can push a shared machine into the kernel's out-of-memory killer, which picks its own victim."""
    start = time.perf_counter()
    # Its own process group, so that the whole tree can be stopped and nothing else.
    child = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                             start_new_session=True)
    peak = 0.0
    try:
        while child.poll() is None:
            peak = max(peak, _tree_rss_mb(child.pid))
            if max_rss_mb is not None and peak > max_rss_mb:
                _stop(child)
                raise MemoryCapExceeded(command, peak, max_rss_mb)
            time.sleep(sample_every)
    except BaseException:  # Ctrl-C too: the child's own session would not see it
        _stop(child)
        raise
    elapsed = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"benchmark command failed ({child.returncode}): {' '.join(command)}")
    return Measurement(elapsed, peak)


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is None:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()


def machine(packages: tuple[str, ...] = ("duckdb", "dbt-core", "dbt-duckdb")) -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    versions = ", ".join(f"{p} {version(p)}" for p in packages)
    return (f"{platform.machine()}, {os.cpu_count()} cores, {memory_gb:.0f} GB; "
            f"Python {platform.python_version()}; {versions}")
