"""DuckDB connections for the runner's own steps (ingest, profile, exports, reading the results),
with the engine settings dbt gets from profiles.yml, from the same environment variables
(README "Engine settings"), so that one setting tunes a whole large run.

Insertion order is kept here (DuckDB's default), unlike in dbt's models: the raw file's row
numbers come from the input's row order, and the exports follow their source's order."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

PROFILES = Path(__file__).resolve().parent.parent / "profiles.yml"


def _profile_defaults() -> dict[str, str]:
    """The literal defaults profiles.yml gives its variables (`env_var('NAME', 'default')`): held
    there once, for dbt and for these connections alike."""
    return dict(re.findall(r"env_var\('(CDQ_\w+)', '([^']*)'\)", PROFILES.read_text(encoding="utf-8")))


DEFAULTS = _profile_defaults()

# DuckDB setting -> (environment variable, default); no default: DuckDB's own.
VARIABLES = {
    "threads": ("CDQ_DUCKDB_THREADS", DEFAULTS["CDQ_DUCKDB_THREADS"]),
    "memory_limit": ("CDQ_DUCKDB_MEMORY_LIMIT", DEFAULTS["CDQ_DUCKDB_MEMORY_LIMIT"]),
    "temp_directory": ("CDQ_DUCKDB_TEMP_DIRECTORY", None),
}


# Every variable of README "Engine settings" (profiles.yml reads them all).
ENGINE_VARIABLES = (*(variable for variable, _ in VARIABLES.values()), "CDQ_DUCKDB_PRESERVE_ORDER",
                    "CDQ_DBT_THREADS", "CDQ_WAREHOUSE")


class EngineSettingsError(ValueError):
    """DuckDB refused a setting given in the environment."""


def check_settings() -> None:
    """Every engine setting of the environment, checked as DuckDB and dbt will read it, so that a
    wrong one stops a run (or a cron-install) at once, naming the variable, instead of failing a
    later step and being retried. Raises EngineSettingsError."""
    preserve_order = ("CDQ_DUCKDB_PRESERVE_ORDER", DEFAULTS["CDQ_DUCKDB_PRESERVE_ORDER"])
    for name, (variable, default) in {**VARIABLES, "preserve_insertion_order": preserve_order}.items():
        value = os.environ.get(variable, default)  # set but empty is what dbt's env_var() passes on
        if value is None or name == "temp_directory":  # a directory DuckDB creates when it first spills
            continue
        try:
            duckdb.connect(config={name: value}).close()
        except duckdb.Error as exc:
            raise EngineSettingsError(f"{variable}={value!r}: DuckDB refused it: {' '.join(str(exc).split())}") from exc
    dbt_threads = os.environ.get("CDQ_DBT_THREADS", DEFAULTS["CDQ_DBT_THREADS"])
    try:
        threads = int(dbt_threads)  # as profiles.yml's `| int` reads it
    except ValueError:
        threads = 0
    if threads < 1:
        raise EngineSettingsError(f"CDQ_DBT_THREADS={dbt_threads!r}: must be a whole number of at least 1")


def settings() -> dict[str, str]:
    values = {name: os.environ.get(variable, default) for name, (variable, default) in VARIABLES.items()}
    return {name: value for name, value in values.items() if value}


class DatabaseLockedError(OSError):
    """Another process holds the database file (DuckDB allows one writer process, or readers)."""


# DuckDB's words for it: Could not set lock on file "<path>": Conflicting lock is held in <program> (PID <n>)...
_CONFLICTING_LOCK = re.compile(r"Conflicting lock is held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def connect(database: Path | str = ":memory:", read_only: bool = False) -> duckdb.DuckDBPyConnection:
    config = settings()
    try:
        return duckdb.connect(str(database), read_only=read_only, config=config)
    except (duckdb.ParserException, duckdb.InvalidInputException) as exc:
        given = ", ".join(f"{VARIABLES[name][0]}={value!r}" for name, value in config.items())
        raise EngineSettingsError(f"DuckDB refused the engine settings ({given}): {exc}") from exc
    except duckdb.IOException as exc:
        locked = locked_out(database, exc, read_only)
        if locked is None:
            raise
        raise locked from exc


def locked_out(database: Path | str, exc: duckdb.IOException, read_only: bool) -> DatabaseLockedError | None:
    """DuckDB's refusal to open a file another process holds, said with what to do; None for any
    other I/O error."""
    locked = _CONFLICTING_LOCK.search(str(exc))
    if locked is None:
        return None
    holder = f"another process (PID {locked['pid']}, {Path(locked['program']).name})"
    if read_only:  # a reader is shut out by a writer only: sessions that read need not write
        return DatabaseLockedError(
            f"{database} is open for writing in {holder}: close that session, or open the warehouse read-only "
            f"(`just sql`, `duckdb -readonly`), and run again")
    # a writer is shut out by any other process, a read-only one too: only closing it helps
    return DatabaseLockedError(
        f"{database} is open in {holder}: close that session, and run again (if that session only reads, "
        f"`just daily` is not blocked by it: it builds a copy of the warehouse)")


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the block (dbt's env_var() and settings() read them), then
    restore them."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
