"""The dbt project's `vars`, read from dbt_project.yml so Python and SQL share one definition."""

from __future__ import annotations

from pathlib import Path

import yaml

PROJECT_FILE = Path(__file__).resolve().parent.parent / "dbt_project" / "dbt_project.yml"


def project_vars() -> dict:
    """The `vars` mapping of dbt_project.yml (read on every call: it is small, and no cache can go stale)."""
    with PROJECT_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle).get("vars") or {}
