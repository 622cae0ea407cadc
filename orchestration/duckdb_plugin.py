"""A dbt-duckdb plugin: SQL functions the models need that DuckDB does not ship.

`ensure_directory(path)` creates a directory (and its parents) and returns the path, so the
`published` materialization can `COPY ... TO` a file in a directory that does not exist yet.
`resolve_path(path)` is the absolute form of a path relative to where dbt runs (Jinja cannot see
the working directory): the views over files must hold absolute paths.
"""

from __future__ import annotations

from pathlib import Path

from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb import DuckDBPyConnection


def resolve_path(path: str) -> str:
    return str(Path(path).resolve())


def ensure_directory(path: str) -> str:
    Path(path).mkdir(parents=True, exist_ok=True)
    return path


class Plugin(BasePlugin):
    def configure_connection(self, conn: DuckDBPyConnection) -> None:
        conn.create_function("ensure_directory", ensure_directory, ["VARCHAR"], "VARCHAR",
                             side_effects=True)
        conn.create_function("resolve_path", resolve_path, ["VARCHAR"], "VARCHAR")
