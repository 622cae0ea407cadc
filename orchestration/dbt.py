"""Run dbt in-process (dbt's programmatic API) and read what it did from run_results.json."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from orchestration import engine
from orchestration.warehouse import live_path
from seeds_gen.files import staged

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT_DIR = REPO_ROOT / "dbt_project"
PARSE_STATE = "partial_parse.msgpack"  # dbt's saved parse, in its target folder
# Parses cached (~1.5 MB each): a key per checkout, vars and settings, so clones and ad hoc vars
# would add files for ever; the least recently used beyond these are removed.
PARSE_CACHE_KEPT = 16


class DbtError(Exception):
    """dbt could not run (bad project, missing raw file, broken contract), as opposed to tests failing."""


class RawContractError(DbtError):
    """A raw file is there but breaks its contract (a required column missing, or stored twice): a
    retry would read the same file."""


# macros/raw_file_columns.sql's messages for such a file
RAW_CONTRACT_BROKEN = re.compile(r"raw file .+ (is missing required column\(s\)"
                                 r"|has contract column\(s\) .+ more than once)")


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    resource_type: str
    name: str
    status: str  # success, error, pass, warn, fail, skipped
    failures: int | None
    message: str | None
    execution_time: float
    severity: str | None


@dataclass(frozen=True)
class DbtRun:
    success: bool
    elapsed: float
    nodes: list[NodeResult]

    def tests(self) -> list[NodeResult]:
        return [n for n in self.nodes if n.resource_type in ("test", "unit_test")]

    def problems(self) -> list[NodeResult]:
        """Nodes that errored, failed or warned."""
        return [n for n in self.nodes if n.status in ("error", "fail", "warn")]


def silence_console() -> None:
    """Stop dbt printing to the console for the rest of its current command (its log file keeps
    everything): a run being stopped (Ctrl-C, SIGTERM) says so in one line, and dbt's "Encountered
    an error" with the interrupt's 40-line traceback would bury it. Each command sets its console
    up afresh, so the next one prints again."""
    client = sys.modules.get("dbt_common.events.event_manager_client")
    if client is None:  # dbt not imported yet: nothing of it to silence
        return
    for logger in client.get_event_manager().loggers:
        if logger.name == "stdout_log":  # dbt's console logger (dbt_common.events.functions)
            logger.filter = lambda _message: False


def run_dbt(command: str, data_dir: Path, dbt_vars: dict[str, str] | None = None,
            warehouse: Path | None = None, extra_args: list[str] | None = None,
            environment: dict[str, str] | None = None) -> DbtRun:
    """Run `dbt <command>` on the project for `data_dir`, with `environment` set for dbt's
    env_var(); artifacts go under data_dir/dbt."""
    from dbt.cli.main import dbtRunner  # imported late: dbt is slow to import

    # dbt imports the profile's plugin by name once it runs in the data directory, where a relative
    # entry of sys.path ('' under `python -c`) no longer finds this package
    import orchestration.duckdb_plugin  # noqa: F401

    data_dir = data_dir.absolute()
    data_dir.mkdir(parents=True, exist_ok=True)  # dbt runs in it
    target_path = data_dir / "dbt" / "target"
    args = [*command.split(), "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(REPO_ROOT),
            "--target-path", str(target_path), "--log-path", str(data_dir / "dbt" / "logs"), "--quiet"]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars)]
    if not sys.stdout.isatty():  # cron.log and pipes get text, not colour codes
        args.append("--no-use-colors")
    if not (environment or {}).get("DBT_LOG_LEVEL_FILE", os.environ.get("DBT_LOG_LEVEL_FILE")):
        # dbt's file log at debug level writes every statement of every node: ~1 s of a small
        # day's build (~7%). Node starts, results and errors are info.
        args += ["--log-level-file", "info"]
    args += extra_args or []
    environment = {**(environment or {}), "CDQ_DATA_DIR": str(data_dir)}
    spill = environment.get("CDQ_DUCKDB_TEMP_DIRECTORY") or os.environ.get("CDQ_DUCKDB_TEMP_DIRECTORY")
    environment.update(_profile_paths(data_dir, warehouse or live_path(data_dir), spill))
    settings = {name: environment.get(name, os.environ.get(name)) for name in engine.ENGINE_VARIABLES}
    cache = _parse_cache(dbt_vars, settings)
    _seed_parse_state(target_path, cache)
    with engine.environment(environment), contextlib.chdir(data_dir):
        try:
            result = dbtRunner().invoke(args)
        finally:
            _release_database()
    _keep_parse_state(target_path, cache)
    if isinstance(result.exception, KeyboardInterrupt):
        raise KeyboardInterrupt  # dbt stopped on Ctrl-C: so does the caller, not a failure to retry
    results_file = target_path / "run_results.json"
    if result.exception is not None or (not result.success and not results_file.exists()):
        message = _one_line(result.exception) or f"dbt {command} failed before running any node"
        raise (RawContractError if RAW_CONTRACT_BROKEN.search(message) else DbtError)(message)
    if not results_file.exists():
        return DbtRun(success=bool(result.success), elapsed=0.0, nodes=[])
    return _read_run_results(results_file, bool(result.success))


def _profile_paths(data_dir: Path, warehouse: Path, spill: str | None) -> dict[str, str]:
    """The warehouse and DuckDB's spill folder as profiles.yml reads them, relative to the data
    directory dbt runs in. dbt keys its saved parse (partial_parse.msgpack) on the rendered
    profile: with these paths the same for every data directory, a new one can start from the
    parse of another (_seed_parse_state) instead of parsing the whole project (~3 s)."""
    spill_dir = Path(spill) if spill else data_dir / ".duckdb_spill"  # the profile's default
    return {"CDQ_WAREHOUSE": os.path.relpath(warehouse.absolute(), data_dir),
            "CDQ_DUCKDB_TEMP_DIRECTORY": os.path.relpath(spill_dir.absolute(), data_dir)}


def _parse_cache(dbt_vars: dict[str, str] | None, profile_settings: dict[str, str | None]) -> Path:
    """Where the last parse is kept for data directories that have none yet: one per project
    folder (another checkout's files are other files), vars and profile settings, which dbt
    checks a saved parse against (a run with other vars must not evict the daily runs' parse)."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    key = json.dumps([str(PROJECT_DIR), dbt_vars or {}, profile_settings], sort_keys=True)
    return root / "customer-dq" / f"{PARSE_STATE}.{hashlib.sha256(key.encode()).hexdigest()[:16]}"


def _seed_parse_state(target_path: Path, cached: Path) -> None:
    """Give a data directory without a saved parse the cached one. dbt checks a saved parse
    against the project's files, vars, profile and its own version before it trusts it, and
    parses again what differs: a stale copy costs a parse, never a wrong build."""
    saved = target_path / PARSE_STATE
    if not cached.exists():
        return
    with contextlib.suppress(OSError):  # a cache: without it dbt parses, nothing fails
        if not saved.exists():
            target_path.mkdir(parents=True, exist_ok=True)
            shutil.copy2(cached, saved)  # its time too: the copy is not a new parse to cache again
        # used now: the cache keeps the recently used (_keep_parse_state), and a parse dbt writes
        # during this run is still newer than this
        os.utime(cached)


def _keep_parse_state(target_path: Path, cached: Path) -> None:
    """Cache the data directory's saved parse when dbt wrote a new one (it rewrites it only when
    it parsed)."""
    saved = target_path / PARSE_STATE
    if saved.exists() and (not cached.exists() or saved.stat().st_mtime > cached.stat().st_mtime):
        with contextlib.suppress(OSError):  # a home folder the run cannot write to costs the next one a parse
            cached.parent.mkdir(parents=True, exist_ok=True)
            with staged(cached) as tmp:
                shutil.copyfile(saved, tmp)
            _prune_parse_cache(cached.parent)


def _prune_parse_cache(folder: Path) -> None:
    """Remove the cached parses beyond the PARSE_CACHE_KEPT most recently used."""
    cached = sorted(folder.glob(f"{PARSE_STATE}.*"), key=lambda path: path.stat().st_mtime, reverse=True)
    for path in cached[PARSE_CACHE_KEPT:]:
        path.unlink(missing_ok=True)


def _release_database() -> None:
    """Close the DuckDB database dbt-duckdb keeps open for a whole run (keep_open in profiles.yml),
    so that this process and others can open the file once dbt has returned."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        environment, DuckDBConnectionManager._ENV = DuckDBConnectionManager._ENV, None
    if environment is not None:
        environment.close()


def _one_line(exception: BaseException | None) -> str:
    return " ".join(str(exception).split()) if exception is not None else ""


def _read_run_results(path: Path, success: bool) -> DbtRun:
    data = json.loads(path.read_text())
    # run_results.json does not carry the nodes' config (dbt 1.11); the manifest beside it does
    manifest = path.with_name("manifest.json")
    configs = {uid: node.get("config", {}) for uid, node in
               json.loads(manifest.read_text()).get("nodes", {}).items()} if manifest.exists() else {}
    nodes = [
        NodeResult(
            unique_id=r["unique_id"],
            resource_type=r["unique_id"].split(".")[0],
            name=r["unique_id"].split(".")[2] if r["unique_id"].count(".") >= 2 else r["unique_id"],
            status=r["status"],
            failures=r.get("failures"),
            message=r.get("message"),
            execution_time=r.get("execution_time", 0.0),
            # a test's config always has one (dbt's default: ERROR); other nodes have none
            severity=(configs.get(r["unique_id"], {}).get("severity") or "").lower() or None,
        )
        for r in data["results"]
    ]
    return DbtRun(success=success, elapsed=data.get("elapsed_time", 0.0), nodes=nodes)
