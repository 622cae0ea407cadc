"""Score anomalies (orchestration/anomaly.py): today's scores against their history, read from a
real DuckDB warehouse's runs and dq_scores_history."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb

from orchestration.anomaly import describe_anomaly, score_anomalies
from orchestration.warehouse import RUNS_DDL, run_history

STEADY = [0.9980, 0.9985, 0.9982, 0.9978, 0.9984, 0.9981, 0.9983, 0.9979]  # mean 0.99815, sd ~0.00023


def test_a_score_far_below_its_usual_level_is_an_anomaly_though_it_clears_any_gate():
    found = score_anomalies({"customers.validity": STEADY, "customers.overall": STEADY},
                            {"customers.validity": 0.9900, "customers.overall": 0.9979}, runs=8)
    assert found["runs_compared"] == 8 and found["max_sigma"] == 3
    (finding,) = found["findings"]
    assert finding["score"] == "customers.validity" and finding["mean"] == 0.99815
    assert finding["sigmas"] < -8, "a drop of 0.008 is many times the usual 0.0002 wobble"
    assert describe_anomaly(finding, 8).startswith("score anomaly: customers.validity 0.9900 is ")


def test_better_scores_missing_scores_and_tiny_moves_of_a_flat_score_are_not_anomalies():
    flat = [1.0] * 8
    found = score_anomalies({"a.overall": STEADY, "b.overall": flat, "c.overall": flat, "d.overall": flat},
                            {"a.overall": 0.9999, "b.overall": 0.998, "c.overall": None, "d.overall": 0.996}, runs=8)
    # a flat score is judged against a spread of 0.001: 0.998 is 2 below, 0.996 is 4
    (finding,) = found["findings"]
    assert finding["score"] == "d.overall"
    assert (finding["standard_deviation"], finding["spread"], finding["sigmas"]) == (0.0, 0.001, -4.0), \
        "the spread counted in is shown beside the standard deviation"


def test_too_short_a_history_judges_nothing():
    assert score_anomalies({"customers.overall": STEADY[:6]}, {"customers.overall": 0.5}, runs=6) is None


def _warehouse(path: Path, days: list[date], old_format: bool = False) -> None:
    """A warehouse whose runs and score history hold `days` (old_format: written before
    transactions existed, without the entity column)."""
    with duckdb.connect(str(path)) as db:
        db.execute(RUNS_DDL)
        db.execute("create table dq_scores_history (run_date date, entity varchar, scope varchar, name varchar, "
                   "score double)")
        for i, day in enumerate(days):
            db.execute("insert into runs (run_id, run_date, status, overall_score) values (?, ?, 'success', ?)",
                       [f"r{i}", day, STEADY[i]])
            db.executemany("insert into dq_scores_history values (?, ?, ?, ?, ?)", [
                [day, "customers", "overall", "overall", STEADY[i]],
                [day, "customers", "dimension", "validity", 0.99],
                [day, "customers", "rule", "customers.email.format", 0.5],  # rules are not watched
                [day, "transactions", "overall", "overall", 0.97],
                [day, "transactions", "dimension", "validity", 0.9]])  # nor the transactions' dimensions
        if old_format:
            db.execute("delete from dq_scores_history where entity = 'transactions'")
            db.execute("alter table dq_scores_history drop column entity")


def test_the_history_is_read_by_score_name_oldest_first_from_the_runs_before_the_date(tmp_path):
    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(8)]
    _warehouse(tmp_path / "warehouse.duckdb", days)
    history = run_history(tmp_path / "warehouse.duckdb", days[-1])  # the date itself is not its own history
    assert len(history.trend) == 7
    assert history.scores == {"customers.overall": STEADY[:7], "customers.validity": [0.99] * 7,
                              "transactions.overall": [0.97] * 7}


def test_history_written_before_transactions_existed_is_the_customers(tmp_path):
    days = [date(2026, 11, 1), date(2026, 11, 2)]
    _warehouse(tmp_path / "warehouse.duckdb", days, old_format=True)
    history = run_history(tmp_path / "warehouse.duckdb", date(2026, 11, 3))
    assert history.scores == {"customers.overall": STEADY[:2], "customers.validity": [0.99, 0.99]}
    assert history.previous["dimension_scores"] == {"validity": 0.99}
