"""Stopping and killing the daily runner, and what the next run recovers: real processes, real
signals (SIGINT, SIGTERM, SIGKILL), real dbt and DuckDB."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from rich.console import Console

from orchestration import warehouse
from orchestration.daily import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_STEP_FAILED,
    EXIT_TERMINATED,
    DailyOptions,
    Run,
    StepFailed,
    _terminable,
    run_daily,
)
from tests.test_daily import (
    DAY,
    _daily_process,
    _failure,
    _options,
    _published,
    _query,
    _wait_for_build,
)
from tests.test_files import kill_writer


@pytest.mark.parametrize(("stop", "exit_code"), [(signal.SIGINT, EXIT_INTERRUPTED), (signal.SIGTERM, EXIT_TERMINATED)])
def test_ctrl_c_or_sigterm_stops_the_run_at_once_and_publishes_nothing(tmp_path, stop, exit_code):
    # --retry-delay 300: an interrupted step must not be taken for a failure to retry
    child = subprocess.Popen([sys.executable, "-m", "orchestration", "daily", DAY.isoformat(), "--data-dir",
                              str(tmp_path), "--rows", "1000", "--transactions", "2000", "--retry-delay", "300"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _wait_for_build(tmp_path)
    time.sleep(2)  # dbt is building
    child.send_signal(stop)
    output, _ = child.communicate(timeout=120)
    assert child.returncode == exit_code, output
    assert "retrying" not in output
    failure = _failure(tmp_path)
    assert failure["step"] == "dbt_build" and f"interrupted ({stop.name})" in failure["error"]
    assert not (tmp_path / "outputs").exists() and not any((tmp_path / "work").iterdir())
    assert not list((tmp_path / "raw").glob("*/customers.parquet")), "the raw files are as they were: none"


def test_a_step_failing_because_the_run_was_stopped_is_not_retried(tmp_path):
    # dbt answers Ctrl-C by closing its connections; a node still running may then report
    # "Connection already closed" instead of the interrupt (seen in CI): a stop, not a failure to retry
    run = Run(DailyOptions(data_dir=tmp_path, run_date=DAY, retries=2, retry_delay=300), Console())
    attempts = []

    def build_like_dbt() -> None:
        attempts.append(1)
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        except KeyboardInterrupt:
            raise RuntimeError("Connection Error: Connection already closed!") from None

    with _terminable(run), pytest.raises(KeyboardInterrupt):
        run.step("dbt_build", build_like_dbt)
    assert len(attempts) == 1 and run.stopped_by == "SIGINT"
    # after the run, its alert is a step whose failure is a failure (saved to the outbox), not a stop
    with pytest.raises(StepFailed):
        run.step("alert", lambda: (_ for _ in ()).throw(ConnectionRefusedError("no webhook")), retries=0)


def test_ctrl_c_stops_a_backfill_not_just_its_current_date(tmp_path):
    child = subprocess.Popen([sys.executable, "-m", "orchestration", "backfill", "2026-11-21", "2026-11-23",
                              "--data-dir", str(tmp_path), "--rows", "1000", "--transactions", "2000"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    _wait_for_build(tmp_path)
    time.sleep(2)
    child.send_signal(signal.SIGINT)
    output, _ = child.communicate(timeout=120)
    assert child.returncode == EXIT_INTERRUPTED, output
    assert "backfill 2026-11-21..2026-11-23: interrupted at 2026-11-21" in output
    assert [p.name for p in (tmp_path / "raw").iterdir()] == [], "the later dates were never started"


def test_a_write_by_another_process_during_the_run_is_kept(tmp_path):
    assert run_daily(_options(tmp_path, rows=1_000, transactions=2_000)) == EXIT_OK
    before = _published(tmp_path)
    run = _daily_process(tmp_path)
    _wait_for_build(tmp_path)
    with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as analyst:
        analyst.execute("create table analyst_notes as select 'keep me' as note")
    output = run.communicate(timeout=300)[0]
    assert run.returncode == EXIT_STEP_FAILED, output
    assert "written to by another process" in output
    assert _failure(tmp_path)["step"] == "publish" and not _failure(tmp_path)["partial_results"]["published"]
    assert _query(tmp_path, "select note from analyst_notes") == [("keep me",)], "the other process's work is kept"
    assert _published(tmp_path) == before, "nothing was published"


def test_a_killed_run_is_cleaned_up_by_the_next(tmp_path):
    child = subprocess.Popen([sys.executable, "-m", "orchestration", "daily", "2026-11-23", "--data-dir",
                              str(tmp_path), "--retry-delay", "0"], stdout=subprocess.PIPE, text=True)
    work = tmp_path / "work"
    _wait_for_build(tmp_path)  # mid-step
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    leftovers = list(work.iterdir())
    assert leftovers, "the killed run left its temporary files"
    # and a file a killed process was half-way through writing (the CSV export, say)
    (tmp_path / "reports").mkdir(exist_ok=True)
    half_written = kill_writer(tmp_path / "reports" / "cleaned_customers_20261123_000000.csv")
    result = subprocess.run([sys.executable, "-m", "orchestration", "daily", "2026-11-23", "--data-dir",
                             str(tmp_path), "--retry-delay", "0"], capture_output=True, text=True, timeout=300)
    assert result.returncode == EXIT_OK, result.stdout + result.stderr
    assert "recovered a stale lock" in result.stdout
    assert "removed the temporary files of an interrupted run" in result.stdout
    assert not any(work.iterdir())
    assert f"removed the half-written file of an interrupted write: reports/{half_written.name}" in result.stdout
    assert not half_written.exists()
    audit = pq.read_table(tmp_path / "outputs" / "2026-11-23" / "row_audit.parquet")
    assert audit.num_rows == 3_500
    validated = pq.read_metadata(tmp_path / "outputs" / "2026-11-23" / "validated_transactions.parquet").num_rows
    assert _query(tmp_path, "select count(*), count(distinct transaction_id) from fct_transactions") == \
        [(validated, validated)], "the load after the kill is whole and has no duplicates"
    (summary,) = (tmp_path / "logs").glob("etl_*.json")
    assert json.loads(summary.read_text())["cleanup"]["removed"]


def _killed_while_publishing(data_dir: Path, patched: str, *args: str) -> None:
    """Run `daily` for DAY in a process that SIGKILLs itself when it calls `patched` (a module
    attribute the runner calls during step publish): what the OOM killer or a power cut can do."""
    module, name = patched.rsplit(".", 1)
    argv = ["daily", DAY.isoformat(), "--data-dir", str(data_dir), "--rows", "300", "--transactions", "500", *args]
    code = (f"import os, signal, {module}\n"
            f"setattr({module}, {name!r}, lambda *a: os.kill(os.getpid(), signal.SIGKILL))\n"
            f"from orchestration.cli import main\nmain({argv!r})")
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr


def _published_state(data_dir: Path) -> tuple:
    """What a reader of DAY sees: the run the warehouse records, a digest of its rule results, the
    published files, the raw files (a run of another date changes none of them)."""
    raw = data_dir / "raw" / DAY.isoformat()
    return (_query(data_dir, f"select run_id from runs where run_date = date '{DAY}'"),
            _query(data_dir, "select sum(hash(rule_id, evaluated, passed)) from dq_rule_results_history "
                             f"where run_date = date '{DAY}'"),
            _published(data_dir),
            {p.name: p.read_bytes() for p in sorted(raw.iterdir())})


def _next_run(data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The next run, which recovers what the killed one left before anything else. This one then
    stops at step configure (an SMTP host without recipients), so it changes nothing itself."""
    return subprocess.run([sys.executable, "-m", "orchestration", "daily", (DAY + timedelta(days=1)).isoformat(),
                           "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CDQ_SMTP_HOST": "127.0.0.1", "CDQ_MAIL_TO": ""})


def test_a_run_killed_while_publishing_is_undone_or_finished_by_the_next(tmp_path):
    assert run_daily(_options(tmp_path, rows=300, transactions=500)) == EXIT_OK
    before = _published_state(tmp_path)
    # a re-run with other data, killed after publishing its outputs, before its warehouse is live: undone
    _killed_while_publishing(tmp_path, "orchestration.warehouse.seal", "--seed", "7", "--max-volume-drop", "1")
    killed = _published_state(tmp_path)
    assert killed[0] == before[0] and killed[2] != before[2], "the kill left new outputs beside the old warehouse"
    recovered = _next_run(tmp_path)
    assert recovered.returncode == EXIT_STEP_FAILED, recovered.stdout + recovered.stderr
    assert "undid the publication of an interrupted run" in recovered.stdout
    assert _published_state(tmp_path) == before, "outputs, warehouse and raw files of the last good run"
    assert len(list((tmp_path / "outputs" / ".versions").iterdir())) == 1, "no orphan version is left"

    # killed once its warehouse is live: finished
    _killed_while_publishing(tmp_path, "orchestration.raw_snapshot.discard", "--seed", "7")
    after = _published_state(tmp_path)
    assert all(after[i] != before[i] for i in range(4)), "the killed run's warehouse, outputs and raw files are live"
    # leftovers of other kinds: a folder where the build link goes, an orphan version, a half-made link
    (tmp_path / "work" / ".build").unlink()  # the killed run's link
    (tmp_path / "work" / ".build").mkdir()
    (tmp_path / "work" / ".build" / "warehouse.duckdb").write_bytes(b"")
    orphan = tmp_path / "outputs" / ".versions" / f"{DAY.isoformat()}.0123456789ab"
    orphan.mkdir()
    (orphan / "final_customers.parquet").write_bytes(b"PII")
    (tmp_path / "outputs" / f".{DAY.isoformat()}.01234567.link").symlink_to(orphan)
    recovered = _next_run(tmp_path)
    assert recovered.returncode == EXIT_STEP_FAILED, recovered.stdout + recovered.stderr
    assert "finished the publication of an interrupted run" in recovered.stdout
    assert _published_state(tmp_path) == after, "the killed run's outputs, warehouse and raw files stand"
    assert "removed work/.build, left as a folder by an interrupted run" in recovered.stdout
    assert not orphan.exists() and not list((tmp_path / "outputs").glob(".*.link"))
    assert len(list((tmp_path / "outputs" / ".versions").iterdir())) == 1, "one version, the killed run's"
    assert (tmp_path / "work" / ".build").is_symlink() or not (tmp_path / "work" / ".build").exists()


def test_a_publication_that_fails_before_the_swap_is_undone_and_retried(tmp_path, monkeypatch):
    swap_in, seen_while_failing = warehouse.swap_in, []

    def failing_swap_in(copy: Path, live: Path) -> None:  # e.g. EXDEV, a full disk: once, then it works
        if not seen_while_failing:
            seen_while_failing.append(_published(tmp_path))  # the outputs readers saw meanwhile
            raise OSError("disk full")
        swap_in(copy, live)

    monkeypatch.setattr(warehouse, "swap_in", failing_swap_in)
    assert run_daily(_options(tmp_path, rows=300, transactions=500, retries=1)) == EXIT_OK
    published = _published_state(tmp_path)
    assert published[2] and seen_while_failing == [published[2]], "the undone outputs were published again"
    assert published[0], "and the warehouse records the run"
    assert len(list((tmp_path / "outputs" / ".versions").iterdir())) == 1, "no orphan left by the undone attempt"
    # failing every time: the outputs, warehouse and raw files of the last good run stay
    monkeypatch.setattr(warehouse, "swap_in", lambda copy, live: (_ for _ in ()).throw(OSError("disk full")))
    assert run_daily(_options(tmp_path, rows=300, transactions=500, seed=9, retries=1)) == EXIT_STEP_FAILED
    assert _published_state(tmp_path) == published
    assert _failure(tmp_path)["partial_results"]["published"] is False
    assert len(list((tmp_path / "outputs" / ".versions").iterdir())) == 1
