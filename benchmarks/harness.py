"""Shared benchmark plumbing: run a command in a fresh process, measure wall time and peak RSS."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from dataclasses import dataclass
from importlib.metadata import version


@dataclass(frozen=True)
class Measurement:
    seconds: float
    peak_rss_mb: float


def measure(command: list[str], env: dict[str, str] | None = None) -> Measurement:
    """Run `command` to completion; fail loudly if it fails (a benchmark of a failure is no figure)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"benchmark command failed ({status}): {' '.join(command)}")
    # ru_maxrss is in kilobytes on Linux, and covers the process and the children it waited for.
    return Measurement(elapsed, usage.ru_maxrss / 1024)


def machine() -> str:
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    packages = ", ".join(f"{p} {version(p)}" for p in ("duckdb", "dbt-core", "dbt-duckdb"))
    return (f"{platform.machine()}, {os.cpu_count()} cores, {memory_gb:.0f} GB; "
            f"Python {platform.python_version()}; {packages}")
