"""A dbt-duckdb plugin: SQL functions the models need that DuckDB does not ship.

`ensure_directory(path)` creates a directory (and its parents) and returns the path, so the
`published` materialization can `COPY ... TO` a file in a directory that does not exist yet.
`resolve_path(path)` is the absolute form of a path relative to where dbt runs (Jinja cannot see
the working directory): the views over files must hold absolute paths.
The warehouse's directory is created when dbt first opens it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dbt.adapters.duckdb.credentials import DuckDBCredentials
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection


def resolve_path(path: str) -> str:
    return str(Path(path).resolve())


def ensure_directory(path: str) -> str:
    Path(path).mkdir(parents=True, exist_ok=True)
    return path


class Plugin(BasePlugin):
    def update_connection_config(self, creds: DuckDBCredentials, config: dict[str, Any]) -> None:
        # A first `dbt build` in a new data directory creates it (with the warehouse) instead of
        # failing to open the file; the build then says there is no raw data to build from.
        if creds.path and creds.path != ":memory:" and "://" not in creds.path and not creds.path.startswith("md:"):
            Path(creds.path).parent.mkdir(parents=True, exist_ok=True)

    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        conn.create_function("ensure_directory", ensure_directory, ["VARCHAR"], "VARCHAR",
                             side_effects=True)
        conn.create_function("resolve_path", resolve_path, ["VARCHAR"], "VARCHAR")
