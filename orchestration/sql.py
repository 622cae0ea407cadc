"""Quoting for SQL the runner writes itself (DuckDB takes no parameters in DDL such as COMMENT ON)."""

from __future__ import annotations

from pathlib import Path

import duckdb


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def raw_text(value: str, duckdb_type: str, is_date: bool = False) -> str:
    """A raw column's `value` (SQL) as text, read as the models' raw views read it (macro
    raw_text, which says why): bytes decoded as UTF-8, an instant at UTC, a timestamp in a date
    column as its date, anything else cast as DuckDB writes it. --input reads typed columns so too."""
    if duckdb_type == "BLOB":
        value = f"decode({value})"
    if duckdb_type.startswith("TIMESTAMP WITH TIME ZONE"):
        value = f"timezone('UTC', {value})"
    if is_date and duckdb_type.startswith("TIMESTAMP"):
        value = f"cast({value} as date)"
    return f"cast({value} as varchar)"


def parquet_types(con: duckdb.DuckDBPyConnection, path: Path) -> list[tuple[str, str]]:
    """The columns of a Parquet file, in file order, with their DuckDB types."""
    return con.execute("select column_name, column_type from (describe select * from read_parquet(?))",
                       [str(path)]).fetchall()
