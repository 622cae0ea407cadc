"""Quoting for SQL the runner writes itself (DuckDB takes no parameters in DDL such as COMMENT ON)."""

from __future__ import annotations


def identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
