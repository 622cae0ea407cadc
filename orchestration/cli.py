"""python -m orchestration {daily,backfill,send-outbox,cron-install,cron-remove,cron-status} ..."""

from __future__ import annotations

import argparse
import math
import os
import shlex
import sys
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from orchestration.daily import EXIT_INTERRUPTED, EXIT_LOCKED, EXIT_TERMINATED, DailyOptions, run_daily
from orchestration.engine import ENGINE_VARIABLES, EngineSettingsError, check_settings
from orchestration.settings_file import SettingsFileError, load_settings_file, settings_path
from orchestration.sla import Sla
from seeds_gen.cli import (
    DATA_DIR_ENV,
    OneLineParser,
    absolute,
    default_data_dir,
    defect_rate,
    non_negative_int,
    positive_int,
    run_date,
    seed,
    sql_safe_dir,
)

REPO_ROOT = Path(__file__).resolve().parent.parent


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
    if value < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {value:g}")
    return value


def _share(text: str) -> float:
    value = _non_negative(text)
    if value > 1:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, got {value:g}")
    return value


def _positive_minutes(text: str) -> float:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be more than 0 minutes")
    return value


def _clock_time(text: str) -> time:
    try:
        return datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time of day as HH:MM (24-hour): {text!r}") from None


MAX_WINDOW_DAYS = 3_660  # ten years: the load window is reloaded whole every run


def _window_days(text: str) -> int:
    days = positive_int(text)
    if days > MAX_WINDOW_DAYS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_WINDOW_DAYS} (ten years), got {days}")
    return days


def _existing_file(text: str) -> Path:
    path = absolute(text)
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{path} is a directory; give the file")
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {path}")
    return path


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rows", type=positive_int, default=3_500, help="generated rows (default 3500)")
    parser.add_argument("--seed", type=seed, default=42, help="generator seed (default 42)")
    parser.add_argument("--defect-rate", type=defect_rate, default=0.08, help="generated defect rate (default 0.08)")
    parser.add_argument("--data-dir", type=sql_safe_dir, default=None,
                        help=f"data directory (default ${DATA_DIR_ENV} or ./data)")
    parser.add_argument("--no-generate", action="store_true",
                        help="never generate: process the raw files delivered to raw/<date>/; a date without a "
                             "customers file fails, naming it, after --retries waits for a late delivery")
    parser.add_argument("--keep-temp", action="store_true", help="keep the run's temporary files (they hold PII)")
    parser.add_argument("--retention-days", type=positive_int, default=None, metavar="DAYS",
                        help="after a run that passes, delete the reports/ and outbox/ files of runs started over "
                             "DAYS days before it (the CSV exports and e-mails hold PII; default: keep them all)")
    parser.add_argument("--retries", type=non_negative_int, default=1, help="retries of a failed step (default 1)")
    parser.add_argument("--retry-delay", type=_non_negative, default=300.0, metavar="SECONDS",
                        help="wait before retrying a step (default 300)")
    parser.add_argument("--min-score", type=_share, default=0.95, help="gate: lowest overall score (default 0.95)")
    parser.add_argument("--max-failing-share", type=_share, default=0.10,
                        help="gate: highest share of records failing a rule (default 0.10)")
    parser.add_argument("--max-volume-drop", type=_share, default=0.5,
                        help="gate: largest drop in raw customer rows against the last successful run "
                             "(default 0.5; 1 turns it off)")
    parser.add_argument("--sla-minutes", type=_positive_minutes, default=None, metavar="MINUTES",
                        help="SLA: a run taking longer to be ready to publish is warned and alerted about "
                             "(default: no limit)")
    parser.add_argument("--deadline", type=_clock_time, default=None, metavar="HH:MM",
                        help="SLA: a run not ready to publish by then (local time; the first such time after it "
                             "starts, or one that passed less than 6 hours before) is warned and alerted about "
                             "(default: none)")
    sales = parser.add_argument_group("transactions")
    sales.add_argument("--transactions", type=positive_int, default=20_000,
                       help="generated transactions per day (default 20000)")
    sales.add_argument("--products", type=positive_int, default=1_000, help="generated products (default 1000)")
    sales.add_argument("--stores", type=positive_int, default=20, help="generated stores (default 20)")
    sales.add_argument("--transaction-defect-rate", type=defect_rate, default=0.03,
                       help="generated transaction defect rate (default 0.03)")
    sales.add_argument("--window-days", type=_window_days, default=None,
                       help="days loaded, up to the run date (default: var transaction_window_days, 7)")
    sales.add_argument("--min-transaction-pass-rate", type=_share, default=0.95,
                       help="gate: lowest share of transactions passing all checks (default 0.95)")
    sales.add_argument("--max-transaction-failing-share", type=_share, default=0.10,
                       help="gate: highest share of transactions quarantined (default 0.10)")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="orchestration", description="The Customer DQ daily runner.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    daily = commands.add_parser("daily", help="run the daily job for one run date")
    daily.add_argument("date", nargs="?", type=run_date, metavar="RUN_DATE", help="YYYY-MM-DD (default today)")
    daily.add_argument("--run-date", type=run_date, default=None, help="YYYY-MM-DD (default today)")
    daily.add_argument("--input", type=_existing_file, default=None,
                       help="your own raw customers file (Parquet or CSV) instead of generated data")
    _add_run_options(daily)

    backfill = commands.add_parser("backfill", help="run the daily job for every date from START to END, in order")
    backfill.add_argument("start", type=run_date, metavar="START")
    backfill.add_argument("end", type=run_date, metavar="END")
    _add_run_options(backfill)

    outbox = commands.add_parser("send-outbox", help="send the e-mails and alerts runs left in outbox/, "
                                                     "now that SMTP or the webhook works again")
    outbox.add_argument("--data-dir", type=sql_safe_dir, default=None,
                        help=f"data directory (default ${DATA_DIR_ENV} or ./data)")

    install = commands.add_parser("cron-install", help="add the daily job to your crontab")
    install.add_argument("--schedule", default="@daily", help="cron schedule (default @daily)")
    install.add_argument("--data-dir", type=sql_safe_dir, default=None,
                         help=f"the job's data directory (default ${DATA_DIR_ENV} or ./data, made absolute)")
    install.add_argument("--max-minutes", type=_positive_minutes, default=None, metavar="MINUTES",
                         help="stop a job still running after this long (SIGTERM: it stops cleanly, logs and "
                              "alerts; SIGKILL 5 minutes later), instead of holding the lock until the next")
    install.add_argument("daily_options", nargs=argparse.REMAINDER, metavar="-- OPTIONS",
                         help="options of `daily` for the job, after --: e.g. -- --deadline 07:00 --rows 10000")
    commands.add_parser("cron-remove", help="remove the daily job from your crontab")
    commands.add_parser("cron-status", help="show the daily job in your crontab, its next run and the cron daemon")
    return parser


def _data_dir(args: argparse.Namespace) -> Path:
    """--data-dir, else $CDQ_DATA_DIR, else ./data: absolute either way (sql_safe_dir, default_data_dir)."""
    return args.data_dir or default_data_dir()


def _data_dir_given(args: argparse.Namespace) -> bool:
    """--data-dir or $CDQ_DATA_DIR (cron's line sets it): a data directory not guessed."""
    return bool(args.data_dir or os.environ.get(DATA_DIR_ENV))


def _options(args: argparse.Namespace, the_date: date) -> DailyOptions:
    return DailyOptions(
        data_dir=_data_dir(args), run_date=the_date, rows=args.rows,
        seed=args.seed, defect_rate=args.defect_rate, input=getattr(args, "input", None),
        keep_temp=args.keep_temp, retention_days=args.retention_days, retries=args.retries,
        retry_delay=args.retry_delay, min_score=args.min_score, max_failing_share=args.max_failing_share,
        max_volume_drop=args.max_volume_drop, transactions=args.transactions,
        products=args.products, stores=args.stores, transaction_defect_rate=args.transaction_defect_rate,
        window_days=args.window_days, min_transaction_pass_rate=args.min_transaction_pass_rate,
        max_transaction_failing_share=args.max_transaction_failing_share,
        sla=Sla(max_minutes=args.sla_minutes, deadline=args.deadline), generate=not args.no_generate)


def _backfill(args: argparse.Namespace) -> int:
    if args.end < args.start:
        print(f"orchestration backfill: error: END {args.end} is before START {args.start}", file=sys.stderr)
        return 2
    results: dict[date, int] = {}
    day = args.start
    while day <= args.end:
        results[day] = run_daily(_options(args, day))
        if results[day] in (EXIT_INTERRUPTED, EXIT_TERMINATED):  # Ctrl-C or SIGTERM stops the backfill
            print(f"backfill {args.start}..{args.end}: interrupted at {day}", file=sys.stderr)
            return results[day]
        if results[day] == EXIT_LOCKED:  # the later dates must not run with this one skipped
            print(f"backfill {args.start}..{args.end}: stopped at {day}, another run holds the lock", file=sys.stderr)
            return results[day]
        day += timedelta(days=1)
    failed = {d: code for d, code in results.items() if code}
    print(f"backfill {args.start}..{args.end}: {len(results) - len(failed)} of {len(results)} dates succeeded"
          + (f"; failed: {', '.join(f'{d} (exit {c})' for d, c in failed.items())}" if failed else ""))
    return max(results.values(), default=0)


def _cron_install(args: argparse.Namespace) -> int:
    from orchestration import cron

    data_dir = _data_dir(args)
    try:
        check_settings()  # a wrong one would fail the job every night, seen only in cron.log
    except EngineSettingsError as exc:
        print(f"orchestration cron-install: error: {exc}", file=sys.stderr)
        return 2
    # The engine settings set when installing go with the job (cron starts it with an almost empty
    # environment); SMTP and alert settings do not: a secret has no place in a crontab. The job
    # reads them from the settings file (orchestration/settings_file.py), which the line names.
    settings = "".join(f"{name}={shlex.quote(os.environ[name])} " for name in ENGINE_VARIABLES if os.environ.get(name))
    if os.environ.get("CDQ_ENV_FILE"):  # absolute: the job runs from the repository, not from here
        settings += f"CDQ_ENV_FILE={shlex.quote(str(settings_path().absolute()))} "
    daily_options = _job_options(args.daily_options)
    # coreutils' timeout sends SIGTERM, which the runner takes as a stop: failure log, alert, exit 143
    limit = f"timeout --kill-after=300 {math.ceil(args.max_minutes * 60)} " if args.max_minutes else ""
    command = (f"cd {shlex.quote(str(REPO_ROOT))} && {DATA_DIR_ENV}={shlex.quote(str(data_dir))} {settings}"
               f"{limit}{shlex.quote(sys.executable)} -m orchestration daily{daily_options}")
    try:
        line = cron.install(args.schedule, command, data_dir / "logs" / cron.LOG_NAME)
    except ValueError as exc:
        print(f"orchestration cron-install: error: {exc}", file=sys.stderr)
        return 2
    print(f"installed in your crontab:\n  {line}")
    if not cron.daemon_running():
        print("warning: no cron daemon is running here, so the job will not run until one is started "
              "(e.g. `service cron start`)", file=sys.stderr)
    secrets = settings_path().absolute()
    print(f"SMTP and alert settings (CDQ_SMTP_*, CDQ_MAIL_*, CDQ_ALERT_*): the job reads them from {secrets}"
          + (" (found)" if secrets.exists() else " (not there yet: KEY=VALUE lines, chmod 600)"))
    return 0


def _job_options(given: list[str]) -> str:
    """The daily options for the cron job, checked now as `daily` will parse them (a wrong one
    exits here, as argparse does, rather than failing the job every night); quoted for the line."""
    parser = build_parser()
    if given and given[0] != "--":
        parser.error(f"cron-install: unexpected {given[0]!r} ({CRON_OPTIONS_HINT})")
    options = given[1:]
    parsed = parser.parse_args(["daily", *options])
    if parsed.date or parsed.run_date or parsed.input or parsed.data_dir:
        parser.error("cron-install: the job runs for the day it starts, on its own raw data and the "
                             "--data-dir given to cron-install: no date, --run-date, --input or --data-dir after --")
    return "".join(f" {shlex.quote(option)}" for option in options)


def _cron_remove() -> int:
    from orchestration import cron

    removed = cron.remove()
    print("removed the daily job from your crontab" if removed else "no daily job was in your crontab")
    return 0


def _send_outbox(args: argparse.Namespace) -> int:
    """Exit 0 when the outbox is empty afterwards, 1 when something is left, 2 on wrong settings,
    3 while a run holds the data directory's lock."""
    from rich.console import Console

    from orchestration.alert import AlertConfigError, AlertSettings
    from orchestration.lock import LockHeld, RunLock
    from orchestration.notify import MailConfigError, SmtpSettings
    from orchestration.outbox import send_outbox

    try:
        smtp, webhook = SmtpSettings.from_env(os.environ), AlertSettings.from_env(os.environ)
    except (MailConfigError, AlertConfigError) as exc:
        print(f"orchestration send-outbox: error: {exc}", file=sys.stderr)
        return 2
    data_dir = _data_dir(args)
    outbox = data_dir / "outbox"
    try:
        with RunLock(data_dir / ".run.lock", run_date="none (send-outbox)"):
            delivery = send_outbox(outbox, smtp, webhook, Console(highlight=False, soft_wrap=True))
    except LockHeld as exc:
        print(f"orchestration send-outbox: refusing to start: {exc}", file=sys.stderr)
        return EXIT_LOCKED
    unset = [name for name, setting in (("CDQ_SMTP_HOST", smtp), ("CDQ_ALERT_WEBHOOK_URL", webhook)) if not setting]
    print(f"sent {len(delivery.sent)} message(s) into {outbox / 'sent'}; {len(delivery.left)} left in {outbox}"
          + (f" (not set: {', '.join(unset)})" if unset and delivery.left else ""))
    return 1 if delivery.left else 0


def _cron_status() -> int:
    """Exit 0 when the job is installed and a cron daemon runs it, else 1 (and say why)."""
    from orchestration import cron

    line = cron.installed()
    if line is None:
        print("no daily job in your crontab: `just cron-install` adds it")
        return 1
    print(f"installed: {line}\nnext run: {cron.next_run(line, datetime.now()):%Y-%m-%d %H:%M} (local time)")
    if not cron.daemon_running():
        print("cron daemon: not running, so the job does not run (e.g. `service cron start`)")
        return 1
    print("cron daemon: running")
    return 0


CRON_OPTIONS_HINT = "daily's options for the job go after --, e.g. cron-install -- --rows 10000 --deadline 07:00"


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        hint = f" ({CRON_OPTIONS_HINT})" if args.command == "cron-install" else ""
        parser.error(f"unrecognized arguments: {' '.join(unknown)}{hint}")
    if args.command == "daily" and args.run_date and args.date and args.run_date != args.date:
        print(f"orchestration daily: error: two run dates given: {args.date} and --run-date {args.run_date}",
              file=sys.stderr)
        return 2
    if args.command in ("daily", "backfill", "send-outbox"):
        try:
            load_settings_file()
            if not args.data_dir:  # given by $CDQ_DATA_DIR (e.g. from the settings file, or cron's line)
                sql_safe_dir(str(default_data_dir()))
        except (SettingsFileError, argparse.ArgumentTypeError) as exc:
            if isinstance(exc, SettingsFileError) and args.command == "daily" and _data_dir_given(args):
                # a job that cannot start must still be logged and alerted (from the environment's
                # settings): the run fails at step configure, in the data directory it was given
                return run_daily(replace(_options(args, args.run_date or args.date or date.today()),
                                         settings_error=str(exc)))
            print(f"orchestration {args.command}: error: {exc}", file=sys.stderr)
            return 2
    if args.command == "daily":
        return run_daily(_options(args, args.run_date or args.date or date.today()))
    if args.command == "send-outbox":
        return _send_outbox(args)
    if args.command == "backfill":
        return _backfill(args)
    try:
        if args.command == "cron-install":
            return _cron_install(args)
        if args.command == "cron-status":
            return _cron_status()
        return _cron_remove()
    except RuntimeError as exc:  # the crontab command is missing or failed (orchestration/cron.py)
        print(f"orchestration {args.command}: error: {exc}", file=sys.stderr)
        return 2
