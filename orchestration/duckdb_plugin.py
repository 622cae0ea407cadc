"""A dbt-duckdb plugin: SQL functions the models need that DuckDB does not ship.

`ensure_directory(path)` creates a directory (and its parents) and returns the path, so the
`published` materialization can `COPY ... TO` a file in a directory that does not exist yet.
`resolve_path(path)` is the absolute form of a path relative to where dbt runs (Jinja cannot see
the working directory): the views over files must hold absolute paths.
The warehouse's directory is created when dbt first opens it, and a warehouse another process
holds open is refused in one line naming it (dbt-duckdb would print its own traceback of the
failed open, twice).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from dbt.adapters.duckdb.credentials import DuckDBCredentials
from dbt.adapters.duckdb.plugins import BasePlugin
from dbt_common.exceptions import DbtRuntimeError
from duckdb import DuckDBPyConnection

from orchestration.engine import locked_out


def resolve_path(path: str) -> str:
    return str(Path(path).resolve())


def ensure_directory(path: str) -> str:
    Path(path).mkdir(parents=True, exist_ok=True)
    return path


def refuse_if_held(warehouse: Path, config: dict[str, Any]) -> None:
    """Open the warehouse as dbt-duckdb is about to (~20 ms) and, when another process holds it,
    stop naming the holder, as the runner's own connections do."""
    try:
        duckdb.connect(str(warehouse), config=config).close()
    except duckdb.IOException as exc:
        locked = locked_out(warehouse, exc, read_only=False)
        if locked is None:
            raise
        raise DbtRuntimeError(str(locked)) from None


class Plugin(BasePlugin):
    def update_connection_config(self, creds: DuckDBCredentials, config: dict[str, Any]) -> None:
        if not creds.path or creds.path == ":memory:" or "://" in creds.path or creds.path.startswith("md:"):
            return
        warehouse = Path(creds.path)
        if warehouse.exists():
            refuse_if_held(warehouse, config)
        else:
            # A first `dbt build` in a new data directory creates it (with the warehouse) instead
            # of failing to open the file; the build then says there is no raw data to build from.
            warehouse.parent.mkdir(parents=True, exist_ok=True)

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        conn.create_function("ensure_directory", ensure_directory, ["VARCHAR"], "VARCHAR",
                             side_effects=True)
        conn.create_function("resolve_path", resolve_path, ["VARCHAR"], "VARCHAR")
