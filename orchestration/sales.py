"""The transaction side of a run (seeds 001/002): its facts read from the warehouse the run
built, its quality gate, the anomalies CSV and the load report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import duckdb

from orchestration import engine
from orchestration.report import copy_to_csv, most_failed, query_all, query_one
from seeds_gen.reference import project_vars

DESTINATION_TABLES = ("fct_transactions", "kpi_daily_sales", "dim_customers", "dim_customer_aliases")


@dataclass(frozen=True)
class LaterDays:
    """The days after the run date in fct_transactions, when this run changed a day up to the run
    date (an earlier date corrected or backfilled): their rows' customer metrics and trailing
    statistics count the old figures until they are re-run in order. `rerun_dates`: the run dates
    that loaded them last (their load_run_date), which re-run in order bring every one up to date,
    and name no date that was never run (a backfill of those would generate made-up sales). Each a
    `just daily` of its own, chained by &&: a date that fails stops the rest, which a backfill
    would run out of order."""
    first: date
    last: date
    rerun_dates: list[date]

    @property
    def rerun_command(self) -> str:
        return " && ".join(f"just daily {day}" for day in self.rerun_dates)

    def as_report(self) -> dict:
        return {"first": self.first.isoformat(), "last": self.last.isoformat(),
                "rerun_dates": [day.isoformat() for day in self.rerun_dates], "rerun_command": self.rerun_command}


@dataclass(frozen=True)
class SalesFacts:
    window: dict
    counts: dict[str, int]
    anomalies: dict[str, int]
    checks: list[dict]
    score: float | None
    kpis: dict | None
    load: dict
    fx_rates: dict  # how old the static rates amount_usd is converted at are
    revised_days: list[dict] | None  # None: the warehouse before the run could not be read
    stale_later_days: LaterDays | None
    # The window's quarantined records (duplicates too) per raw file (its date), most first: which file
    # stops the run.
    quarantined_by_file: list[tuple[date, int]]

    @property
    def passing_share(self) -> float | None:
        checked = self.counts["checked"]
        return self.counts["passing_checks"] / checked if checked else None

    @property
    def failing_share(self) -> float | None:
        checked = self.counts["checked"]
        return (self.counts["quarantined"] + self.counts["duplicates"]) / checked if checked else None


def window_days(override: int | None) -> int:
    return override or int(project_vars()["transaction_window_days"])


def window_start(run_date: date, days: int) -> date:
    """The first day of a load window of `days` days up to the run date."""
    return run_date - timedelta(days=days - 1)


def read_sales_facts(warehouse: Path, run_date: date, days: int, previous: Path) -> SalesFacts:
    """What the build in `warehouse` made of the window's sales; `previous`: the warehouse before
    the run, whose sales figures changed_days compares."""
    start = window_start(run_date, days)
    with engine.connect(str(warehouse), read_only=True) as db:
        counts = query_one(db, """
            select (select count(*) from stg_raw__transactions) as in_window,
                   count(*) as checked,
                   count(*) filter (where outcome = 'validated') as validated,
                   count(*) filter (where outcome = 'quarantined') as quarantined,
                   count(*) filter (where outcome = 'duplicate') as duplicates,
                   count(*) filter (where outcome = 'validated' and is_anomaly) as anomalies,
                   -- Anomaly rules report, they do not gate: a record passes the checks when it
                   -- fails no other rule.
                   count(*) filter (where len(list_intersect(failed_rules, anomaly_rules.ids)) = len(failed_rules))
                       as passing_checks
            from int_transactions_checked
            cross join (select list(rule_id) as ids from dq_rule_catalog where stage = 'anomaly') as anomaly_rules""")
        counts["not_loaded_status"] = counts["in_window"] - counts["checked"]
        anomalies = dict(db.execute("""
            select anomaly_type, count(*) from (select unnest(anomaly_types) as anomaly_type from transaction_anomalies)
            group by anomaly_type order by anomaly_type""").fetchall())
        checks = query_all(db, """
            select results.rule_id, results.column_name as column, results.dimension, results.severity,
                   results.action, results.evaluated, results.passed, results.failed, results.pass_rate,
                   results.threshold, results.status, catalog.stage
            from dq_rule_results as results inner join dq_rule_catalog as catalog on results.rule_id = catalog.rule_id
            where results.entity = 'transactions' order by results.rule_id""")
        score = db.execute("select score from dq_scores where entity = 'transactions' and scope = 'overall'").fetchone()
        kpis = query_all(db, f"select * exclude (load_run_date) from kpi_daily_sales "
                             f"where transaction_date = date '{run_date}'")
        (oldest_rate,) = db.execute("select min(as_of_date) from reference.ref_fx_rates").fetchone()
        days_with_data = [d for (d,) in db.execute(
            "select file_date from raw.transaction_files where row_count > 0 order by 1").fetchall()]
        # The build reloaded the window's rows read from the files it listed; the rows of a file
        # that is gone stay as loaded (dbt_project/macros/reloaded_transactions.sql).
        load = query_one(db, f"""
            select count(*) filter (where source_date in (select file_date from raw.transaction_files))
                       as rows_in_table,
                   count(*) filter (where source_date not in (select file_date from raw.transaction_files))
                       as rows_kept,
                   (select count(*) from validated_transactions) as rows_validated
            from fct_transactions
            where transaction_date between date '{start}' and date '{run_date}'""")
        quarantined_by_file = db.execute("""
            select source_date, count(*) from int_transactions_checked where outcome in ('quarantined', 'duplicate')
            group by source_date order by count(*) desc, source_date""").fetchall()
        changed = changed_days(db, previous, start, run_date)
        # only a run that changed a day up to the run date can leave later days stale
        later = db.execute(f"select min(transaction_date), max(transaction_date), "
                           f"list(distinct load_run_date order by load_run_date) from fct_transactions "
                           f"where transaction_date > date '{run_date}'").fetchone() if changed else (None,)
    load["verified"] = load["rows_in_table"] == load["rows_validated"]
    return SalesFacts(
        window={"start": start.isoformat(), "end": run_date.isoformat(), "days": days,
                "dates_with_data": [d.isoformat() for d in days_with_data]},
        counts={k: int(v) for k, v in counts.items()},
        anomalies={k: int(v) for k, v in anomalies.items()},
        checks=checks,
        score=score[0] if score else None,
        kpis=kpis[0] if kpis else None,
        load=load,
        fx_rates={"oldest_as_of_date": oldest_rate.isoformat(), "days_before_run_date": (run_date - oldest_rate).days},
        # the run date's first load is no revision, but later days count it all the same
        revised_days=None if changed is None else [_revision(day) for day in changed if not day["first_load"]],
        stale_later_days=LaterDays(*later) if later[0] else None,
        quarantined_by_file=quarantined_by_file,
    )


def changed_days(db: duckdb.DuckDBPyConnection, previous: Path, start: date, run_date: date) -> list[dict] | None:
    """The window's days whose sales figures the build `db` holds changed from those in the
    `previous` warehouse: every run reloads the window, so a corrected or late file changes a day
    that earlier e-mails and reports gave figures for. `first_load`: the run date, loaded for the
    first time (no revision). One row per day: its date, count_before, count_now, sales_before,
    sales_now, first_load. None when `previous` cannot be read (another process holds it)."""
    if not previous.exists():
        return []
    try:
        db.execute(f"attach '{previous}' as previous (read_only)")
    except duckdb.IOException:
        return None
    if not db.execute("select 1 from duckdb_tables() "
                      "where database_name = 'previous' and table_name = 'kpi_daily_sales'").fetchone():
        return []
    return query_all(db, f"""
        select coalesce(rebuilt.transaction_date, earlier.transaction_date)::varchar as date,
               coalesce(earlier.transaction_count, 0) as count_before,
               coalesce(rebuilt.transaction_count, 0) as count_now,
               round(coalesce(earlier.total_sales_usd, 0), 2)::double as sales_before,
               round(coalesce(rebuilt.total_sales_usd, 0), 2)::double as sales_now,
               earlier.transaction_date is null and rebuilt.transaction_date = date '{run_date}' as first_load
        from (from previous.kpi_daily_sales where transaction_date between date '{start}' and date '{run_date}')
            as earlier
        full join (from kpi_daily_sales where transaction_date between date '{start}' and date '{run_date}')
            as rebuilt on rebuilt.transaction_date = earlier.transaction_date
        where count_before <> count_now or sales_before <> sales_now
        order by date""")


def _revision(day: dict) -> dict:
    """A changed day as the report lists it among revised_days."""
    return {"date": day["date"],
            "transaction_count": {"before": day["count_before"], "now": day["count_now"]},
            "total_sales_usd": {"before": day["sales_before"], "now": day["sales_now"]}}


def percent(share: float) -> str:
    """A gate threshold as a percentage, as precise as it was given: 0.999 -> '99.9%'."""
    return f"{share * 100:.6g}%"


def gate_reasons(facts: SalesFacts, min_pass_rate: float, max_failing_share: float) -> list[str]:
    """Seed 001's gate: under `min_pass_rate` of records passing all checks, or more than
    `max_failing_share` failing (quarantined), stops the run. No transactions: nothing to judge."""
    reasons = []
    if facts.passing_share is not None and facts.passing_share < min_pass_rate:
        # every check but the anomalies counts against passing, a warning (e.g. a currency's precision) too
        culprits = most_failed([check for check in facts.checks if check["stage"] != "anomaly"])
        reasons.append(f"transactions: {facts.passing_share:.2%} of records pass all checks "
                       f"(at least {percent(min_pass_rate)} required){culprits}")
    if facts.failing_share is not None and facts.failing_share > max_failing_share:
        culprits = most_failed([check for check in facts.checks if check["severity"] == "error"])  # they quarantine
        reasons.append(f"transactions: {facts.failing_share:.2%} of records fail a check and are quarantined "
                       f"(more than {percent(max_failing_share)}){culprits}")
    if not facts.load["verified"]:
        reasons.append(f"transactions: fct_transactions holds {facts.load['rows_in_table']:,} rows for the window, "
                       f"validated_transactions {facts.load['rows_validated']:,}")
    return reasons


def export_anomalies(warehouse: Path, target: Path) -> int:
    """The anomalies as CSV, with its header also when there are none; returns the row count."""
    with engine.connect(str(warehouse), read_only=True) as db:
        return copy_to_csv(
            db, "select * from transaction_anomalies order by transaction_id, source_date, source_row_number", target)
