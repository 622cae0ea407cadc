from __future__ import annotations

import email
import http.server
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from seeds_gen.generator import GenerateRequest, generate_customers

RUN_DATE = date(2026, 11, 23)


@pytest.fixture(autouse=True, scope="session")
def _one_parse_cache_for_the_suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The runner caches dbt's parse for new data directories under $XDG_CACHE_HOME
    (orchestration/dbt.py): the suite's workers share one, not the developer's."""
    shared = tmp_path_factory.getbasetemp().parent / "cache"  # with xdist, each worker's base is a child
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(shared))
        yield


@pytest.fixture(autouse=True)
def _no_run_date_from_the_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """A CDQ_RUN_DATE or CDQ_OUTPUT_ROOT exported in the developer's shell would redirect every
    dbt build that relies on the latest generated date (README "dbt")."""
    monkeypatch.delenv("CDQ_RUN_DATE", raising=False)
    monkeypatch.delenv("CDQ_OUTPUT_ROOT", raising=False)


JUST = [str(Path(sys.executable).with_name("just")), "--justfile", str(Path(__file__).parent.parent / "justfile")]


def with_venv_on_path(env: dict[str, str]) -> dict[str, str]:
    """`env` with this interpreter's folder first on PATH: the justfile's recipes call `python`."""
    return {**env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"}


def generate(out: Path, rows: int, run_date: date = RUN_DATE, seed: int = 42, **kwargs) -> Path:
    """Generate into `out` and return the run date's raw directory."""
    request = GenerateRequest(out, run_date, rows=rows, seed=seed, **kwargs)
    generate_customers(request)
    return request.raw_dir


@pytest.fixture(scope="session")
def raw_20k(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("raw20k"), 20_000)


def generator_cli(entity: str, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m seeds_gen <entity> <args>` as a user runs it."""
    return subprocess.run([sys.executable, "-m", "seeds_gen", entity, *args],
                          capture_output=True, text=True, timeout=120)


# --- real servers on loopback: SMTP (aiosmtpd) and an HTTP webhook ----------------------------

class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.password == b"s3cret"
        if ok:
            self.logins.append((auth_data.login.decode(), mechanism))
        return AuthResult(success=ok)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=inbox.authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


class Webhook:
    """What a webhook receiver got: each POST's JSON body; it answers with `status`."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.status = 200


@pytest.fixture
def webhook_server():
    received = Webhook()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's hook name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.posts.append({"path": self.path, "content_type": self.headers["Content-Type"],
                                   "body": json.loads(body)})
            self.send_response(received.status)
            self.end_headers()

        def log_message(self, *args) -> None:  # keep the test output quiet
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received, f"http://127.0.0.1:{server.server_address[1]}/hooks/T000/secret-token"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def run_lock_held(data_dir: Path, run_date: str) -> Iterator[int]:
    """Another process holding the data directory's run lock (for `run_date`) for the block; yields
    its pid."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from orchestration.lock import RunLock\n"
        f"with RunLock(Path({str(data_dir)!r}) / '.run.lock', run_date={run_date!r}):\n"
        "    print('held', flush=True); time.sleep(60)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        yield holder.pid
    finally:
        holder.kill()
        holder.wait()


@contextmanager
def database_held_open(database: Path) -> Iterator[subprocess.Popen]:
    """Another process with the DuckDB file `database` open for writing, for the block."""
    holder = subprocess.Popen([sys.executable, "-c", (
        "import duckdb, sys, time; db = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(300)"),
        str(database)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        yield holder
    finally:
        holder.kill()
        holder.wait()
