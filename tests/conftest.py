from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from seeds_gen.generator import GenerateRequest, generate_customers

RUN_DATE = date(2026, 11, 23)


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
