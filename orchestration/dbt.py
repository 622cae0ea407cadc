"""Run dbt in-process (dbt's programmatic API) and read what it did from run_results.json."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path

from orchestration import engine

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT_DIR = REPO_ROOT / "dbt_project"


class DbtError(Exception):
    """dbt could not run (bad project, missing raw file, broken contract), as opposed to tests failing."""


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


def run_dbt(command: str, data_dir: Path, dbt_vars: dict[str, str] | None = None,
            warehouse: Path | None = None, extra_args: list[str] | None = None,
            environment: dict[str, str] | None = None) -> DbtRun:
    """Run `dbt <command>` on the project for `data_dir`, with `environment` set for dbt's
    env_var(); artifacts go under data_dir/dbt."""
    from dbt.cli.main import dbtRunner  # imported late: dbt is slow to import

    target_path = data_dir / "dbt" / "target"
    args = [*command.split(), "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(REPO_ROOT),
            "--target-path", str(target_path), "--log-path", str(data_dir / "dbt" / "logs"), "--quiet"]
    if dbt_vars:
        args += ["--vars", json.dumps(dbt_vars)]
    if not sys.stdout.isatty():  # cron.log and pipes get text, not colour codes
        args.append("--no-use-colors")
    args += extra_args or []
    environment = {**(environment or {}), "CDQ_DATA_DIR": str(data_dir)}
    if warehouse is not None:
        environment["CDQ_WAREHOUSE"] = str(warehouse)
    with engine.environment(environment):
        try:
            result = dbtRunner().invoke(args)
        finally:
            _release_database()
    if isinstance(result.exception, KeyboardInterrupt):
        raise KeyboardInterrupt  # dbt stopped on Ctrl-C: so does the caller, not a failure to retry
    results_file = target_path / "run_results.json"
    if result.exception is not None or (not result.success and not results_file.exists()):
        raise DbtError(_one_line(result.exception) or f"dbt {command} failed before running any node")
    if not results_file.exists():
        return DbtRun(success=bool(result.success), elapsed=0.0, nodes=[])
    return _read_run_results(results_file, bool(result.success))


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
