"""Against the real crontab of the user running the tests, saved first and restored afterwards."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration import cron
from orchestration.settings_file import SettingsFileError, load_settings_file

pytestmark = pytest.mark.skipif(
    shutil.which("crontab") is None, reason="the crontab command is not installed (apt-get install cron)"
)

UNRELATED = "17 3 * * 1 /usr/local/bin/backup --quiet # someone else's job"
COMMAND = "cd /opt/cdq && .venv/bin/python -m orchestration daily"


def crontab_text() -> str | None:
    """The crontab as `crontab -l` prints it, None when there is none. Independent of the module under test."""
    result = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
    if result.returncode == 0:
        return result.stdout
    assert "no crontab for" in result.stderr, result.stderr
    return None


def set_crontab(text: str | None) -> None:
    if text is None:
        subprocess.run(["crontab", "-r"], capture_output=True, check=False)
    else:
        subprocess.run(["crontab", "-"], input=text, text=True, check=True)


@pytest.fixture(autouse=True)
def saved_crontab() -> Iterator[None]:
    """Whatever each test does, the user's crontab ends as it began; each test starts without the
    daily job, which a developer may have installed (or a test run killed before it could clean up)."""
    saved = crontab_text()
    if saved is not None:
        set_crontab("".join(line for line in saved.splitlines(keepends=True)
                            if not line.rstrip("\n").endswith(cron.MARKER)))
    try:
        yield
    finally:
        set_crontab(saved)
    assert crontab_text() == saved


@pytest.fixture
def with_unrelated() -> None:
    set_crontab(f"# a user's comment\n{UNRELATED}\n")


def managed_lines() -> list[str]:
    return [line for line in (crontab_text() or "").splitlines() if line.endswith(cron.MARKER)]


def test_install_adds_one_managed_line_and_keeps_others(with_unrelated: None, tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "daily.log"
    line = cron.install("0 6 * * *", COMMAND, log_file)

    assert line == f"0 6 * * * {COMMAND} >> {log_file} 2>&1 # customer-dq:daily"
    assert managed_lines() == [line]
    assert (crontab_text() or "").splitlines() == ["# a user's comment", UNRELATED, line]
    assert log_file.parent.is_dir()
    assert cron.installed() == line


def test_install_twice_replaces_the_managed_line(with_unrelated: None, tmp_path: Path) -> None:
    log_file = tmp_path / "daily.log"
    cron.install("0 6 * * *", COMMAND, log_file)
    second = cron.install("@daily", COMMAND, log_file)

    assert second.startswith("@daily ")
    assert managed_lines() == [second]
    assert UNRELATED in (crontab_text() or "").splitlines()


def test_remove_deletes_only_the_managed_line(with_unrelated: None, tmp_path: Path) -> None:
    cron.install("30 5 * * *", COMMAND, tmp_path / "daily.log")

    assert cron.remove() is True
    assert managed_lines() == []
    assert (crontab_text() or "").splitlines() == ["# a user's comment", UNRELATED]
    assert cron.installed() is None
    assert cron.remove() is False


@pytest.mark.parametrize("schedule", ["every day", "0 6 * *", "0 0 6 * * *", "61 * * * *", "@reboot"])
def test_invalid_schedule_raises_and_changes_nothing(with_unrelated: None, tmp_path: Path, schedule: str) -> None:
    before = crontab_text()
    with pytest.raises(ValueError, match=re.escape(repr(schedule))):
        cron.install(schedule, COMMAND, tmp_path / "daily.log")
    assert crontab_text() == before


def test_remove_with_no_crontab_returns_false() -> None:
    set_crontab(None)
    assert cron.remove() is False
    assert cron.installed() is None
    assert crontab_text() is None


def test_install_with_no_crontab_creates_one(tmp_path: Path) -> None:
    set_crontab(None)
    line = cron.install("@hourly", COMMAND, tmp_path / "my logs" / "daily.log")
    # A log path with a space is shell-quoted so cron's sh sees one word.
    assert f">> '{tmp_path}/my logs/daily.log' 2>&1" in line
    assert (crontab_text() or "").splitlines() == [line]
    assert cron.remove() is True
    assert crontab_text() is None, "no crontab before install, none after remove"


def test_percent_in_command_is_escaped_for_cron(tmp_path: Path) -> None:
    set_crontab(None)
    line = cron.install("0 6 * * *", "echo $(date +%F)", tmp_path / "daily.log")
    assert r"date +\%F" in line


def test_missing_crontab_command_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CDQ_CRONTAB", "/nonexistent/crontab")
    with pytest.raises(RuntimeError, match="apt-get install cron"):
        cron.installed()
    for command in ("cron-status", "cron-remove", "cron-install"):  # each says so in one line, exit 2
        ran = subprocess.run([sys.executable, "-m", "orchestration", command], capture_output=True, text=True,
                             timeout=60, cwd=tmp_path,  # the data directory would be ./data there
                             env={k: v for k, v in os.environ.items() if k != "CDQ_DATA_DIR"})
        assert ran.returncode == 2 and ran.stderr == (f"orchestration {command}: error: the crontab command is "
                                                      "not installed: apt-get install cron\n"), ran.stderr
    assert not any(tmp_path.iterdir()), "nothing made"


def test_the_cli_installs_a_runnable_daily_job_and_removes_it(tmp_path: Path) -> None:
    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "orchestration", *args], capture_output=True, text=True,
                              timeout=60)

    assert cli("cron-status").returncode == 1 and "no daily job in your crontab" in cli("cron-status").stdout
    installed = cli("cron-install", "--schedule", "15 4 * * *", "--data-dir", str(tmp_path))
    assert installed.returncode == 0, installed.stderr
    (line,) = managed_lines()
    assert line.startswith("15 4 * * * cd ") and "-m orchestration daily" in line
    status = cli("cron-status")
    assert f"installed: {line}\nnext run: " in status.stdout and " 04:15 (local time)" in status.stdout
    assert status.returncode == (0 if cron.daemon_running() else 1), status.stdout
    assert f"CDQ_DATA_DIR={tmp_path}" in line and str(tmp_path / "logs" / "cron.log") in line
    assert cli("cron-install", "--schedule", "whenever").returncode == 2
    assert managed_lines() == [line], "a rejected schedule changes nothing"
    with_options = cli("cron-install", "--data-dir", str(tmp_path), "--", "--deadline", "07:00", "--rows", "5000")
    assert with_options.returncode == 0, with_options.stderr
    (line,) = managed_lines()
    assert line.startswith("@daily ") and "-m orchestration daily --deadline 07:00 --rows 5000 >>" in line, line
    wrong = cli("cron-install", "--data-dir", str(tmp_path), "--", "--deadline", "7 am")
    assert wrong.returncode == 2 and "not a time of day as HH:MM" in wrong.stderr
    assert cli("cron-install", "--", "2026-01-01").returncode == 2
    no_dashes = cli("cron-install", "--data-dir", str(tmp_path), "--rows", "5000")
    assert no_dashes.returncode == 2 and "daily's options for the job go after --" in no_dashes.stderr
    assert managed_lines() == [line], "rejected options change nothing"
    assert cli("cron-remove").returncode == 0
    assert managed_lines() == []


def test_the_engine_settings_set_when_installing_go_with_the_job(tmp_path: Path) -> None:
    env = {**os.environ, "CDQ_DUCKDB_MEMORY_LIMIT": "6GB", "CDQ_DBT_THREADS": "2", "CDQ_SMTP_PASSWORD": "s3cret"}
    installed = subprocess.run([sys.executable, "-m", "orchestration", "cron-install", "--data-dir", str(tmp_path)],
                               capture_output=True, text=True, timeout=60, env=env)
    assert installed.returncode == 0, installed.stderr
    try:
        (line,) = managed_lines()
        assert "CDQ_DUCKDB_MEMORY_LIMIT=6GB" in line and "CDQ_DBT_THREADS=2" in line
        assert "s3cret" not in line, "no secret in the crontab"
    finally:
        subprocess.run([sys.executable, "-m", "orchestration", "cron-remove"], capture_output=True, timeout=60)


@pytest.mark.slow
def test_a_scheduled_run_reads_its_secrets_from_the_settings_file(tmp_path: Path, webhook_server) -> None:
    # The crontab line as installed, run as cron runs it (an almost empty environment): the alert
    # webhook's URL reaches the run from the settings file, never from the crontab.
    received, url = webhook_server
    settings = tmp_path / "env"
    settings.write_text(f"# secrets of the daily job\nexport CDQ_ALERT_WEBHOOK_URL='{url}'\nCDQ_ALERT_ON=always\n")
    settings.chmod(0o600)
    env = {**os.environ, "CDQ_ENV_FILE": "env"}  # relative: the job runs elsewhere, so it is made absolute
    installed = subprocess.run([sys.executable, "-m", "orchestration", "cron-install", "--data-dir",
                                str(tmp_path / "data")], capture_output=True, text=True, timeout=60, env=env,
                               cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    assert f"reads them from {settings} (found)" in installed.stdout
    (line,) = managed_lines()
    assert url not in line and f"CDQ_ENV_FILE={settings}" in line
    job = cron.job_of(line)
    assert job.startswith("cd ") and f"CDQ_DATA_DIR={tmp_path / 'data'}" in job, "the whole command, schedule cut"
    ran = subprocess.run(["env", "-i", f"HOME={tmp_path}", "PATH=/usr/bin:/bin", "sh", "-c", job], timeout=600,
                         check=False)
    log = (tmp_path / "data" / "logs" / "cron.log").read_text()
    assert ran.returncode == 0, log
    assert list((tmp_path / "data" / "logs").glob("etl_*.json")), "the run was the data directory's"
    (post,) = received.posts
    assert post["body"]["text"].startswith("Customer DQ ") and "run passed (exit 0)" in post["body"]["text"]


def test_a_job_over_its_time_limit_is_stopped_cleanly_and_logged(tmp_path: Path) -> None:
    # --max-minutes 0.05: 3 s, well inside the first dbt build; the installed line run as cron runs it
    installed = subprocess.run([sys.executable, "-m", "orchestration", "cron-install", "--max-minutes", "0.05",
                                "--data-dir", str(tmp_path / "data"), "--", "--rows", "300", "--transactions", "500"],
                               capture_output=True, text=True, timeout=60)
    assert installed.returncode == 0, installed.stderr
    try:
        (line,) = managed_lines()
        assert "timeout --kill-after=300 3 " in line
        ran = subprocess.run(["env", "-i", f"HOME={tmp_path}", "PATH=/usr/bin:/bin", "sh", "-c", cron.job_of(line)],
                             timeout=600, check=False)
    finally:
        subprocess.run([sys.executable, "-m", "orchestration", "cron-remove"], capture_output=True, timeout=60)
    assert ran.returncode == 124, "timeout's own code: the limit stopped it"
    (log,) = (tmp_path / "data" / "logs").glob("failed_*.json")
    failure = json.loads(log.read_text())
    assert "interrupted (SIGTERM)" in failure["error"], failure
    assert not any((tmp_path / "data" / "work").iterdir()), "stopped cleanly: its temporary files are gone"


def test_a_settings_file_others_can_read_is_refused_logged_and_alerted(tmp_path: Path, webhook_server) -> None:
    # The job's data directory is known (cron's line sets it): the refusal is a failed run there, logged
    # and alerted with the environment's settings (never the refused file's), so the on-call hears of it.
    received, url = webhook_server
    settings = tmp_path / "env"
    settings.write_text("CDQ_SMTP_PASSWORD=s3cret\n")
    settings.chmod(0o644)
    env = {**os.environ, "CDQ_ENV_FILE": str(settings), "CDQ_ALERT_WEBHOOK_URL": url}
    said = f"{settings} holds secrets but others can read it (mode 644): chmod 600 {settings}"
    ran = subprocess.run([sys.executable, "-m", "orchestration", "daily", "--data-dir", str(tmp_path / "data")],
                         capture_output=True, text=True, timeout=60, env=env)
    assert ran.returncode == 2 and said in ran.stdout
    (log,) = (tmp_path / "data" / "logs").glob("failed_*.json")
    failure = json.loads(log.read_text())
    assert failure["step"] == "configure" and failure["attempts"] == 1 and said in failure["error"]
    (post,) = received.posts
    assert "step configure failed" in post["body"]["text"] and said in post["body"]["text"]
    assert not (tmp_path / "data" / "raw").exists(), "nothing was done"
    # no data directory given: none is guessed (./data could be anyone's), the error is only said
    env.pop("CDQ_DATA_DIR", None)
    ran = subprocess.run([sys.executable, "-m", "orchestration", "daily"], capture_output=True, text=True,
                         timeout=60, env=env, cwd=tmp_path / "data")
    assert ran.returncode == 2 and said in ran.stderr and not (tmp_path / "data" / "data").exists()


def test_the_environment_wins_over_the_settings_file(tmp_path: Path) -> None:
    settings = tmp_path / "env"
    settings.write_text('CDQ_MAIL_TO="team@example.com"  # the team\nCDQ_SMTP_HOST=smtp.example.com\n')
    settings.chmod(0o600)
    env = {"CDQ_ENV_FILE": str(settings), "CDQ_MAIL_TO": "me@example.com"}
    assert load_settings_file(env) == settings
    assert env["CDQ_MAIL_TO"] == "me@example.com" and env["CDQ_SMTP_HOST"] == "smtp.example.com"
    with pytest.raises(SettingsFileError, match="CDQ_ENV_FILE names .*/missing, which does not exist"):
        load_settings_file({"CDQ_ENV_FILE": str(tmp_path / "missing")})


def test_a_settings_file_line_that_sets_nothing_is_named(tmp_path: Path) -> None:
    settings = tmp_path / "env"
    settings.write_text("# mail\nCDQ_SMTP_HOST smtp.example.com\nCDQ_SMTP_USER=robot\nCDQ_MAIL_TO\nCDQ_MAIL_FROM=\n")
    settings.chmod(0o600)
    with pytest.raises(SettingsFileError, match=r"/env: line\(s\) 2, 4 are not NAME=VALUE settings"):
        load_settings_file({"CDQ_ENV_FILE": str(settings)})


def test_a_wrong_engine_setting_is_not_installed(tmp_path: Path) -> None:
    env = {**os.environ, "CDQ_DUCKDB_THREADS": "zero"}
    refused = subprocess.run([sys.executable, "-m", "orchestration", "cron-install", "--data-dir", str(tmp_path)],
                             capture_output=True, text=True, timeout=60, env=env)
    assert refused.returncode == 2 and "CDQ_DUCKDB_THREADS='zero': DuckDB refused it" in refused.stderr
    assert managed_lines() == []


def test_a_running_cron_daemon_is_found_by_its_name(tmp_path: Path) -> None:
    proc = tmp_path / "proc"
    for pid, name in ((1, "init"), (42, "bash")):
        (proc / str(pid)).mkdir(parents=True)
        (proc / str(pid) / "comm").write_text(f"{name}\n")
    assert not cron.daemon_running(proc)
    (proc / "977").mkdir()
    (proc / "977" / "comm").write_text("crond\n")
    assert cron.daemon_running(proc)


def test_the_job_log_is_rotated_once_it_outgrows_its_limit(tmp_path: Path) -> None:
    log = tmp_path / cron.LOG_NAME
    log.write_bytes(b"x" * cron.LOG_KEPT_BYTES)
    cron.rotate_log(tmp_path)
    assert log.exists(), "at the limit: kept"
    with log.open("ab") as job_output:  # the running job's shell holds it open for appending
        job_output.write(b"y")
        job_output.flush()
        cron.rotate_log(tmp_path)
        job_output.write(b"z")
    assert not log.exists() and (tmp_path / f"{cron.LOG_NAME}.1").read_bytes().endswith(b"yz")


@pytest.mark.parametrize("schedule", ["@daily", "0 6 * * 1-5"])
def test_a_crontab_line_gives_back_its_command(schedule: str) -> None:
    line = cron.entry_line(schedule, "cd /repo && python -m orchestration daily", Path("/d/logs/cron.log"))
    assert cron.job_of(line) == "cd /repo && python -m orchestration daily >> /d/logs/cron.log 2>&1"
