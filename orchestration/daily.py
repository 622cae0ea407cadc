"""The daily job: lock -> generate or ingest -> profile -> dbt build -> gates -> publish ->
export -> record -> e-mail -> clean up -> summary. The seed Airflow DAG and the weekly
transaction ETL, without Airflow.

Exit codes: 0 success; 1 the quality gate stopped the run (nothing published, the last good
outputs stay); 2 a step still failed after its retries (logs/failed_<stamp>.json says which);
3 another run holds the lock; 130 interrupted by Ctrl-C, 143 by SIGTERM (each logged as a failed
step; nothing published unless the stop came after step publish, which the failure log says).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import smtplib
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import TypeVar

from rich.console import Console

from orchestration import alert, cron, engine, landing, raw_snapshot, retention, run_files, warehouse
from orchestration.anomaly import describe_anomaly, score_anomalies
from orchestration.dbt import DbtRun, RawContractError, run_dbt, silence_console
from orchestration.drift import describe, drift_findings, max_share_change
from orchestration.ingest import IngestError
from orchestration.lock import LockHeld, RunLock, describe_holder
from orchestration.notify import (
    DEFAULT_ATTACHMENT_LIMIT_MB,
    MailConfigError,
    SmtpSettings,
    attachment_limit_mb,
    build_alert_message,
    build_message,
    save_to_outbox,
    send,
)
from orchestration.outbox import SENT
from orchestration.profile import profile_raw
from orchestration.publish import JOURNAL as PUBLICATION_JOURNAL
from orchestration.publish import (
    finish_publication,
    move_files,
    publish_directory,
    remove_orphan_versions,
    swapped_in,
    undo_publication,
)
from orchestration.report import (
    RunFacts,
    change_since,
    export_csv,
    most_failed,
    read_facts,
    render_html,
    validate_report,
    versions,
    write_json,
    write_text,
)
from orchestration.sales import (
    DESTINATION_TABLES,
    SalesFacts,
    export_anomalies,
    gate_reasons,
    percent,
    read_sales_facts,
    window_days,
)
from orchestration.settings_file import SettingsFileError
from orchestration.sla import FAILURE_LOG, STAMP_FORMAT, SUMMARY_LOG, Sla, parse_stamp, sla_section
from seeds_gen.files import owner_only, remove_abandoned
from seeds_gen.generator import CUSTOMERS_FILE, GeneratorError
from seeds_gen.reference import project_vars
from seeds_gen.transactions import TRANSACTIONS_FILE

T = TypeVar("T")
KEPT_MARKER = "KEPT"
# work/.build -> the running run's work directory: dbt is given the same paths every run (its
# warehouse, DuckDB's spill directory), since a changed profile makes it parse the whole project
BUILD_LINK = ".build"
RUN_ID = re.compile(r"\d{4}-\d{2}-\d{2}_(?P<stamp>\d{8}_\d{6})_[0-9a-f]{6}")  # Run._stamp's: <date>_<stamp>_<hex>
NOTIFIED_MARKER = "notified"  # in a run's work directory once its e-mail was sent or saved
EXIT_OK, EXIT_QUALITY, EXIT_STEP_FAILED, EXIT_LOCKED = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # the shells' codes for a process stopped by SIGINT, by SIGTERM
EXIT_TERMINATED = 143


class RecoveryFailed(Exception):
    """A killed run's publication could not be finished or undone: no run may publish beside it."""


class FolderError(Exception):
    """A folder the run writes into is not one it can write into (a setup problem, not retried)."""


class StoppedByFailedTest(Exception):
    """A failed error-severity test stopped the build before its downstream models: the same data
    fails it again, so it is not retried."""


# Input problems do not fix themselves in five minutes: report them at once.
NOT_RETRIED = (IngestError, GeneratorError, MailConfigError, alert.AlertConfigError, engine.EngineSettingsError,
               warehouse.WarehouseChanged, FolderError, RawContractError, StoppedByFailedTest, SettingsFileError,
               # an SMTP server without STARTTLS, or one refusing the login, says the same in 5 minutes
               smtplib.SMTPNotSupportedError, smtplib.SMTPAuthenticationError)


@dataclass(frozen=True)
class DailyOptions:
    data_dir: Path
    run_date: date
    rows: int = 3_500
    seed: int = 42
    defect_rate: float = 0.08
    input: Path | None = None
    keep_temp: bool = False
    retries: int = 1
    retry_delay: float = 300.0
    min_score: float = 0.95
    max_failing_share: float = 0.10
    max_volume_drop: float = 0.5  # 1: no volume check
    transactions: int = 20_000
    products: int = 1_000
    stores: int = 20
    transaction_defect_rate: float = 0.03
    window_days: int | None = None  # default: var transaction_window_days of dbt_project.yml
    min_transaction_pass_rate: float = 0.95
    max_transaction_failing_share: float = 0.10
    sla: Sla = Sla()
    retention_days: int | None = None  # None: keep every run's exports and unsent messages
    generate: bool = True  # False (--no-generate): process the raw files there are, never generate
    settings_error: str | None = None  # the settings file was refused (cli): the run fails at step configure


class StepFailed(Exception):
    def __init__(self, step: str, error: BaseException, attempts: int) -> None:
        super().__init__(f"step {step} failed after {attempts} attempt(s): {error}")
        self.step, self.error, self.attempts = step, error, attempts


@dataclass(frozen=True)
class Gate:
    passed: bool
    reasons: list[str]  # every reason, customers' and transactions'
    failing_share: float
    failed_error_tests: list[str]
    sales_reasons: list[str]
    volume_reference: dict | None  # the run the raw volume was compared with: run_date, rows_raw
    # the records' rules are among the reasons (the score, the failing share, a rule's test, the sales gate)
    customer_rules_failed: bool = False
    sales_rules_failed: bool = False


@dataclass
class Run:
    """One daily run: its identity, paths and the timings of its steps."""

    options: DailyOptions
    console: Console
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    steps: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # warnings that are news for whoever is on call, so also alerted: an earlier run found killed, a
    # daily e-mail left unsent by a stop after publishing
    alerted_warnings: list[str] = field(default_factory=list)
    summary: dict | None = None  # what logs/etl_<stamp>.json says, once the run got that far
    failure: dict | None = None  # what logs/failed_<stamp>.json says, when a step failed
    published: bool = False  # its outputs replaced the date's published ones
    keep_work: bool = False  # its work directory holds what the next run's recovery must finish
    current_step: str = "start"
    stopped_by: str = "SIGINT"  # the signal that interrupted the run, if one did
    signalled: bool = False  # a SIGINT or SIGTERM reached the run's handler (while it is installed)

    def __post_init__(self) -> None:
        data = self.options.data_dir
        self.raw_dir = data / "raw" / self.options.run_date.isoformat()
        self.reports_dir = data / "reports"
        self.logs_dir = data / "logs"
        self.outputs_dir = data / "outputs" / self.options.run_date.isoformat()
        self.outbox_dir = data / "outbox"
        self.live_warehouse = warehouse.live_path(data)
        self.build_dir = data / "work" / BUILD_LINK
        self._stamp()

    def _stamp(self) -> None:
        self.stamp = self.started_at.astimezone().strftime(STAMP_FORMAT)
        self.run_id = f"{self.options.run_date}_{self.stamp}_{uuid.uuid4().hex[:6]}"
        self.work_dir = self.options.data_dir / "work" / self.run_id
        # the run's exports wait here until step publish moves them into reports/ with the outputs
        self.staged_reports = self.work_dir / "reports"
        self.failure_log = self.logs_dir / f"{FAILURE_LOG}_{self.stamp}.json"

    def claim_stamp(self) -> None:
        """Make the stamp in the run's file names (reports/*_<stamp>.*, logs/*_<stamp>.json) one no
        earlier run used: runs failing within the same second (a backfill) must not overwrite
        each other's logs. Called holding the run lock."""
        while any(self.logs_dir.glob(f"*_{self.stamp}.*")) or any(self.reports_dir.glob(f"*_{self.stamp}.*")):
            time.sleep(0.1)
            self.started_at = datetime.now(UTC)
            self._stamp()

    def staged_report(self, report: Path) -> Path:
        """Where the export that will be `report` (in reports/) is written before publish."""
        return self.staged_reports / report.name

    def _wait(self, seconds: float) -> None:
        """Sleep before a retry, but stop at once on a signal, even in a step that holds signals
        back while it runs (publish: its failed attempt was undone, so stopping is safe)."""
        until = time.monotonic() + seconds
        while not self.signalled and (left := until - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))
        if self.signalled:
            raise KeyboardInterrupt(self.stopped_by)

    def step(self, name: str, action: Callable[[], T], retries: int | None = None, delay: float | None = None) -> T:
        """Run a step, retrying it (`retries`, default --retries) after `delay` (default
        --retry-delay) as the seed DAG did; time every attempt."""
        attempts = (self.options.retries if retries is None else retries) + 1
        delay = self.options.retry_delay if delay is None else delay
        started = time.perf_counter()
        self.current_step = name
        for attempt in range(1, attempts + 1):
            try:
                result = action()
            except NOT_RETRIED as exc:
                raise StepFailed(name, exc, attempt) from exc
            except Exception as exc:  # noqa: BLE001 - any failure of a step is retried, then reported
                if self.signalled:
                    # stopped, not failed: dbt answers Ctrl-C by closing its connections, and a
                    # node still running may report that ("Connection already closed") instead
                    raise KeyboardInterrupt(self.stopped_by) from exc
                if attempt == attempts:
                    raise StepFailed(name, exc, attempt) from exc
                self.console.print(f"[yellow]step {name} failed (attempt {attempt}/{attempts}): {exc}; "
                                   f"retrying in {delay:g} s[/]")
                self._wait(delay)
            else:
                self.steps.append({"name": name, "seconds": round(time.perf_counter() - started, 3),
                                   "attempts": attempt})
                return result
        raise AssertionError("unreachable")


def report_stem(stamp: str) -> str:
    """The name, without its suffix, of a run's report (.json), its page (.html) and its unsent
    e-mail (.eml): the run writes them, and the next run's recovery finds them, by this name."""
    return f"{run_files.REPORT}_{stamp}"


def run_daily(options: DailyOptions, console: Console | None = None) -> int:
    with owner_only():  # the run's files hold personal data: the warehouse, outputs, exports, e-mails
        return _run_daily(options, console)


def _run_daily(options: DailyOptions, console: Console | None) -> int:
    run = Run(options, console or Console(highlight=False, soft_wrap=True))
    try:
        options.data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # nowhere to log it: said on the console, as a failed step
        reason = "a file is in its place" if options.data_dir.is_file() else exc.strerror
        run.console.print(f"[red]the data directory {options.data_dir} cannot be created: {reason}[/]")
        return EXIT_STEP_FAILED
    try:
        with RunLock(options.data_dir / ".run.lock", run_date=options.run_date.isoformat()) as lock:
            if lock.recovered_from:
                run.console.print(f"recovered a stale lock from a dead run: {describe_holder(lock.recovered_from)}")
            try:
                _remove_leftovers(run)
            except RecoveryFailed as exc:  # stopped before it starts: logged and alerted, as a failed step
                run.claim_stamp()
                _report_failure(run, StepFailed("recover", exc, 1))
                _alert(run, EXIT_STEP_FAILED)
                return EXIT_STEP_FAILED
            run.claim_stamp()
            _tidy(run, "rotate cron.log", lambda: cron.rotate_log(run.logs_dir))
            run.work_dir.mkdir(parents=True)
            _link_build_dir(run)
            raw_snapshot.keep(run.raw_dir, run.work_dir)
            try:
                # DuckDB (dbt's and the runner's own connections) spills into the work directory,
                # so a killed run's spill files go with it.
                with (engine.environment({"CDQ_DUCKDB_TEMP_DIRECTORY": str(run.build_dir / "duckdb_spill")}),
                      _terminable(run)):
                    exit_code = _run(run)
            except KeyboardInterrupt:
                # Ctrl-C (or SIGTERM) stops the run where it is: not retried, nothing published that
                # was not already, the raw files it wrote taken back, the temporary files deleted, a failure log.
                _report_failure(run, StepFailed(run.current_step,
                                                KeyboardInterrupt(f"interrupted ({run.stopped_by})"), 1))
                exit_code = EXIT_TERMINATED if run.stopped_by == "SIGTERM" else EXIT_INTERRUPTED
            finally:
                if not run.published:
                    raw_snapshot.restore(run.work_dir)
                _clean_up(run)
            with _terminable(run):  # a stop while alerting keeps the message in the outbox, and the logs
                _alert(run, exit_code)
            if exit_code == EXIT_OK:  # never the last good run's files, however old, after a failure
                _tidy(run, "apply --retention-days", lambda: _apply_retention(run))
            if not _write_etl_log(run) and exit_code == EXIT_OK:
                return EXIT_STEP_FAILED  # published, but without its summary: not a run to go on from
            return exit_code
    except LockHeld as exc:
        run.console.print(f"[red]refusing to start: {exc}[/]")
        _alert(run, EXIT_LOCKED, [f"refusing to start: {exc}"])
        return EXIT_LOCKED
    except Exception as exc:  # noqa: BLE001 - e.g. a full disk outside the steps: named, logged and alerted
        _report_failure(run, StepFailed("runner", exc, 1))
        _alert(run, EXIT_STEP_FAILED)
        return EXIT_STEP_FAILED


@contextmanager
def _terminable(run: Run) -> Iterator[None]:
    """SIGTERM (what timeout, systemd and docker stop send) ends a run as Ctrl-C does, cleaned up
    and logged, instead of killing it where it stands. Either signal waits for an attempt of step
    publish to finish (not for its retry wait): stopped between its renames, the run would have to
    undo them. Signal handlers live in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        run.stopped_by, run.signalled = signal.Signals(signum).name, True
        if run.current_step == "publish":
            return  # raised once the step is done (_run)
        silence_console()
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        # The alert that follows a stopped run is a step too: its failures are failures again.
        run.signalled = False


def _remove_leftovers(run: Run) -> None:
    """Recover from killed runs: finish or undo a publication one was making (publish.py), take
    back the raw files one that did not publish wrote, and delete what they left (it holds PII):
    their work directories (DuckDB's spill files included) except those kept with --keep-temp,
    a work/.build folder a dbt thread re-made, output versions no link points to, and the
    half-written files of writes they were making elsewhere (raw files, CSVs, e-mails; a live
    writer's are left alone)."""
    data_dir = run.options.data_dir
    for leftover in sorted((data_dir / "work").glob("*")):
        # only what a run made: a user's folder under work/ (an inbox, say) is not ours to delete
        if RUN_ID.fullmatch(leftover.name) and leftover.is_dir() and not (leftover / KEPT_MARKER).exists():
            try:
                published = _recover_publication(run, leftover)
            except (OSError, ValueError) as exc:  # its journal stays: the next run tries again
                raise RecoveryFailed(f"could not finish or undo the publication of the interrupted run "
                                     f"{leftover.name} ({exc}): its files are kept in {leftover}, and the next "
                                     "run tries again") from exc
            restored = raw_snapshot.restore(leftover)
            if restored:
                run.console.print(f"took back the raw files an interrupted run wrote in {restored[0].parent.name}: "
                                  + ", ".join(path.name for path in restored))
            notified = (leftover / NOTIFIED_MARKER).exists()
            shutil.rmtree(leftover, ignore_errors=True)
            run.console.print(f"removed the temporary files of an interrupted run: {leftover.name}")
            _account_for_killed_run(run, leftover, published, notified)
    for link in (data_dir / "work").glob(f"{BUILD_LINK}.*"):  # made by a run killed while linking
        if link.is_symlink():
            link.unlink()
    if _left_by_dbt(run.build_dir):
        # a dbt thread still opening the warehouse as its stopped run cleaned up re-made the link's
        # path as a folder (the connection plugin creates the warehouse's parent)
        shutil.rmtree(run.build_dir, ignore_errors=True)
        run.console.print(f"removed {run.build_dir.relative_to(data_dir)}, left as a folder by an interrupted run")
    for path in remove_orphan_versions(data_dir / "outputs"):
        run.console.print(f"removed an output version no date's folder points to (its folder was deleted, or a "
                          f"publication interrupted): {path.relative_to(data_dir)}")
    for path in remove_abandoned(data_dir):
        run.console.print(f"removed the half-written file of an interrupted write: {path.relative_to(data_dir)}")


def _recover_publication(run: Run, leftover: Path) -> bool:
    """Finish or undo the publication a killed run was making (publish.py), in the order _publish
    makes it, the journal last: a recovery itself interrupted is taken up again by the next run.
    Finished: its warehouse is live, so its raw files stay, its exports are moved into reports/,
    and the e-mail it did not live to send is saved to the outbox. True when it was finished."""
    journal = leftover / PUBLICATION_JOURNAL
    if not journal.exists():
        return False
    if not swapped_in(journal):
        undo_publication(journal)
        warehouse.settle_replaced_wal(run.live_warehouse, swapped=False)
        run.console.print(f"undid the publication of an interrupted run, which had not swapped in its "
                          f"warehouse: the outputs are as they were ({leftover.name})")
        return False
    warehouse.settle_replaced_wal(run.live_warehouse, swapped=True)
    raw_snapshot.discard(leftover)
    exports = move_files(leftover / run.staged_reports.name, run.reports_dir)
    finish_publication(journal)
    run.console.print(f"finished the publication of an interrupted run: {leftover.name}"
                      + "".join(f"\n  published its export {path}" for path in exports))
    return True


def _account_for_killed_run(run: Run, leftover: Path, finished_publication: bool, notified: bool) -> None:
    """Write the log a killed run did not live to write, unless it wrote one: the summary of a run
    that published (its publication finished by this recovery, or by itself: its report is in
    reports/), with its unsent e-mail saved to the outbox; else the failure log of a run killed
    before it published."""
    stamp = RUN_ID.fullmatch(leftover.name)["stamp"]
    if any(run.logs_dir.glob(f"*_{stamp}.json")):
        return
    if not finished_publication and not (run.reports_dir / f"{report_stem(stamp)}.json").exists():
        _write_killed_run_failure(run, leftover, stamp)
        return
    saved = None if notified else _save_unsent_message(run, stamp)
    if saved:
        warning = f"the daily e-mail of {leftover.name}, killed after it published, was not sent: it waits in {saved}"
        run.warnings.append(warning)
        run.alerted_warnings.append(warning)  # nobody else learns that the day's report did not go out
        run.console.print(f"  its e-mail was not sent: written to {saved}")
    _write_recovered_summary(run, leftover, stamp)


def _write_recovered_summary(run: Run, leftover: Path, stamp: str) -> None:
    """The summary (logs/etl_<stamp>.json) a run killed after publishing did not live to write,
    from the report it published; its own warnings died with it. Nothing without a report."""
    report_path, path = run.reports_dir / f"{report_stem(stamp)}.json", run.logs_dir / f"{SUMMARY_LOG}_{stamp}.json"
    if not report_path.exists():
        return
    unsent = run.outbox_dir / f"{report_stem(stamp)}.eml"
    notification = ({"sent": False, "outbox": str(unsent), "reason": "not sent: the message waits in the outbox"}
                    if unsent.exists() else {"sent": True})
    warnings = [f"the run was stopped after it published; run {run.run_id} finished what it left and wrote "
                "this summary from its report (the run's own warnings are not known)"]
    summary = _etl_summary(json.loads(report_path.read_text()), warnings, notification, run.live_warehouse)
    summary["cleanup"] = {"work_directory": str(leftover), "kept_on_request": False, "removed": not leftover.exists(),
                          "removed_by": run.run_id}
    if _write_log(run, summary, path):
        run.console.print(f"  wrote its summary: {path}")


def _tidy(run: Run, what: str, action: Callable[[], None]) -> None:
    """Housekeeping that must not fail a run (rotating a log, pruning old exports): a failure is a
    warning in the summary, printed."""
    try:
        action()
    except OSError as exc:
        message = f"could not {what}: {exc}"
        run.console.print(f"[yellow]{message}[/]")
        if run.summary is not None:
            run.summary["warnings"].append(message)
        else:
            run.warnings.append(message)


def _write_killed_run_failure(run: Run, leftover: Path, stamp: str) -> None:
    """The failure log (logs/failed_<stamp>.json) a run killed before it published (SIGKILL, the
    OOM killer, a power cut) did not live to write, so the service-level history counts it; this
    run's summary and alert say so."""
    path = run.logs_dir / f"{FAILURE_LOG}_{stamp}.json"
    error = ("killed before it published (SIGKILL, out of memory or a power cut): it published nothing, and "
             f"run {run.run_id} removed its temporary files")
    failure = _failure_record(run_id=leftover.name, run_date=leftover.name[:10], step=None, error=error,
                              attempts=None, started_at=parse_stamp(stamp).isoformat(), failed_at=None,
                              completed_steps=None, work_directory=leftover, kept=False, published=False)
    failure["found_by"] = run.run_id
    if _write_log(run, failure, path):
        warning = f"an earlier run, {leftover.name}, was {error}; logged in {path}"
        run.warnings.append(warning)
        run.alerted_warnings.append(warning)


def _save_unsent_message(run: Run, stamp: str) -> Path | None:
    """The daily e-mail of a run killed before it could send it, rebuilt from its published report
    and saved to the outbox (never sent by another run's recovery: it waits there, found and
    named). None when there is no report to build it from, or it is in the outbox already."""
    report_path, saved = run.reports_dir / f"{report_stem(stamp)}.json", run.outbox_dir / f"{report_stem(stamp)}.eml"
    if not report_path.exists() or saved.exists():
        return None
    report = json.loads(report_path.read_text())
    settings = _settings(SmtpSettings.from_env)
    # by name in this data directory: the report's absolute paths may be another mount's
    exported = [run.reports_dir / Path(p).name for p in (report["outputs"]["csv"], report["outputs"]["anomalies_csv"])
                if p]
    attachments = [path for path in exported if path.exists()]
    try:
        limit = attachment_limit_mb(os.environ)
    except MailConfigError:  # said by this run's step configure; the message is kept all the same
        limit = DEFAULT_ATTACHMENT_LIMIT_MB
    return save_to_outbox(_daily_message(report, attachments, settings, limit), run.outbox_dir, saved.stem)


def _left_by_dbt(folder: Path) -> bool:
    """A real folder at the build link's place holding only what dbt writes there (the warehouse,
    its WAL, DuckDB's spill directory): not a user's folder."""
    written = {warehouse.WAREHOUSE_FILE, f"{warehouse.WAREHOUSE_FILE}.wal", "duckdb_spill"}
    return folder.is_dir() and not folder.is_symlink() and all(p.name in written for p in folder.iterdir())


def _link_build_dir(run: Run) -> None:
    """Point work/.build at the run's work directory (replacing a killed run's link in one rename).
    Where that cannot be (a file or folder of that name that is not our link), dbt is given the
    work directory itself, and parses the whole project."""
    if run.build_dir.exists() and not run.build_dir.is_symlink():
        run.console.print(f"[yellow]{run.build_dir} is not the runner's link: dbt parses the whole project[/]")
        run.build_dir = run.work_dir
        return
    link = run.build_dir.with_name(f"{BUILD_LINK}.{os.getpid()}")
    link.unlink(missing_ok=True)
    link.symlink_to(run.work_dir.name, target_is_directory=True)
    link.replace(run.build_dir)


def _clean_up(run: Run) -> None:
    if run.build_dir.is_symlink() and os.readlink(run.build_dir) == run.work_dir.name:
        run.build_dir.unlink()
    if run.keep_work:  # not marked kept: the next run's recovery must find it
        run.console.print(f"kept {run.work_dir}: the next run finishes its publication, then deletes it")
    elif run.options.keep_temp:
        (run.work_dir / KEPT_MARKER).touch()
        run.console.print(f"kept temporary files in {run.work_dir}")
    else:
        shutil.rmtree(run.work_dir, ignore_errors=True)


def _run(run: Run) -> int:
    options = run.options
    try:
        mail = run.step("configure", lambda: _configure(run))
        if options.run_date > date.today():
            run.warnings.append(f"run date {options.run_date} is in the future: the rules judge dates against it "
                                "(a signup or purchase up to that date passes)")
        # a file a source system put in raw/ is checked, then processed as it is: nothing is generated
        delivered = None if options.input else run.step(
            "check_delivered", lambda: landing.delivered_customers(run.raw_dir, options.generate))
        source = (landing.as_delivered(run, delivered) if delivered
                  else run.step("ingest" if options.input else "generate", lambda: _land_raw(run)))
        profiles = run.step("profile", lambda: _profile_raw_files(run.raw_dir))
        landing.warn_of_typed_sales(run)  # a file DuckDB cannot read stopped the run at step profile
        # before the build: a live warehouse another process holds open for writing stops the run
        # here, not after minutes of dbt
        history = run.step("read_last_run", lambda: warehouse.run_history(run.live_warehouse, options.run_date))
        build_db, staged_from = run.step("stage_warehouse",
                                         lambda: warehouse.stage_copy(run.live_warehouse, run.work_dir))
        dbt_run = run.step("dbt_build", lambda: _build(run, build_db))
        facts = run.step("read_results", lambda: read_facts(build_db))
        days = window_days(options.window_days)
        sales = run.step("read_sales", lambda: read_sales_facts(build_db, options.run_date, days, run.live_warehouse))
        unjudged = [r["rule_id"] for r in facts.rules if r["status"] == "not_evaluated"]
        if unjudged and facts.counts["raw"]:  # e.g. the dates a rule compares parsed in no record
            run.warnings.append(f"{len(unjudged)} customer rule(s) judged no record of {facts.counts['raw']:,}: "
                                + ", ".join(unjudged))
        if not facts.counts["raw"]:  # the gate judges rows: with none it passes, unless the volume check stops it
            run.warnings.append(f"the raw customers file of {options.run_date} has no rows: nothing was judged, and "
                                "the day's outputs are empty")
        if (profiles[TRANSACTIONS_FILE] or {}).get("row_count") == 0:  # as for customers, a warning
            run.warnings.append(f"the raw transactions file of {options.run_date} has no rows: no sales of the day "
                                "were loaded")
        if sales.load["rows_kept"]:
            run.warnings.append(
                f"fct_transactions keeps {sales.load['rows_kept']:,} rows of the window that no raw file of the "
                f"window delivered this time (pruned or moved, or of a later date): as loaded before, not reloaded")
        gate = _judge(options, dbt_run, facts, sales, history.reference)
        if not gate.passed:  # nothing is loaded: every figure given before still stands
            sales = replace(sales, revised_days=[], stale_later_days=None)
        elif sales.revised_days is None:
            run.warnings.append(f"another process holds {run.live_warehouse}: the window's days whose sales this run "
                                "changed could not be found and are not listed")
        exit_code = EXIT_OK if gate.passed else EXIT_QUALITY
        # Everything that can fail comes before the outputs and exports are published and the
        # warehouse promoted, which happen last and together (step publish): a failed run never
        # leaves new outputs beside the old warehouse, nor exports of a run that did not publish.
        # The exports read the run's own staged copies and are written into the work directory.
        csv_path = run.reports_dir / f"{run_files.CUSTOMERS_CSV}_{run.stamp}.csv" if gate.passed else None
        if csv_path:
            run.step("export_csv", lambda: export_csv(run.work_dir / "outputs" / "final_customers.parquet",
                                                      run.staged_report(csv_path), "source_row_number"))
        anomalies_path = run.reports_dir / f"{run_files.ANOMALIES_CSV}_{run.stamp}.csv"
        run.step("export_anomalies", lambda: export_anomalies(build_db, run.staged_report(anomalies_path)))
        report_path = run.reports_dir / f"{report_stem(run.stamp)}.json"
        html_path = run.reports_dir / f"{report_stem(run.stamp)}.html"
        load_report_path = run.reports_dir / f"{run_files.LOAD_REPORT}_{run.stamp}.json" if gate.passed else None
        run.warnings += [f"dbt test warned: {n.name}" for n in dbt_run.tests() if n.status == "warn"]
        report = run.step("report", lambda: _report(
            run, source, profiles, dbt_run, facts, sales, gate, history, exit_code,
            {"csv": csv_path, "report": report_path, "html": html_path, "anomalies_csv": anomalies_path,
             "load_report": load_report_path}))
        html = run.step("render_html", lambda: render_html(report, history.trend))
        run.warnings += report["sla"]["breaches"]  # a late run is still a good run: said, and alerted
        if report["score_anomalies"]:  # news, not a gate: the gate's thresholds judge the scores
            run.warnings += [describe_anomaly(f, report["score_anomalies"]["runs_compared"])
                             for f in report["score_anomalies"]["findings"]]
        if report["drift"]:  # drift informs, it does not stop the run: the rules and gates judge the data
            run.warnings += [f"{describe(f)} (last run {report['drift']['previous_run_date']})"
                             for f in report["drift"]["findings"]]
        if sales.stale_later_days:  # an earlier date corrected or backfilled: later rows count the old figures
            later = sales.stale_later_days
            run.warnings.append(
                f"fct_transactions holds later days ({later.first} to {later.last}) whose customer metrics (lifetime "
                f"value, count, status) and trailing statistics (3-sigma check, product rank) count this run's days "
                f"as they were before it: re-run in order the run dates that loaded them, with the options they were "
                f"run with, to bring them up to date ({later.rerun_command})")
        run.step("export_report", lambda: write_json(report, run.staged_report(report_path)))
        run.step("export_html", lambda: write_text(html, run.staged_report(html_path)))
        if load_report_path:
            run.step("load_report", lambda: write_json(_load_report(run, dbt_run, sales),
                                                       run.staged_report(load_report_path)))
        run.step("publish", lambda: _publish(run, build_db if gate.passed else None, staged_from, facts, report,
                                             exit_code))
        # an export _publish could not move into reports/ is attached from where it waits
        attached = [p if p.exists() else run.staged_report(p) for p in (csv_path, anomalies_path) if p]
        if run.signalled:  # a signal during publish waited for it (any other step stops at once)
            notification = _stopped_after_publishing(run, report, attached, mail)
            # stopped all the same: a backfill must not go on to its next date
            exit_code = EXIT_TERMINATED if run.stopped_by == "SIGTERM" else EXIT_INTERRUPTED
        else:
            notification = _notify(run, report, attached, mail)
        (run.work_dir / NOTIFIED_MARKER).touch()  # the next run's recovery must not save it again
    except StepFailed as failure:
        _report_failure(run, failure)
        return EXIT_STEP_FAILED
    except Exception as exc:  # noqa: BLE001 - a bug between steps still ends in a failure report, not a traceback
        _report_failure(run, StepFailed("runner", exc, 1))
        return EXIT_STEP_FAILED
    run.summary = _etl_summary(report, list(run.warnings), notification, run.live_warehouse)
    _print_summary(run, facts, sales, gate, report, notification)
    return exit_code


def _stopped_after_publishing(run: Run, report: dict, attachments: list[Path], settings: SmtpSettings | None) -> dict:
    """A stop during publish waited for it: the outputs and the warehouse are live, so the run ends
    with the summary of the run it published, without the wait of sending its e-mail: the message
    _notify would send is saved to the outbox (`just send-outbox` sends it), said and alerted."""
    message = _daily_message(report, attachments, settings, attachment_limit_mb(os.environ))
    saved = save_to_outbox(message, run.outbox_dir, report_stem(run.stamp))
    warning = f"stopped ({run.stopped_by}) after it published: the daily e-mail was not sent; it waits in {saved}"
    run.warnings.append(warning)
    run.alerted_warnings.append(warning)
    run.console.print(f"[yellow]{warning}[/]")
    return {"sent": False, "outbox": str(saved), "reason": f"stopped ({run.stopped_by}) after publishing"}


def _configure(run: Run) -> SmtpSettings | None:
    """The settings from the environment and the folders the run writes into, checked before
    anything is done: a run that cannot e-mail its report or write its exports must not publish
    and load, then fail; a DuckDB setting it refuses must not wait for the first step that opens
    DuckDB; a wrong alert setting must not wait for a failure."""
    if run.options.settings_error:
        raise SettingsFileError(run.options.settings_error)
    for folder in (run.reports_dir, run.outbox_dir, run.logs_dir, run.outputs_dir.parent):  # made when written to
        if folder.exists() and not folder.is_dir():
            raise FolderError(f"{folder} is not a folder: the run writes its outputs, exports or logs there")
        if folder.is_dir() and not os.access(folder, os.W_OK | os.X_OK):
            raise FolderError(f"{folder}: the run cannot write into this folder")
    # The outputs and the warehouse are made live by renames from the work directory, which a
    # rename cannot do across mount points: said now, not after the build.
    for published, setting in ((run.outputs_dir.parent, "outputs/ (a separate mount)"),
                               (run.live_warehouse.parent, "the warehouse (CDQ_WAREHOUSE)")):
        _check_renames_into(run.work_dir, published, setting)
    engine.check_settings()
    alert.AlertSettings.from_env(os.environ)
    attachment_limit_mb(os.environ)
    return SmtpSettings.from_env(os.environ)


def _check_renames_into(work_dir: Path, target: Path, setting: str) -> None:
    """Rename a file from `work_dir` into `target` (or the folder it would be made in) and back: a
    bind mount of the same file system refuses it too (EXDEV), which comparing devices misses."""
    while not target.exists():
        target = target.parent
    probe = work_dir / f".rename-probe.{os.getpid()}"
    probe.touch()
    try:
        os.replace(probe, target / probe.name)
        os.replace(target / probe.name, probe)
    except OSError as exc:
        if exc.errno == errno.EXDEV:
            raise FolderError(f"{setting} at {target} is on another mount than the work directory "
                              f"{work_dir.parent}: the run publishes by renaming from there; keep both on one "
                              "mount (move or mount the whole data directory instead)") from None
        raise FolderError(f"{target}: the run cannot write into this folder ({exc.strerror})") from None
    finally:
        probe.unlink(missing_ok=True)


DELIVERY_RETRY_DELAY = 30.0  # seconds, at most, before an e-mail or alert is sent again

NO_REPORT = (EXIT_STEP_FAILED, EXIT_LOCKED, EXIT_INTERRUPTED, EXIT_TERMINATED)  # runs that e-mail no report


def _alert(run: Run, exit_code: int, reasons: list[str] | None = None) -> None:
    """Tell people about a run that did not pass (or every run, CDQ_ALERT_ON=always): the webhook,
    and an e-mail when the run sent no daily report. What was done goes into the run's summary or
    failure log (a run refused by the lock has neither: the console says it). Settings that do
    not parse were reported at step configure: that channel stays silent. An alert never fails
    the run: whatever goes wrong is said, and the run ends as it would have."""
    try:
        webhook = _settings(alert.AlertSettings.from_env)
        news = bool(run.summary and run.summary["sla"]["breaches"]) or bool(run.alerted_warnings)
        webhook = webhook if webhook and webhook.wants(exit_code, news) else None
        mail = _settings(SmtpSettings.from_env) if exit_code in NO_REPORT else None
        if not webhook and not mail:
            return
        reasons = reasons or _alert_reasons(run)
        warnings = [w for w in run.summary["warnings"] if w not in reasons] if run.summary else []
        message = alert.build_alert(run.run_id, run.options.run_date.isoformat(), exit_code, reasons,
                                    _alert_details(run), warnings)
        # a stopped run is not kept waiting for retries (it holds the lock meanwhile)
        retry = exit_code not in (EXIT_INTERRUPTED, EXIT_TERMINATED)
        outcome, saved_as = {}, f"{run_files.ALERT}_{run.stamp}"
        if webhook:
            outcome["webhook"] = _deliver(run, "alert", lambda: alert.post(message, webhook.url), webhook.host,
                                          lambda: alert.save_alert(message, run.outbox_dir, saved_as), retry)
        if mail:
            email = build_alert_message(message, mail.sender, mail.recipients)
            outcome["email"] = _deliver(run, "alert_email", lambda: send(email, mail), mail.server,
                                        lambda: save_to_outbox(email, run.outbox_dir, saved_as), retry)
        if run.summary is not None:
            run.summary["alert"] = outcome
        elif run.failure is not None:
            run.failure["alert"] = outcome
            # written again: the first write (_report_failure) must be on disk before the alert's
            # retries, in case the run is killed meanwhile
            _write_log(run, run.failure, run.failure_log)
    except Exception as exc:  # noqa: BLE001 - see the docstring
        run.console.print(f"[yellow]alert not sent: {type(exc).__name__}: {exc}[/]")
    except KeyboardInterrupt:  # stopped while alerting: what was not sent is in the outbox (_deliver)
        run.console.print("[yellow]alerting stopped by a signal[/]")


def _settings(parse: Callable[[Mapping[str, str]], T]) -> T | None:
    try:
        return parse(os.environ)
    except (alert.AlertConfigError, MailConfigError):
        return None


def _deliver(run: Run, step: str, send_it: Callable[[], None], destination: str,
             save_it: Callable[[], Path], retry: bool = True) -> dict:
    """Send (with the run's retries, if `retry`); what cannot be sent is saved to the outbox, so it
    is never lost. A message waits at most DELIVERY_RETRY_DELAY to be sent again: the run holds
    the lock meanwhile, and a backfill would wait --retry-delay for every date."""
    try:
        run.step(step, send_it, retries=None if retry else 0,
                 delay=min(run.options.retry_delay, DELIVERY_RETRY_DELAY))
    except StepFailed as failure:
        path = save_it()
        run.console.print(f"[yellow]{step} not sent to {destination} ({failure.error}); saved to {path}[/]")
        return {"sent": False, "to": destination, "outbox": str(path), "reason": str(failure.error)}
    except KeyboardInterrupt:  # stopped while sending or waiting to retry: the message is kept all the same
        run.console.print(f"[yellow]{step} not sent to {destination} (stopped); saved to {save_it()}[/]")
        raise
    run.console.print(f"  {step}: sent to {destination}")
    return {"sent": True, "to": destination}


def _alert_reasons(run: Run) -> list[str]:
    """Why the alert: the failed step, or the gate's reasons and a missed service level; and the
    earlier runs found killed."""
    if run.failure is not None:
        published = " (after publishing its outputs and warehouse)" if run.published else ""
        return [f"step {run.failure['step']} failed after {run.failure['attempts']} attempt(s){published}: "
                f"{run.failure['error']}", *([run.failure["hint"]] if "hint" in run.failure else []),
                *run.alerted_warnings]
    if run.summary is not None:
        return run.summary["gate"]["reasons"] + run.summary["sla"]["breaches"] + run.alerted_warnings
    return list(run.alerted_warnings)


def _alert_details(run: Run) -> dict:
    summary = run.summary or {}
    return {"report": summary.get("reports", {}).get("report"),
            "failure_log": str(run.failure_log) if run.failure and run.failure_log.exists() else None,
            "records_processed": summary.get("records_processed"),
            "quality_score": summary.get("quality_score")}


def _build(run: Run, build_db: Path) -> DbtRun:
    dbt_vars = {"transaction_window_days": run.options.window_days} if run.options.window_days else None
    # The day and the output directory go by environment, and the warehouse through the work/.build
    # link: dbt sees what it saw the day before and parses only what changed (~3 s less a run).
    day = {"CDQ_RUN_DATE": run.options.run_date.isoformat(), "CDQ_OUTPUT_ROOT": str(run.work_dir / "outputs")}
    # Unit tests check the models' logic, not the day's data: `just test` and `dbt build` run them.
    result = run_dbt("build", run.options.data_dir, dbt_vars, warehouse=run.build_dir / build_db.name,
                     extra_args=["--exclude-resource-type", "unit_test"], environment=day)
    broken = [n for n in result.nodes if n.status == "error" or (n.resource_type == "model" and n.status == "skipped")]
    failed_tests = [n for n in result.tests() if n.status == "fail"]
    if broken and failed_tests and all(n.status == "skipped" for n in broken):
        tests = ", ".join(f"{n.name} ({n.failures or 0:,} rows)" for n in failed_tests)
        raise StoppedByFailedTest(f"error-severity dbt test(s) failed: {tests}; the models after them were skipped: "
                                  + ", ".join(n.name for n in broken))
    if broken:
        raise RuntimeError("dbt build broke: " + "; ".join(f"{n.name}: {n.status} {n.message or ''}".strip()
                                                          for n in broken[:5]))
    return result


def _judge(options: DailyOptions, dbt_run: DbtRun, facts: RunFacts, sales: SalesFacts,
           reference: dict | None) -> Gate:
    failed_tests = [n.name for n in dbt_run.tests() if n.status == "fail"]
    share = facts.counts["failing_records"] / facts.counts["raw"] if facts.counts["raw"] else 0.0
    results = {rule["rule_id"]: rule for rule in facts.rules + sales.checks}
    reasons = [_failed_test_reason(name, results) for name in failed_tests]
    # Seed 001's "file size > 1MB (data was extracted)", relative to what this source delivers: an
    # empty or truncated extract must not replace a good day's outputs. The first run has nothing
    # to compare with.
    volume = {"run_date": reference["run_date"].isoformat(), "rows_raw": reference["rows_raw"]} if reference else None
    if volume and facts.counts["raw"] < (1 - options.max_volume_drop) * volume["rows_raw"]:
        drop = 1 - facts.counts["raw"] / volume["rows_raw"]
        reasons.append(f"{facts.counts['raw']:,} raw customer rows, {drop:.1%} fewer than the "
                       f"{volume['rows_raw']:,} of the last successful run ({volume['run_date']}; at most "
                       f"{percent(options.max_volume_drop)} fewer allowed: --max-volume-drop)")
    # which rules, so the reader of an alert knows where to look without opening the report
    culprits = most_failed(facts.rules) + _id_pattern_hint(results.get(ID_FORMAT_RULE))
    score_too_low = facts.overall_score is not None and facts.overall_score < options.min_score
    if score_too_low:
        reasons.append(f"overall score {facts.overall_score:.4f} is below {options.min_score:g}{culprits}")
    too_many_failing = share > options.max_failing_share
    if too_many_failing:
        reasons.append(f"{share:.2%} of records fail at least one rule "
                       f"(more than {percent(options.max_failing_share)}){culprits}")
    sales_reasons = gate_reasons(sales, options.min_transaction_pass_rate, options.max_transaction_failing_share)

    def rule_test_failed(entity: str) -> bool:
        return any(name.startswith(f"dq_rule__{entity}__") for name in failed_tests)

    sales_rules_failed = bool(sales_reasons) or rule_test_failed("transactions")
    files = _quarantining_files(options.data_dir, sales.quarantined_by_file) if sales_rules_failed else ""
    return Gate(not reasons and not sales_reasons, reasons + sales_reasons + ([files] if files else []), share,
                failed_tests, sales_reasons, volume,
                customer_rules_failed=score_too_low or too_many_failing or rule_test_failed("customers"),
                sales_rules_failed=sales_rules_failed)


def _quarantining_files(data_dir: Path, quarantined_by_file: list[tuple[date, int]]) -> str:
    """Which raw transaction files the quarantined records (duplicates too) come from: one bad file of
    an earlier day stops every run whose load window holds it, and the test counts alone do not say
    which."""
    if not quarantined_by_file:
        return ""
    named = ", ".join(f"{data_dir / 'raw' / day.isoformat() / TRANSACTIONS_FILE} ({count:,})"
                      for day, count in quarantined_by_file[:3])
    more = f" and {len(quarantined_by_file) - 3} more" if len(quarantined_by_file) > 3 else ""
    return (f"transactions: the quarantined records are in {named}{more}; a raw file stops every run whose load "
            "window holds it until it is corrected or leaves the window")


def _failed_test_reason(test: str, results: dict[str, dict]) -> str:
    """A failed test, and for a rule's test (dq_rule__<entity>__<column>__<check>) how many records
    failed it against what the rule allows: a day stopped by 1.4% of re-sent sales must say so."""
    rule = results.get(test.removeprefix("dq_rule__").replace("__", "."))
    if rule is None or not rule["evaluated"]:
        return f"error-severity test failed: {test}"
    return (f"error-severity test failed: {test} ({rule['failed']:,} of {rule['evaluated']:,} records, "
            f"{rule['failed'] / rule['evaluated']:.2%}; the rule allows {percent(1 - rule['threshold'])})")


ID_FORMAT_RULE = "customers.customer_id.format"


def _id_pattern_hint(rule: dict | None) -> str:
    """When most ids miss the id format (`rule`'s results), the source's ids have another format than
    the one configured (the first thing a user's own file meets), not most records a defect: say
    where to set it."""
    if rule is None or not rule["evaluated"] or rule["failed"] <= rule["evaluated"] / 2:
        return ""
    return (f"; {rule['failed'] / rule['evaluated']:.0%} of customer ids do not match var customer_id_pattern "
            f"{project_vars()['customer_id_pattern']!r} of dbt_project/dbt_project.yml: if your source's ids look "
            "otherwise, set it to their format")


def _land_raw(run: Run) -> dict:
    with raw_snapshot.writing(run.work_dir):  # what a run that does not publish takes back
        return landing.land_raw(run)


def _profile_raw_files(raw_dir: Path) -> dict[str, dict | None]:
    """The run date's raw customers, and its raw transactions when a file was delivered or
    generated for the date (None when not: the window may hold other days only)."""
    transactions = raw_dir / TRANSACTIONS_FILE
    return {CUSTOMERS_FILE: profile_raw(raw_dir / CUSTOMERS_FILE),
            TRANSACTIONS_FILE: profile_raw(transactions) if transactions.exists() else None}


def _drift(previous: dict | None, profiles: dict[str, dict | None]) -> dict | None:
    """The raw files' drift since the last successful run before this date."""
    if previous is None or not previous["raw_profiles"]:  # none, or recorded before profiles were kept
        return None
    limit = max_share_change()
    return {"previous_run_date": previous["run_date"].isoformat(), "max_share_change": limit,
            "findings": drift_findings(previous["raw_profiles"], profiles, limit)}


def _report(run: Run, source: dict, profiles: dict[str, dict | None], dbt_run: DbtRun, facts: RunFacts,
            sales: SalesFacts, gate: Gate, history: warehouse.RunHistory, exit_code: int,
            paths: dict[str, Path | None]) -> dict:
    finished = datetime.now(UTC)
    options = run.options
    report = {
        "schema_version": "1.8.0",
        "run": {
            "run_id": run.run_id,
            "run_date": options.run_date.isoformat(),
            "started_at": run.started_at.isoformat(),
            "finished_at": finished.isoformat(),
            "duration_seconds": round((finished - run.started_at).total_seconds(), 3),
            "status": "success" if gate.passed else "failed_quality",
            "exit_code": exit_code,
            "versions": versions(),
            "source": source,
        },
        "counts": facts.counts,
        "scores": {"overall": facts.overall_score, "table": facts.table_score, "dimensions": facts.dimension_scores},
        "columns": facts.columns,
        "rules": facts.rules,
        # by name: dbt lists them in the order its threads finished them, which differs between runs
        "tests": [{"name": n.name, "status": n.status, "failures": n.failures, "severity": n.severity}
                  for n in sorted(dbt_run.tests(), key=lambda n: n.name)],
        "raw_profile": profiles[CUSTOMERS_FILE],
        "gate": {
            "passed": gate.passed,
            "reasons": gate.reasons,
            "min_overall_score": options.min_score,
            "max_failing_record_share": options.max_failing_share,
            "failing_record_share": round(gate.failing_share, 6),
            "failed_error_tests": gate.failed_error_tests,
            "max_volume_drop": options.max_volume_drop,
            "volume_reference": gate.volume_reference,
        },
        # what the console says of the run so far, for the e-mail's and the page's readers too; the
        # late-run, score-anomaly, drift and later-days-to-re-run findings have their own sections
        "warnings": list(run.warnings),
        "transactions": {
            "window": sales.window,
            "raw_profile": profiles[TRANSACTIONS_FILE],
            "counts": sales.counts,
            "anomalies": sales.anomalies,
            "checks": sales.checks,
            "score": sales.score,
            "kpis": sales.kpis,
            "fx_rates": sales.fx_rates,
            "revised_days": sales.revised_days,
            "stale_later_days": sales.stale_later_days.as_report() if sales.stale_later_days else None,
            # what the build put in its copy of fct_transactions; only a passing run loads it
            "load": {**sales.load, "loaded": gate.passed},
            "gate": {
                "passed": not gate.sales_reasons,
                "reasons": gate.sales_reasons,
                "passing_share": _rounded(sales.passing_share),
                "failing_share": _rounded(sales.failing_share),
                "min_pass_rate": options.min_transaction_pass_rate,
                "max_failing_share": options.max_transaction_failing_share,
            },
        },
        "steps": list(run.steps),
        "change": change_since(history.previous, facts),
        "drift": _drift(history.previous, profiles),
        "score_anomalies": score_anomalies(history.scores, facts.watched_scores, len(history.trend)),
        "sla": sla_section(options.sla, run.started_at, finished, run.logs_dir),
        "outputs": {
            "published": gate.passed,
            "directory": str(run.outputs_dir) if gate.passed else None,
            **{name: str(path) if path else None for name, path in paths.items()},
        },
    }
    validate_report(report)
    return report


def _rounded(share: float | None) -> float | None:
    return None if share is None else round(share, 6)


def _load_report(run: Run, dbt_run: DbtRun, sales: SalesFacts) -> dict:
    """Seed 001's load report: what reached fct_transactions, and that the counts agree."""
    load_nodes = [n for n in dbt_run.nodes if n.resource_type == "model" and n.name == "fct_transactions"]
    return {
        "run_id": run.run_id,
        "rows_loaded": sales.load["rows_in_table"],
        "rows_validated": sales.load["rows_validated"],
        "rows_kept": sales.load["rows_kept"],
        "verified": sales.load["verified"],
        "load_timestamp": datetime.now(UTC).isoformat(),
        "destination_table": f"{run.live_warehouse}:main.fct_transactions",
        "date_range": {"start": sales.window["start"], "end": sales.window["end"]},
        "execution_time_seconds": round(sum(n.execution_time for n in load_nodes), 3),
    }


def _notify(run: Run, report: dict, attachments: list[Path], settings: SmtpSettings | None) -> dict:
    """E-mail the report; without SMTP settings, or when sending keeps failing, the message is
    written to the outbox instead, so it is never lost."""
    message = _daily_message(report, attachments, settings, attachment_limit_mb(os.environ))

    def save() -> Path:
        return save_to_outbox(message, run.outbox_dir, report_stem(run.stamp))

    if settings is None:
        path = run.step("notify", save)
        return {"sent": False, "outbox": str(path), "reason": "no SMTP configured: CDQ_SMTP_HOST is not set"}
    outcome = _deliver(run, "notify", lambda: send(message, settings), settings.server, save)
    if not outcome["sent"]:
        run.warnings.append(f"e-mail not sent ({outcome['reason']}); saved to {outcome['outbox']}")
    return {**outcome, "recipients": list(settings.recipients)}


def _daily_message(report: dict, attachments: list[Path], settings: SmtpSettings | None,
                   limit_mb: float) -> EmailMessage:
    return build_message(report, attachments, settings.sender if settings else "customer-dq@localhost",
                         settings.recipients if settings else (), limit_mb)


def _etl_summary(report: dict, warnings: list[str], notification: dict, live_warehouse: Path) -> dict:
    """Seed 001's summary, from the run's report alone: the next run's recovery writes it for a
    run killed after publishing, from the report it published."""
    passed, transactions = report["gate"]["passed"], report["transactions"]
    return {
        "run_id": report["run"]["run_id"],
        "run_date": report["run"]["run_date"],
        "status": report["run"]["status"],
        "exit_code": report["run"]["exit_code"],
        "records_processed": {"customers": report["counts"]["raw"], "transactions": transactions["counts"]["checked"]},
        "records_loaded": {"customers": report["counts"]["cleaned"] if passed else 0,
                           "transactions": transactions["load"]["rows_in_table"] if passed else 0},
        "quality_score": {"customers": report["scores"]["overall"], "transactions": transactions["score"]},
        "gate": {"passed": passed, "reasons": report["gate"]["reasons"]},
        "warnings": warnings,
        "anomalies": {"total": transactions["counts"]["anomalies"], **transactions["anomalies"]},
        "destination": {"warehouse": str(live_warehouse), "tables": list(DESTINATION_TABLES) if passed else []},
        "reports": {key: report["outputs"][key] for key in ("report", "html", "csv", "anomalies_csv", "load_report")},
        "notification": notification,
        "sla": report["sla"],
    }


def _apply_retention(run: Run) -> None:
    """--retention-days: delete the exports and unsent messages of runs started that many days
    before this one (they hold PII; the logs, which do not, are kept)."""
    days = run.options.retention_days
    if days is None or run.summary is None:
        return
    removed = retention.remove_older_than([run.reports_dir, run.outbox_dir, run.outbox_dir / SENT], days,
                                          run.started_at)
    run.summary["retention"] = {"days": days, "removed": [str(path) for path in removed]}
    run.console.print(f"  retention: removed {len(removed):,} file(s) of runs over {days} day(s) old "
                      f"from {run.reports_dir} and {run.outbox_dir}")


def _write_etl_log(run: Run) -> bool:
    """Seed 001's pipeline summary, written after the clean-up so it can vouch for it; False if it
    could not be written."""
    if run.summary is None:
        return True
    kept = run.options.keep_temp
    run.summary["cleanup"] = {"work_directory": str(run.work_dir), "kept_on_request": kept,
                              "removed": not run.work_dir.exists()}
    path = run.logs_dir / f"{SUMMARY_LOG}_{run.stamp}.json"
    if not _write_log(run, run.summary, path):
        return False
    run.console.print(f"  summary: {path}")
    return True


def _write_log(run: Run, record: dict, path: Path) -> bool:
    """Write a run's summary or failure log; a full disk or a read-only logs folder is said on the
    console (the alert does not need the disk), not raised over the run's own outcome."""
    try:
        write_json(record, path)
    except OSError as exc:
        run.console.print(f"[red]the run's log {path} could not be written: {exc.strerror or exc}[/]")
        return False
    return True


def _publish(run: Run, built: Path | None, staged_from: warehouse.Fingerprint, facts: RunFacts, report: dict,
             exit_code: int) -> None:
    """Record the run in the runs table and make it live. For a passing run the live warehouse is
    first checked untouched since it was copied (another process's writes are never thrown
    away), then the outputs are published and the run's warehouse swapped in, each by a rename. A
    failing run records itself on a fresh copy of the live warehouse, leaving the data as it was."""
    record = warehouse.RunRecord(
        run_id=run.run_id, run_date=run.options.run_date, status=report["run"]["status"], exit_code=exit_code,
        started_at=run.started_at, finished_at=datetime.now(UTC), counts=facts.counts,
        overall_score=facts.overall_score, step_timings={s["name"]: s["seconds"] for s in run.steps},
        report_path=report["outputs"]["report"], error=None if exit_code == EXIT_OK else "; ".join(
            report["gate"]["reasons"]),
        raw_profiles={CUSTOMERS_FILE: report["raw_profile"], TRANSACTIONS_FILE: report["transactions"]["raw_profile"]})
    if built is None:  # a failed run publishes its report and nothing else: first, so the run recorded has it
        move_files(run.staged_reports, run.reports_dir)
        (run.work_dir / "record").mkdir(exist_ok=True)
        copy, staged_from = warehouse.stage_copy(run.live_warehouse, run.work_dir / "record")
        with engine.connect(str(copy)) as db:
            recorded = warehouse.record_run(db, record)
        if recorded:
            warehouse.promote(copy, run.live_warehouse, staged_from)
        return
    staged = run.work_dir / "outputs"
    with engine.connect(str(built)) as db:
        warehouse.record_run(db, record)
    warehouse.ensure_unchanged(run.live_warehouse, staged_from)
    journal = run.work_dir / PUBLICATION_JOURNAL
    try:
        publish_directory(staged, run.outputs_dir, journal, built)
        # DuckDB checks a view's files when it is created: the views move to the published files
        # once they are there (under a second from the publication to the swap).
        warehouse.repoint_published_views(built, staged, run.outputs_dir)
        warehouse.seal(built)
        warehouse.swap_in(built, run.live_warehouse)
    except BaseException:
        if journal.exists():  # the old outputs beside the old warehouse again; the step may be retried
            undo_publication(journal)
        raise
    run.published = True
    try:  # the run is live: what is left is tidying, which the next run's recovery also does
        raw_snapshot.discard(run.work_dir)  # before the journal goes: a run killed between them is finished
        move_files(run.staged_reports, run.reports_dir)
    except OSError as exc:
        run.warnings.append(f"published, but its exports are not all in {run.reports_dir} ({exc}); "
                            f"the next run moves them there from {run.work_dir}")
        run.keep_work = True  # the journal with them: the next run finishes the publication
        return
    try:
        finish_publication(journal)
    except OSError as exc:
        run.warnings.append(f"published, but the previous outputs of {run.options.run_date} were not all deleted "
                            f"({exc}); the next run deletes them")


def _failure_record(*, run_id: str, run_date: str, step: str | None, error: str, attempts: int | None,
                    started_at: str, failed_at: str | None, completed_steps: list[dict] | None,
                    work_directory: Path, kept: bool, published: bool) -> dict:
    """A failure log's content (logs/failed_<stamp>.json), for a run's own failure and for a killed
    run's, which does not know its step or attempts."""
    return {"run_id": run_id, "run_date": run_date, "step": step, "error": error, "attempts": attempts,
            "started_at": started_at, "failed_at": failed_at, "completed_steps": completed_steps,
            "partial_results": {"work_directory": str(work_directory), "kept": kept, "published": published}}


def _report_failure(run: Run, failure: StepFailed) -> None:
    path = run.failure_log
    run.failure = _failure_record(
        run_id=run.run_id, run_date=run.options.run_date.isoformat(), step=failure.step,
        error=f"{type(failure.error).__name__}: {failure.error}", attempts=failure.attempts,
        started_at=run.started_at.isoformat(), failed_at=datetime.now(UTC).isoformat(),
        completed_steps=list(run.steps), work_directory=run.work_dir, kept=run.options.keep_temp,
        published=run.published)
    run.console.print(f"[red]run failed at step {failure.step} after {failure.attempts} attempt(s): "
                      f"{failure.error}[/]")
    if hint := _setting_hint(failure.error):
        run.failure["hint"] = hint
        run.console.print(hint)
    if _write_log(run, run.failure, path):
        run.console.print(f"failure details: {path}")


def _setting_hint(error: BaseException) -> str | None:
    """The setting to change when a failure is its doing: DuckDB's own advice names SET statements,
    which reach a run only through the environment."""
    if "Out of Memory Error" not in str(error):
        return None
    variable = engine.VARIABLES["memory_limit"][0]
    limit = engine.settings().get("memory_limit", "unset: DuckDB's default")
    return (f"DuckDB ran out of its memory limit ({variable}={limit}): raise it, or lower "
            f"{engine.VARIABLES['threads'][0]} (README: Engine settings)")


def _scores_line(facts: RunFacts) -> str:
    """The overall score, then every dimension's; one no rule of which judged a record is n/a
    (the overall is the weighted mean of the others)."""
    if facts.overall_score is None:
        return "overall n/a (no records)"
    return f"overall {facts.overall_score:.4f}; " + ", ".join(
        f"{dimension} " + ("n/a (not judged)" if score is None else f"{score:.4f}")
        for dimension, score in sorted(facts.dimension_scores.items()))


def _sales_lines(sales: SalesFacts, loaded: bool) -> list[str]:
    """The window's transactions in the summary, then each earlier day the run changed."""
    sold = sales.counts
    return [
        f"  transactions {sales.window['start']}..{sales.window['end']}: {sold['checked']:,} checked -> "
        f"{sold['validated']:,} validated, {sold['quarantined'] + sold['duplicates']:,} quarantined"
        + (f" ({sold['duplicates']:,} as duplicates)" if sold["duplicates"] else "") + ", "
        f"{sold['anomalies']:,} anomalies; "
        + (f"{sales.load['rows_in_table']:,} (re)loaded into fct_transactions" if loaded
           else "not loaded, fct_transactions unchanged")
        + (f"; score {sales.score:.4f}" if sales.score is not None else ""),
        *(f"    revised {day['date']}: {day['transaction_count']['before']:,} -> {day['transaction_count']['now']:,} "
          f"transactions, ${day['total_sales_usd']['before']:,.2f} -> ${day['total_sales_usd']['now']:,.2f}"
          for day in sales.revised_days or []),
    ]


def _print_summary(run: Run, facts: RunFacts, sales: SalesFacts, gate: Gate, report: dict,
                   notification: dict) -> None:
    counts = facts.counts
    total = sum(s["seconds"] for s in run.steps)
    verdict = "[green]passed[/]" if gate.passed else "[red]FAILED[/]: " + "; ".join(gate.reasons)
    lines = [
        f"run {run.run_id}: quality gate {verdict}",
        f"  customers: {counts['raw']:,} raw -> {counts['cleaned']:,} clean, {counts['merged']:,} merged, "
        f"{counts['quarantined']:,} quarantined, {counts['repaired_values']:,} values repaired",
        f"  scores: {_scores_line(facts)}",
        *_sales_lines(sales, gate.passed),
        # the run's own time too: retry waits, and a step that failed and was handled (an e-mail saved
        # to the outbox), are in no step's
        "  steps: " + ", ".join(f"{s['name']} {s['seconds']:.1f}s" for s in run.steps)
        + f" (total {total:.1f}s; the run {(datetime.now(UTC) - run.started_at).total_seconds():.1f}s)",
        f"  report: {report['outputs']['report']} (page: {report['outputs']['html']})",
        f"  anomalies: {report['outputs']['anomalies_csv']}",
    ]
    if gate.passed:
        lines += [f"  outputs: {run.outputs_dir}", f"  csv: {report['outputs']['csv']}",
                  f"  load report: {report['outputs']['load_report']}"]
    else:
        lines += ["  outputs: not published; the last good outputs are unchanged"]
        # where the failing records are, for the rules that stopped the run (not, say, a volume drop)
        tables = (["dq_rule_failures or row_audit"] if gate.customer_rules_failed else []) + (
            ["dq_transaction_failures"] if gate.sales_rules_failed else [])
        if tables and not run.options.keep_temp:  # the rows go with the run's copy of the warehouse
            lines += [f"  failing rows: run again with --keep-temp and query {' or '.join(tables)} in the "
                      "warehouse.duckdb of the work directory it keeps"]
    lines.append(f"  e-mail: sent to {', '.join(notification['recipients'])} via {notification['to']}"
                 if notification["sent"] else f"  e-mail: not sent ({notification['reason']}); "
                                              f"written to {notification['outbox']}")
    warned = [w.removeprefix("dbt test warned: ") for w in run.warnings if w.startswith("dbt test warned: ")]
    lines += [f"  [yellow]warning: {w}[/]" for w in run.warnings if not w.startswith("dbt test warned: ")]
    if warned:  # one line for them all: a warn-severity rule below its threshold does not stop the run
        lines.append(f"  [yellow]warning: {len(warned)} dbt test(s) warned: {', '.join(warned)}[/]")
    run.console.print("\n".join(lines))
