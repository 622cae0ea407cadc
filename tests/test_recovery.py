"""Stopping and killing the daily runner, and what the next run recovers: real processes, real
signals (SIGINT, SIGTERM, SIGKILL), real dbt and DuckDB."""

from __future__ import annotations

import email
import email.policy
import io
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from rich.console import Console

from orchestration import daily, raw_snapshot, warehouse
from orchestration.daily import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_STEP_FAILED,
    EXIT_TERMINATED,
    RUN_ID,
    DailyOptions,
    Run,
    StepFailed,
    _terminable,
    run_daily,
)
from tests.conftest import JUST, with_venv_on_path
from tests.test_daily import (
    DAY,
    _daily_process,
    _failed_logs,
    _failure,
    _new_failure,
    _options,
    _published,
    _query,
    _wait_for_build,
)
from tests.test_files import kill_writer


def _assert_stopped_mid_build(data_dir: Path, stop: signal.Signals, output: str) -> None:
    """A run stopped by `stop` while dbt was building: not retried, logged as interrupted, nothing
    published, its temporary files deleted."""
    assert "retrying" not in output
    assert "Traceback" not in output and "Encountered an error" not in output, "dbt's own report of the stop"
    failure = _failure(data_dir)
    assert failure["step"] == "dbt_build" and f"interrupted ({stop.name})" in failure["error"]
    assert not (data_dir / "outputs").exists() and not any((data_dir / "work").iterdir())


def _stopped_mid_build(data_dir: Path, command: list[str], stop: signal.Signals, exit_code: int,
                       via_just: bool = False) -> str:
    """Run `python -m orchestration <command>` (or `just <command>`) on `data_dir`, send the process
    started `stop` while dbt builds, and check that the run stopped at once
    (_assert_stopped_mid_build); returns what it printed."""
    launcher = JUST if via_just else [sys.executable, "-m", "orchestration"]
    # --retry-delay 300: an interrupted step must not be taken for a failure to retry
    child = subprocess.Popen([*launcher, *command, "--data-dir", str(data_dir),
                              "--rows", "1000", "--transactions", "2000", "--retry-delay", "300"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             env=with_venv_on_path(dict(os.environ)))
    _wait_for_build(data_dir)
    time.sleep(2)  # dbt is building
    child.send_signal(stop)
    output, _ = child.communicate(timeout=120)
    assert child.returncode == exit_code, output
    _assert_stopped_mid_build(data_dir, stop, output)
    return output


def test_sigterm_to_just_daily_stops_the_run_at_once_and_publishes_nothing(tmp_path):
    # the signal goes to `just`, as a supervisor or a terminal sends it: it must reach the run
    _stopped_mid_build(tmp_path, ["daily", DAY.isoformat()], signal.SIGTERM, EXIT_TERMINATED, via_just=True)
    assert not list((tmp_path / "raw").glob("*/customers.parquet")), "the raw files are as they were: none"


def test_ctrl_c_stops_the_run_at_once_publishes_nothing_and_stops_a_backfill_not_just_its_current_date(tmp_path):
    # One run for two behaviours (a dbt build less): a backfill runs each date with run_daily, as
    # `daily` does, and only looks at its exit code once it returns, so Ctrl-C reaches the date's run
    # exactly as it reaches `daily`'s (SIGTERM on `daily`: the test above).
    output = _stopped_mid_build(tmp_path, ["backfill", "2026-11-21", "2026-11-23"], signal.SIGINT, EXIT_INTERRUPTED)
    assert "backfill 2026-11-21..2026-11-23: interrupted at 2026-11-21" in output
    assert [p.name for p in (tmp_path / "raw").iterdir()] == [], \
        "the raw files are as they were (none), and the later dates were never started"


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


def _published_state(data_dir: Path) -> tuple:
    """What a reader of DAY sees: the run the warehouse records, a digest of its rule results, the
    published files, the raw files (a run of another date changes none of them)."""
    raw = data_dir / "raw" / DAY.isoformat()
    return (_query(data_dir, f"select run_id from runs where run_date = date '{DAY}'"),
            _query(data_dir, "select sum(hash(rule_id, evaluated, passed)) from dq_rule_results_history "
                             f"where run_date = date '{DAY}'"),
            _published(data_dir),
            {p.name: p.read_bytes() for p in sorted(raw.iterdir())})


@dataclass(frozen=True)
class Recovery:
    data_dir: Path
    leftovers: list[Path]  # what the killed run left in work/
    half_written: Path  # a file a killed writer left in reports/
    exit_code: int  # of the next run
    output: str  # what the next run printed
    seen_while_failing: list[dict[str, bytes]]  # the outputs readers saw when the swap failed
    published: tuple  # _published_state once the next run is done


@pytest.fixture(scope="module")
def recovered_run(tmp_path_factory) -> Recovery:
    """A run SIGKILLed while dbt builds (what the OOM killer or a power cut can do), then the next
    run, which cleans up after it and finishes; its first attempt to swap in its warehouse fails
    (EXDEV, a full disk: once, then it works). Two tests' runs in one dbt build: they do not
    interact, the clean-up is done before the run starts and the swap is its last move. Its good
    run is also the one the tests after them start from (a dbt build less for each)."""
    data_dir = tmp_path_factory.mktemp("recovery")
    with pytest.MonkeyPatch.context() as patch:
        for name in ("CDQ_RUN_DATE", "CDQ_OUTPUT_ROOT"):  # conftest's autouse fixture is function-scoped
            patch.delenv(name, raising=False)
        child = subprocess.Popen([sys.executable, "-m", "orchestration", "daily", DAY.isoformat(), "--data-dir",
                                  str(data_dir), "--rows", "300", "--transactions", "500", "--retry-delay", "0"],
                                 stdout=subprocess.DEVNULL)
        _wait_for_build(data_dir)  # mid-step
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        leftovers = list((data_dir / "work").iterdir())
        # and a file a killed process was half-way through writing (the CSV export, say)
        (data_dir / "reports").mkdir(exist_ok=True)
        half_written = kill_writer(data_dir / "reports" / "cleaned_customers_20261123_000000.csv")

        swap_in, seen_while_failing = warehouse.swap_in, []

        def failing_swap_in(copy: Path, live: Path) -> None:
            if not seen_while_failing:
                seen_while_failing.append(_published(data_dir))
                raise OSError("disk full")
            swap_in(copy, live)

        patch.setattr(warehouse, "swap_in", failing_swap_in)
        # in this process, for the patch: it prints what the CLI prints, to `output`
        output = io.StringIO()
        exit_code = run_daily(_options(data_dir, rows=300, transactions=500, retries=1),
                              Console(file=output, highlight=False, soft_wrap=True))
    return Recovery(data_dir, leftovers, half_written, exit_code, output.getvalue(), seen_while_failing,
                    _published_state(data_dir) if exit_code == EXIT_OK else ())


# The tests on recovered_run run in this file's order. The first reads its data directory as the
# recovering run left it; each later one reads what the recovering run left from `Recovery`, and
# otherwise compares the directory before and after its own runs, whatever the tests before it did.


def test_a_killed_run_is_cleaned_up_by_the_next(recovered_run):
    data_dir, output, work = recovered_run.data_dir, recovered_run.output, recovered_run.data_dir / "work"
    assert recovered_run.leftovers, "the killed run left its temporary files"
    assert recovered_run.exit_code == EXIT_OK, output
    assert "recovered a stale lock" in output
    assert "removed the temporary files of an interrupted run" in output
    assert not any(work.iterdir())
    half_written = recovered_run.half_written
    assert f"removed the half-written file of an interrupted write: reports/{half_written.name}" in output
    assert not half_written.exists()
    audit = pq.read_table(data_dir / "outputs" / "2026-11-23" / "row_audit.parquet")
    assert audit.num_rows == 300
    validated = pq.read_metadata(data_dir / "outputs" / "2026-11-23" / "validated_transactions.parquet").num_rows
    assert _query(data_dir, "select count(*), count(distinct transaction_id) from fct_transactions") == \
        [(validated, validated)], "the load after the kill is whole and has no duplicates"
    (summary,) = (data_dir / "logs").glob("etl_*.json")
    summary = json.loads(summary.read_text())
    assert summary["cleanup"]["removed"]
    # the killed run could not log or alert its own failure: the next run does, and counts it
    (killed,) = [path for path in recovered_run.leftovers if not path.name.startswith(".")]  # not its .build link
    (failure_log,) = (data_dir / "logs").glob("failed_*.json")
    failure = json.loads(failure_log.read_text())
    assert failure_log.name == f"failed_{killed.name[11:26]}.json" and failure["run_id"] == killed.name
    assert failure["found_by"] == summary["run_id"] and "killed before it published" in failure["error"]
    assert any(f"an earlier run, {killed.name}, was killed" in w for w in summary["warnings"])
    assert summary["sla"]["history"]["failed"] == 1


def test_a_publication_that_fails_before_the_swap_is_undone_and_retried(recovered_run, monkeypatch):
    data_dir, published = recovered_run.data_dir, recovered_run.published
    assert recovered_run.exit_code == EXIT_OK, recovered_run.output
    assert "step publish failed (attempt 1/2): disk full" in recovered_run.output
    assert published[2] and recovered_run.seen_while_failing == [published[2]], \
        "the undone outputs were published again"
    assert published[0], "and the warehouse records the run"
    assert len(list((data_dir / "outputs" / ".versions").iterdir())) == 1, "no orphan left by the undone attempt"
    # failing every time: the outputs, warehouse and raw files of the last good run stay
    before, failed_before = _published_state(data_dir), _failed_logs(data_dir)
    exports = sorted((data_dir / "reports").iterdir())
    monkeypatch.setattr(warehouse, "swap_in", lambda copy, live: (_ for _ in ()).throw(OSError("disk full")))
    assert run_daily(_options(data_dir, rows=300, transactions=500, seed=9, retries=1)) == EXIT_STEP_FAILED
    assert _published_state(data_dir) == before
    assert sorted((data_dir / "reports").iterdir()) == exports, "no export of a run that did not publish"
    failure = _new_failure(data_dir, failed_before)
    assert failure["step"] == "publish" and failure["attempts"] == 2, "retried, then reported"
    assert failure["partial_results"]["published"] is False
    assert len(list((data_dir / "outputs" / ".versions").iterdir())) == 1


def test_a_write_by_another_process_during_the_run_is_kept(recovered_run):
    data_dir = recovered_run.data_dir
    before, failed_before = _published(data_dir), _failed_logs(data_dir)
    run = _daily_process(data_dir)
    _wait_for_build(data_dir)
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as analyst:
        analyst.execute("create table analyst_notes as select 'keep me' as note")
    output = run.communicate(timeout=300)[0]
    assert run.returncode == EXIT_STEP_FAILED, output
    assert "written to by another process" in output
    failure = _new_failure(data_dir, failed_before)
    assert failure["step"] == "publish" and not failure["partial_results"]["published"]
    assert _query(data_dir, "select note from analyst_notes") == [("keep me",)], "the other process's work is kept"
    assert _published(data_dir) == before, "nothing was published"


KILL = "lambda *a: os.kill(os.getpid(), signal.SIGKILL)"


def _killed_while_publishing(data_dir: Path, patched: str, *args: str, replacement: str = KILL) -> None:
    """Run `daily` for DAY in a process that SIGKILLs itself when it calls `patched` (a module
    attribute the runner calls during step publish; `replacement`, a lambda, is called instead):
    what the OOM killer or a power cut can do."""
    module, name = patched.rsplit(".", 1)
    argv = ["daily", DAY.isoformat(), "--data-dir", str(data_dir), "--rows", "300", "--transactions", "500", *args]
    code = (f"import os, signal, {module}\n"
            f"setattr({module}, {name!r}, {replacement})\n"
            f"from orchestration.cli import main\nmain({argv!r})")
    killed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr


def _next_run(data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The next run, which recovers what the killed one left before anything else. This one then
    stops at step configure (an SMTP host without recipients), so it changes nothing itself."""
    return subprocess.run([sys.executable, "-m", "orchestration", "daily", (DAY + timedelta(days=1)).isoformat(),
                           "--data-dir", str(data_dir)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "CDQ_SMTP_HOST": "127.0.0.1", "CDQ_MAIL_TO": "", **env})


@pytest.mark.slow
def test_a_run_killed_while_publishing_is_undone_or_finished_by_the_next(recovered_run, webhook_server):
    # the last good run (300 rows, as the killed runs': the volume check lets them through) is
    # recovered_run's, or what a test before this one left of it
    data_dir = recovered_run.data_dir
    before = _published_state(data_dir)
    # a re-run with other data, killed after publishing its outputs, before its warehouse is live: undone
    _killed_while_publishing(data_dir, "orchestration.warehouse.seal", "--seed", "7", "--max-volume-drop", "1")
    killed = _published_state(data_dir)
    assert killed[0] == before[0] and killed[2] != before[2], "the kill left new outputs beside the old warehouse"
    recovered = _next_run(data_dir)
    assert recovered.returncode == EXIT_STEP_FAILED, recovered.stdout + recovered.stderr
    assert "undid the publication of an interrupted run" in recovered.stdout
    assert _published_state(data_dir) == before, "outputs, warehouse and raw files of the last good run"
    assert len(list((data_dir / "outputs" / ".versions").iterdir())) == 1, "no orphan version is left"

    # killed once its warehouse is live, before its exports were moved into reports/: finished
    _killed_while_publishing(data_dir, "orchestration.raw_snapshot.discard", "--seed", "7")
    after = _published_state(data_dir)
    assert all(after[i] != before[i] for i in range(4)), "the killed run's warehouse, outputs and raw files are live"
    (report_path,) = _query(data_dir, f"select report_path from runs where run_id = '{after[0][0][0]}'")[0]
    report_path = Path(report_path)
    stamp = report_path.stem.removeprefix("dq_report_")
    exports = [f"dq_report_{stamp}.json", f"dq_report_{stamp}.html", f"load_report_{stamp}.json",
               f"cleaned_customers_{stamp}.csv", f"transaction_anomalies_{stamp}.csv"]
    assert not any((data_dir / "reports" / name).exists() for name in exports)
    # leftovers of other kinds: a folder where the build link goes, an orphan version, a half-made link
    (data_dir / "work" / ".build").unlink()  # the killed run's link
    (data_dir / "work" / ".build").mkdir()
    (data_dir / "work" / ".build" / "warehouse.duckdb").write_bytes(b"")
    orphan = data_dir / "outputs" / ".versions" / f"{DAY.isoformat()}.0123456789ab"
    orphan.mkdir()
    (orphan / "final_customers.parquet").write_bytes(b"PII")
    (data_dir / "outputs" / f".{DAY.isoformat()}.01234567.link").symlink_to(orphan)
    recovered = _next_run(data_dir)
    assert recovered.returncode == EXIT_STEP_FAILED, recovered.stdout + recovered.stderr
    assert "finished the publication of an interrupted run" in recovered.stdout
    assert _published_state(data_dir) == after, "the killed run's outputs, warehouse and raw files stand"
    assert all((data_dir / "reports" / name).exists() for name in exports), "its exports are published"
    assert json.loads(report_path.read_text())["run"]["run_id"] == after[0][0][0]
    saved = (data_dir / "outbox" / f"dq_report_{stamp}.eml").read_bytes()
    message = email.message_from_bytes(saved, policy=email.policy.default)
    assert f"its e-mail was not sent: written to {data_dir / 'outbox' / f'dq_report_{stamp}.eml'}" in \
        recovered.stdout
    assert {part.get_filename() for part in message.iter_attachments()} == set(exports[3:])
    # and the summary it did not live to write, from its report
    summary_path = data_dir / "logs" / f"etl_{stamp}.json"
    assert f"wrote its summary: {summary_path}" in recovered.stdout
    summary, report = json.loads(summary_path.read_text()), json.loads(report_path.read_text())
    assert summary["run_id"] == after[0][0][0] and summary["status"] == "success"
    assert summary["records_processed"] == {"customers": report["counts"]["raw"],
                                            "transactions": report["transactions"]["counts"]["checked"]}
    assert summary["reports"]["load_report"] == str(data_dir / "reports" / exports[2])
    assert summary["notification"]["outbox"] == str(data_dir / "outbox" / f"dq_report_{stamp}.eml")
    assert summary["cleanup"]["removed"] and "finished what it left" in summary["warnings"][0]
    assert "removed work/.build, left as a folder by an interrupted run" in recovered.stdout
    assert not orphan.exists() and not list((data_dir / "outputs").glob(".*.link"))
    assert len(list((data_dir / "outputs" / ".versions").iterdir())) == 1, "one version, the killed run's"
    assert (data_dir / "work" / ".build").is_symlink() or not (data_dir / "work" / ".build").exists()

    # killed once its publication was final, before it e-mailed: a run that published, not a failure
    _killed_while_publishing(data_dir, "orchestration.daily._notify", "--seed", "8")
    (run_id, report_path), = _query(data_dir, f"select run_id, report_path from runs where run_date = '{DAY}'")
    stamp = Path(report_path).stem.removeprefix("dq_report_")
    received, url = webhook_server
    recovered = _next_run(data_dir, CDQ_ALERT_WEBHOOK_URL=url)
    assert f"its e-mail was not sent: written to {data_dir / 'outbox' / f'dq_report_{stamp}.eml'}" in recovered.stdout
    (alert,) = received.posts  # whoever is on call learns that the day's report did not go out
    reasons = alert["body"]["customer_dq"]["reasons"]
    assert any("killed after it published, was not sent" in reason for reason in reasons)
    summary = json.loads((data_dir / "logs" / f"etl_{stamp}.json").read_text())
    assert summary["run_id"] == run_id and summary["status"] == "success"
    assert not (data_dir / "logs" / f"failed_{stamp}.json").exists(), "not counted as a failure"


def test_exports_that_cannot_be_moved_after_publishing_wait_for_the_next_run(recovered_run, monkeypatch):
    data_dir = recovered_run.data_dir
    move_files, calls = daily.move_files, []

    def failing_once(staged: Path, target: Path) -> list[Path]:
        calls.append(staged)
        if len(calls) == 1:
            raise PermissionError(13, "Permission denied", str(target))
        return move_files(staged, target)

    monkeypatch.setattr(daily, "move_files", failing_once)
    output = io.StringIO()
    assert run_daily(_options(data_dir, rows=300, transactions=500, seed=11),
                     Console(file=output, highlight=False, soft_wrap=True)) == EXIT_OK, output.getvalue()
    assert "published, but its exports are not all in" in output.getvalue()
    (kept,) = [p for p in (data_dir / "work").iterdir() if p.name != ".build"]
    waiting = sorted(p.name for p in (kept / "reports").iterdir())
    assert waiting and not any((data_dir / "reports" / name).exists() for name in waiting)
    recovered = _next_run(data_dir)
    assert "finished the publication of an interrupted run" in recovered.stdout, recovered.stdout
    assert all((data_dir / "reports" / name).exists() for name in waiting)
    assert not kept.exists()
    assert "its e-mail was not sent" not in recovered.stdout, "the run had saved its e-mail itself"
    assert "wrote its summary" not in recovered.stdout, "nor its summary"


def test_a_run_killed_while_moving_its_exports_is_finished_by_the_next_once_its_recovery_can_be(recovered_run):
    data_dir = recovered_run.data_dir
    moves_three_then_dies = ("lambda staged, target: ([os.replace(p, target / p.name) for p in sorted(staged.iterdir())"
                             "[:3]], os.kill(os.getpid(), signal.SIGKILL))")
    _killed_while_publishing(data_dir, "orchestration.daily.move_files", "--seed", "13", "--max-volume-drop", "1",
                             replacement=moves_three_then_dies)
    (leftover,) = [p for p in (data_dir / "work").iterdir() if RUN_ID.fullmatch(p.name)]
    stamp = RUN_ID.fullmatch(leftover.name)["stamp"]
    assert (data_dir / "reports" / f"dq_report_{stamp}.json").exists(), "its report was moved before the kill"
    waiting = sorted(p.name for p in (leftover / "reports").iterdir())
    assert waiting == [f"load_report_{stamp}.json", f"transaction_anomalies_{stamp}.csv"]

    # a recovery that fails (here: a journal it cannot read) stops the next run before it starts
    journal = leftover / "publication.json"
    entry, failed_before = journal.read_text(), _failed_logs(data_dir)
    journal.write_text("{")
    stopped = _next_run(data_dir)
    assert stopped.returncode == EXIT_STEP_FAILED, stopped.stdout + stopped.stderr
    failure = _new_failure(data_dir, failed_before)
    assert failure["step"] == "recover"
    assert f"could not finish or undo the publication of the interrupted run {leftover.name}" in failure["error"]
    assert sorted(p.name for p in (leftover / "reports").iterdir()) == waiting, "and keeps what it could not finish"

    journal.write_text(entry)
    recovered = _next_run(data_dir)
    assert "finished the publication of an interrupted run" in recovered.stdout, recovered.stdout
    assert all((data_dir / "reports" / name).exists() for name in waiting) and not leftover.exists()
    saved = data_dir / "outbox" / f"dq_report_{stamp}.eml"
    assert f"its e-mail was not sent: written to {saved}" in recovered.stdout, "rebuilt from the report moved before"


def _replace(path: Path, text: str) -> None:  # as every writer of raw files does: a new file, renamed into place
    path.with_name(f".{path.name}.new").write_text(text)
    path.with_name(f".{path.name}.new").replace(path)


def _contents(directory: Path) -> dict[str, str]:
    return {path.name: path.read_text() for path in sorted(directory.iterdir())}


def test_a_run_that_does_not_publish_takes_back_only_the_raw_files_it_wrote(tmp_path):
    raw, work = tmp_path / "raw" / DAY.isoformat(), tmp_path / "work"
    raw.mkdir(parents=True)
    work.mkdir()
    for name in ("customers.parquet", "products.parquet", "stores.parquet", "_defects.parquet"):
        (raw / name).write_text(f"delivered {name}")
    raw_snapshot.keep(raw, work)
    with raw_snapshot.writing(work):  # the run's own writes
        (raw / "_defects.parquet").unlink()  # as ingest drops the generator's answer key
        _replace(raw / "customers.parquet", "ingested by the run")
        _replace(raw / "_manifest.json", "the run's manifest")
        _replace(raw / "transactions.parquet", "generated by the run")
    # while the run goes on, the source corrects two files and delivers one more
    _replace(raw / "stores.parquet", "corrected stores")
    _replace(raw / "transactions.parquet", "delivered transactions")
    _replace(raw / "refunds.parquet", "delivered refunds")
    taken_back = raw_snapshot.restore(work)
    assert sorted(path.name for path in taken_back) == ["_defects.parquet", "_manifest.json", "customers.parquet"]
    assert _contents(raw) == {
        "_defects.parquet": "delivered _defects.parquet",
        "customers.parquet": "delivered customers.parquet", "products.parquet": "delivered products.parquet",
        "refunds.parquet": "delivered refunds", "stores.parquet": "corrected stores",
        "transactions.parquet": "delivered transactions"}
    assert not (work / raw_snapshot.SNAPSHOT).exists()


def test_a_run_killed_while_writing_raw_files_has_every_change_taken_back(tmp_path):
    raw, work = tmp_path / "raw" / DAY.isoformat(), tmp_path / "work"
    raw.mkdir(parents=True)
    work.mkdir()
    (raw / "customers.parquet").write_text("delivered")
    (raw / "_defects.parquet").write_text("the answer key")
    raw_snapshot.keep(raw, work)
    writes_then_dies = (
        "import os, signal, sys\n"
        "from pathlib import Path\n"
        "from orchestration import raw_snapshot\n"
        "raw, work = Path(sys.argv[1]), Path(sys.argv[2])\n"
        "with raw_snapshot.writing(work):\n"
        "    (raw / '_defects.parquet').unlink()\n"
        "    for name, text in (('customers.parquet', 'half the run'), ('transactions.parquet', 'the run')):\n"
        "        (raw / f'.{name}.new').write_text(text)\n"
        "        (raw / f'.{name}.new').replace(raw / name)\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n")
    killed = subprocess.run([sys.executable, "-c", writes_then_dies, str(raw), str(work)], check=False)
    assert killed.returncode == -signal.SIGKILL
    assert len(raw_snapshot.restore(work)) == 3, "it cannot tell its writes from a source's"
    assert _contents(raw) == {"_defects.parquet": "the answer key", "customers.parquet": "delivered"}


def test_a_run_that_wrote_nothing_leaves_the_raw_files_alone(tmp_path):
    raw, work = tmp_path / "raw" / DAY.isoformat(), tmp_path / "work"
    work.mkdir()
    raw_snapshot.keep(raw, work)  # before the day's delivery
    raw.mkdir(parents=True)
    (raw / "customers.parquet").write_text("delivered while the run waited")
    assert raw_snapshot.restore(work) == []
    assert _contents(raw) == {"customers.parquet": "delivered while the run waited"}


def test_a_stop_during_publish_ends_as_the_published_run_with_its_e_mail_in_the_outbox(tmp_path, webhook_server):
    # a reviewer's case: SIGTERM (cron's --max-minutes, say) while publishing: the run finished
    # publishing, then reported a failed step, wrote no summary, and its daily e-mail was lost
    received, url = webhook_server
    term_then_discard = ("lambda *a, _discard=orchestration.raw_snapshot.discard: "
                         "(os.kill(os.getpid(), signal.SIGTERM), _discard(*a))[1]")
    argv = ["daily", DAY.isoformat(), "--data-dir", str(tmp_path), "--rows", "300", "--transactions", "500"]
    code = ("import os, signal, orchestration.raw_snapshot\n"
            f"orchestration.raw_snapshot.discard = {term_then_discard}\n"
            f"from orchestration.cli import main\nraise SystemExit(main({argv!r}))")
    env = {key: value for key, value in os.environ.items() if not key.startswith("CDQ_SMTP")}
    stopped = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                             env={**env, "CDQ_ALERT_WEBHOOK_URL": url})
    assert stopped.returncode == EXIT_TERMINATED, stopped.stdout + stopped.stderr  # a backfill stops there
    (stamp,) = [p.stem.removeprefix("etl_") for p in (tmp_path / "logs").glob("etl_*.json")]
    saved = tmp_path / "outbox" / f"dq_report_{stamp}.eml"
    assert f"stopped (SIGTERM) after it published: the daily e-mail was not sent; it waits in {saved}" \
        in " ".join(stopped.stdout.split())
    assert saved.exists() and not list((tmp_path / "logs").glob("failed_*.json"))
    summary = json.loads((tmp_path / "logs" / f"etl_{stamp}.json").read_text())
    assert summary["status"] == "success" and summary["notification"]["outbox"] == str(saved)
    (alert,) = received.posts
    assert any("after it published" in reason for reason in alert["body"]["customer_dq"]["reasons"])
