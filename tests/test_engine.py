"""The runner's own DuckDB connections follow the engine settings dbt gets (README "Engine settings")."""

from __future__ import annotations

import json
from datetime import date

import pytest

from orchestration import engine
from orchestration.daily import EXIT_STEP_FAILED, DailyOptions, run_daily
from tests.conftest import database_held_open


def test_connections_take_the_engine_settings_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CDQ_DUCKDB_THREADS", "1")
    monkeypatch.setenv("CDQ_DUCKDB_MEMORY_LIMIT", "512MB")
    monkeypatch.setenv("CDQ_DUCKDB_TEMP_DIRECTORY", str(tmp_path / "spill"))
    with engine.connect() as db:
        settings = db.execute("select current_setting('threads'), current_setting('memory_limit'), "
                              "current_setting('temp_directory'), current_setting('preserve_insertion_order')"
                              ).fetchone()
    assert settings == (1, "488.2 MiB", str(tmp_path / "spill"), True), "row order is kept for row numbers"


@pytest.mark.parametrize(("variable", "value"), [
    ("CDQ_DUCKDB_MEMORY_LIMIT", "not a size"), ("CDQ_DUCKDB_THREADS", "0"), ("CDQ_DUCKDB_PRESERVE_ORDER", "maybe"),
    ("CDQ_DBT_THREADS", "x"),
])
def test_a_refused_setting_stops_the_daily_run_before_it_starts(tmp_path, monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    # retry_delay 300: a setting does not fix itself, so it must not be retried
    options = DailyOptions(tmp_path, date(2026, 11, 23), rows=500, transactions=1_000, retries=1, retry_delay=300)
    assert run_daily(options) == EXIT_STEP_FAILED
    (failure,) = [json.loads(p.read_text()) for p in (tmp_path / "logs").glob("failed_*.json")]
    assert failure["step"] == "configure" and failure["attempts"] == 1, "checked before anything is done"
    assert f"{variable}={value!r}" in failure["error"], failure["error"]
    assert not (tmp_path / "raw").exists()


def test_a_database_another_process_writes_to_is_named_with_that_process(tmp_path):
    database = tmp_path / "warehouse.duckdb"
    with database_held_open(database) as holder, pytest.raises(engine.DatabaseLockedError) as refused:
        engine.connect(database, read_only=True)
    assert str(refused.value).startswith(f"{database} is open for writing in another process (PID {holder.pid}, ")
    assert "read-only (`just sql`" in str(refused.value), "and says what to do"
