"""The DuckDB warehouse, updated blue/green so analysts can query it during a run.

DuckDB allows one writer or many readers per file. The daily run never writes the live file:
it copies it into the run's work directory, builds there, and renames the finished copy over
the live file. An analyst's open read-only session keeps reading the previous version (the
old inode) and never blocks the run; a failed run leaves the live file untouched.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from orchestration import engine
from orchestration.sql import identifier, literal

RUNS_DDL = """
create table if not exists runs (
    run_id varchar,
    run_date date,
    status varchar,
    exit_code integer,
    started_at timestamp,
    finished_at timestamp,
    duration_seconds double,
    rows_raw bigint,
    rows_cleaned bigint,
    rows_merged bigint,
    rows_quarantined bigint,
    repaired_values bigint,
    overall_score double,
    step_timings json,
    report_path varchar,
    error varchar,
    raw_profiles json
)
"""
# Added after the first release: a warehouse made before it gains the column on its next run.
RUNS_MIGRATIONS = ("alter table runs add column if not exists raw_profiles json",)
# For whoever queries the warehouse: DuckDB comments, as dbt persists the models' descriptions.
RUNS_COMMENT = ("The daily runs (orchestration/daily.py), one row per run date: the run whose outputs are "
                "published, or for a date that never succeeded its latest run stopped by a gate. A run that "
                "failed at a step changes nothing here: see logs/failed_<stamp>.json.")
RUNS_COLUMN_COMMENTS = {
    "run_id": "The run: <run_date>_<start stamp>_<random>, as in its logs and report.",
    "run_date": "The date the run processed.",
    "status": "success, or failed_quality (stopped by a gate: nothing published).",
    "exit_code": "The runner's exit code: 0 success, 1 stopped by a gate.",
    "started_at": "When the run started (UTC).",
    "finished_at": "When the run recorded itself, just before publishing (UTC).",
    "duration_seconds": "finished_at - started_at.",
    "rows_raw": "Raw customer rows read.",
    "rows_cleaned": "Customers in cleaned_customers (clean, deduplicated, not quarantined).",
    "rows_merged": "Raw rows merged into a survivor as duplicates.",
    "rows_quarantined": "Raw rows quarantined for failing an error-severity rule.",
    "repaired_values": "Values the cleaning repaired.",
    "overall_score": "Overall data-quality score in [0, 1] (weighted mean of the dimensions).",
    "step_timings": "Seconds per runner step, as JSON.",
    "report_path": "The run's JSON report (reports/dq_report_<stamp>.json).",
    "error": "Why a failed run failed (the gate's reasons); NULL for a success.",
    "raw_profiles": "Profile of each raw file (columns, types, null rates, statistics), as JSON by file name.",
}


WAREHOUSE_FILE = "warehouse.duckdb"  # the live warehouse's default name, and its staged copy's


def live_path(data_dir: Path) -> Path:
    return Path(os.environ.get("CDQ_WAREHOUSE") or data_dir / WAREHOUSE_FILE)


Fingerprint = tuple[tuple[int, int] | None, tuple[int, int] | None]


class WarehouseChanged(RuntimeError):
    """Another process wrote to the live warehouse while the run built its copy."""


def _wal(database: Path) -> Path:
    return database.with_name(database.name + ".wal")


def _stat(path: Path) -> tuple[int, int] | None:
    return (path.stat().st_size, path.stat().st_mtime_ns) if path.exists() else None


def fingerprint(live: Path) -> Fingerprint:
    """Size and modification time of the live file and its write-ahead log: any commit changes one."""
    return _stat(live), _stat(_wal(live))


def stage_copy(live: Path, work_dir: Path) -> tuple[Path, Fingerprint]:
    """A private copy of the live warehouse (or a path for a new one) in the work directory, with
    its write-ahead log: commits another process has not checkpointed yet are part of it. Also
    the live file's fingerprint as copied, for ensure_unchanged."""
    staged_from = fingerprint(live)
    copy = work_dir / WAREHOUSE_FILE
    if live.exists():
        for source, target in ((live, copy), (_wal(live), _wal(copy))):
            if source.exists():
                shutil.copy2(source, target)
                target.chmod(0o600)  # it holds personal data: owner only, whatever the live file's mode was
    return copy, staged_from


def seal(copy: Path) -> None:
    """Fold the copy's write-ahead log into the file: it must stand alone once renamed."""
    with engine.connect(str(copy)) as db:
        db.execute("checkpoint")


def ensure_unchanged(live: Path, staged_from: Fingerprint) -> None:
    """Refuse to replace a live warehouse another process has written to since the copy was
    staged from it: its writes would be lost."""
    if fingerprint(live) != staged_from:
        raise WarehouseChanged(f"{live} was written to by another process while this run built its copy; "
                               "nothing was published or replaced, so that work is kept: run again")


def swap_in(copy: Path, live: Path) -> None:
    """Replace the live warehouse with the sealed copy in one rename. The live file's write-ahead
    log must not replay onto the new file: it is moved aside first (the copy holds its commits),
    and put back if the rename fails, so the live warehouse loses nothing."""
    wal, aside = _wal(live), _replaced_wal(live)
    if wal.exists():
        os.replace(wal, aside)
    try:
        live.parent.mkdir(parents=True, exist_ok=True)
        os.replace(copy, live)
    except BaseException:
        if aside.exists():
            os.replace(aside, wal)
        raise
    aside.unlink(missing_ok=True)


def _replaced_wal(live: Path) -> Path:
    return live.with_name(live.name + ".wal.replaced")


def settle_replaced_wal(live: Path, swapped: bool) -> None:
    """After a run killed inside swap_in: the log it moved aside goes back if its warehouse was
    not swapped in, and is dropped if it was (the swapped-in copy holds its commits)."""
    aside = _replaced_wal(live)
    if aside.exists():
        if swapped:
            aside.unlink()
        else:
            os.replace(aside, _wal(live))


def promote(copy: Path, live: Path, staged_from: Fingerprint) -> None:
    """Replace the live warehouse with the finished copy, unless the live one changed meanwhile."""
    seal(copy)
    ensure_unchanged(live, staged_from)
    swap_in(copy, live)


def repoint_published_views(db_path: Path, staged: Path, published: Path) -> int:
    """Point the views over the run's Parquet files (the `published` materialization) from the
    staging directory dbt wrote them to at the directory they were published to. Re-creating a
    view drops its comments, so they are put back. Returns the number of views re-pointed."""
    with engine.connect(str(db_path)) as db:
        views = db.execute(
            "select schema_name, view_name, sql, comment from duckdb_views() "
            "where not internal and contains(sql, ?)", [str(staged)]).fetchall()
        for schema, name, sql, comment in views:
            columns = db.execute("select column_name, comment from duckdb_columns() "
                                 "where schema_name = ? and table_name = ? and comment is not null",
                                 [schema, name]).fetchall()
            db.execute(f"use {identifier(schema)}")  # the stored SQL names the view without its schema
            relation = f"{identifier(schema)}.{identifier(name)}"
            db.execute(sql.replace(str(staged), str(published)).replace("CREATE VIEW", "CREATE OR REPLACE VIEW", 1))
            if comment:
                db.execute(f"comment on view {relation} is {literal(comment)}")
            for column, column_comment in columns:
                db.execute(f"comment on column {relation}.{identifier(column)} is {literal(column_comment)}")
    return len(views)


@dataclass(frozen=True)
class RunRecord:
    run_id: str
    run_date: date
    status: str
    exit_code: int
    started_at: datetime
    finished_at: datetime
    counts: dict[str, int]
    overall_score: float | None
    step_timings: dict[str, float]
    report_path: str | None
    error: str | None
    raw_profiles: dict[str, dict | None]  # raw file name -> its profile (orchestration.profile)


def record_run(db: duckdb.DuckDBPyConnection, run: RunRecord) -> bool:
    """One row per run date, the run whose results are live: re-running a date replaces its row,
    but a failed run does not replace a successful one, whose outputs are still the published
    ones (the failure has its report and logs). Returns whether the run was recorded."""
    db.execute(RUNS_DDL)
    for migration in RUNS_MIGRATIONS:
        db.execute(migration)
    db.execute(f"comment on table runs is {literal(RUNS_COMMENT)}")
    for column, comment in RUNS_COLUMN_COMMENTS.items():
        db.execute(f"comment on column runs.{identifier(column)} is {literal(comment)}")
    if run.status != "success" and db.execute(
            "select count(*) from runs where run_date = ? and status = 'success'", [run.run_date]).fetchone()[0]:
        return False
    db.execute("delete from runs where run_date = ?", [run.run_date])
    db.execute(
        "insert into runs (run_id, run_date, status, exit_code, started_at, finished_at, duration_seconds, "
        "rows_raw, rows_cleaned, rows_merged, rows_quarantined, repaired_values, overall_score, step_timings, "
        "report_path, error, raw_profiles) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [run.run_id, run.run_date, run.status, run.exit_code, run.started_at, run.finished_at,
         (run.finished_at - run.started_at).total_seconds(), run.counts.get("raw"),
         run.counts.get("cleaned"), run.counts.get("merged"), run.counts.get("quarantined"),
         run.counts.get("repaired_values"), run.overall_score, json.dumps(run.step_timings),
         run.report_path, run.error, json.dumps(run.raw_profiles)],
    )
    return True


@contextmanager
def _runs_reader(live: Path) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection to the live warehouse, or None before its first recorded run."""
    if not live.exists():
        yield None
        return
    with engine.connect(str(live), read_only=True) as db:
        has_runs = db.execute("select count(*) from information_schema.tables where table_name = 'runs'").fetchone()[0]
        yield db if has_runs else None


@dataclass(frozen=True)
class RunHistory:
    """What a daily run compares itself with, read once from the live warehouse (the run holds
    the run lock: no other run records itself meanwhile)."""

    reference: dict | None  # the date's own published run when it is re-run, else the last before (volume check)
    previous: dict | None  # the last successful run before the date, with its dimension scores (change, drift)
    trend: list[dict]  # the last successful runs before the date, oldest first: date, raw rows, overall score
    scores: dict[str, list[float]]  # the trend runs' watched scores by <entity>.<name>, for the score anomalies


def run_history(live: Path, run_date: date, runs: int = 30) -> RunHistory:
    """The successful runs up to `run_date` as recorded in the live warehouse (`runs` of them
    before the date for the trend)."""
    with _runs_reader(live) as db:
        if db is None:
            return RunHistory(None, None, [], {})
        cursor = db.execute("select * from runs where run_date <= ? and status = 'success' "
                            "order by run_date desc limit ?", [run_date, runs + 1])
        names = [d[0] for d in cursor.description]
        recorded = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        before = [record for record in recorded if record["run_date"] < run_date][:runs]
        watched = _watched_scores(db, [record["run_date"] for record in before])
    previous = before[0] if before else None
    if previous:  # its customer dimension scores, for the report's change section
        previous["dimension_scores"] = {name: score for day, entity, scope, name, score in watched
                                        if day == previous["run_date"] and scope == "dimension"}
    scores: dict[str, list[float]] = {}  # by <entity>.<name>, oldest first
    for _, entity, _, name, score in reversed(watched):
        if score is not None:
            scores.setdefault(f"{entity}.{name}", []).append(score)
    if previous:  # only drift reads them; none for runs recorded before the column
        previous["raw_profiles"] = json.loads(previous.get("raw_profiles") or "{}")
    trend = [{"run_date": r["run_date"].isoformat(), "rows_raw": r["rows_raw"], "overall_score": r["overall_score"]}
             for r in reversed(before)]
    return RunHistory(recorded[0] if recorded else None, previous, trend, scores)


# The scores watched for anomalies: each entity's overall score, and the customers' dimensions.
WATCHED_SCORES = "(scope = 'overall' or (scope = 'dimension' and entity = 'customers'))"


def watched_scores_now(db: duckdb.DuckDBPyConnection) -> dict[str, float | None]:
    """The build's watched scores (its dq_scores) by the names run_history gives their history:
    <entity>.<name>."""
    rows = db.execute(f"select entity, name, score from dq_scores where {WATCHED_SCORES}").fetchall()
    return {f"{entity}.{name}": score for entity, name, score in rows}


def _watched_scores(db: duckdb.DuckDBPyConnection, run_dates: list[date]) -> list[tuple]:
    """The watched scores of the given runs (dq_scores_history, read once for the previous run's
    dimensions and the anomalies' history) as (run date, entity, scope, name, score), newest first."""
    if not run_dates:
        return []
    return db.execute(f"select run_date, entity, scope, name, score from {_scores_history(db)} "
                      f"where run_date in (select unnest(?)) and {WATCHED_SCORES} "
                      "order by run_date desc, entity, scope, name", [run_dates]).fetchall()


def _scores_history(db: duckdb.DuckDBPyConnection) -> str:
    """dq_scores_history as a relation with an entity on every row: history written before
    transactions existed is all customers' (without the column, or NULL in it)."""
    has_entity = db.execute("select count(*) from information_schema.columns "
                            "where table_name = 'dq_scores_history' and column_name = 'entity'").fetchone()[0]
    return ("(select coalesce(entity, 'customers') as entity, * exclude (entity) from dq_scores_history)"
            if has_entity else "(select 'customers' as entity, * from dq_scores_history)")
