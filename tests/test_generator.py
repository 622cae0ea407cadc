"""The generator's promises: deterministic, realistic, dirty at the asked rate, truthful."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta

import pyarrow.parquet as pq
import pytest

from seeds_gen.cli import default_data_dir
from seeds_gen.customers import RAW_COLUMNS
from seeds_gen.defects import ALL_DEFECT_TYPES
from seeds_gen.reference import countries
from tests.conftest import RUN_DATE, generate, generator_cli


def _read(raw_dir, name="customers.parquet") -> list[dict]:
    return pq.read_table(raw_dir / name).to_pylist()


def test_same_inputs_give_byte_identical_files(tmp_path):
    first = generate(tmp_path / "a", 5_000)
    second = generate(tmp_path / "b", 5_000)
    for name in ("customers.parquet", "_defects.parquet", "_manifest.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_same_inputs_give_identical_files_in_any_process(tmp_path):
    """Python's hash seed differs per process; nothing generated may depend on it."""
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / hash_seed
        subprocess.run([sys.executable, "-m", "seeds_gen", "customers", "--rows", "3000", "--run-date",
                        "2026-11-23", "--out", str(out), "--quiet"], check=True, timeout=120,
                       env={**os.environ, "PYTHONHASHSEED": hash_seed})
        outputs.append((out / "raw/2026-11-23/customers.parquet").read_bytes())
    assert outputs[0] == outputs[1]


def test_another_seed_gives_other_data(tmp_path):
    first = generate(tmp_path / "a", 2_000, seed=1)
    second = generate(tmp_path / "b", 2_000, seed=2)
    assert (first / "customers.parquet").read_bytes() != (second / "customers.parquet").read_bytes()


def test_raw_contract_every_column_is_text(raw_20k):
    schema = pq.read_schema(raw_20k / "customers.parquet")
    assert schema.names == list(RAW_COLUMNS)
    assert all(str(t) == "string" for t in schema.types)
    assert pq.read_metadata(raw_20k / "customers.parquet").num_rows == 20_000


def test_defect_rate_is_about_eight_percent(raw_20k):
    manifest = json.loads((raw_20k / "_manifest.json").read_text())
    assert 0.07 <= manifest["records_with_defects"] / manifest["rows"] <= 0.09
    assert set(manifest["defect_counts"]) == set(ALL_DEFECT_TYPES), "every defect type occurs"


@pytest.mark.parametrize("rate", [0.0, 0.3])
def test_defect_rate_is_configurable(tmp_path, rate):
    raw = generate(tmp_path, 10_000, defect_rate=rate)
    manifest = json.loads((raw / "_manifest.json").read_text())
    assert manifest["records_with_defects"] / 10_000 == pytest.approx(rate, abs=0.015)


def test_every_ground_truth_row_is_really_in_the_file(raw_20k):
    rows = _read(raw_20k)
    truth = _read(raw_20k, "_defects.parquet")
    assert truth, "defects were injected"
    for defect in truth:
        row = rows[defect["source_row_number"]]
        assert row["customer_id"] == defect["customer_id"]
        if defect["defect_type"] == "exact_duplicate":
            earlier = [r for r in rows[: defect["source_row_number"]] if r["customer_id"] == row["customer_id"]]
            assert row in earlier, "an exact duplicate repeats an earlier row"
        else:
            assert row[defect["column_name"]] == defect["dirty_value"], defect
            assert defect["clean_value"] != defect["dirty_value"], defect
        if defect["defect_type"] == "reentered_customer":
            assert any(r["customer_id"] == defect["clean_value"] for r in rows), "the original is there too"
    assert {d["expected_handling"] for d in truth} == {"repair", "nullify", "quarantine", "deduplicate"}


def test_clean_records_are_consistent_with_their_country(raw_20k):
    rows = _read(raw_20k)
    dirty_rows = {d["source_row_number"] for d in _read(raw_20k, "_defects.parquet")}
    refs = countries()
    clean = [r for i, r in enumerate(rows) if i not in dirty_rows]
    assert len({r["country"] for r in clean}) >= 6
    for row in clean:
        country = refs[row["country"]]
        assert row["phone"].startswith("+" + country.calling_code), row
        nsn = row["phone"][1 + len(country.calling_code):]
        assert nsn.isdigit() and country.nsn_min_length <= len(nsn) <= country.nsn_max_length, row
        assert country.postal_code_fits(row["postal_code"]), row
        assert re.fullmatch(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}", row["email"]), row
        born, signed = date.fromisoformat(row["date_of_birth"]), date.fromisoformat(row["signup_date"])
        assert 18 <= (RUN_DATE - born).days / 365.25 <= 96, row
        assert born < signed <= date.fromisoformat(row["last_purchase_date"]) <= RUN_DATE, row
        assert 0 < float(row["annual_income"]) < 5_000_000
    ids = [r["customer_id"] for r in clean]
    assert len(ids) == len(set(ids))
    emails = [r["email"] for r in clean]
    assert len(emails) == len(set(emails)), "clean e-mail addresses are unique"


def test_signups_spread_over_years_and_segments_skewed(raw_20k):
    rows = _read(raw_20k)
    years = {r["signup_date"][:4] for r in rows if r["signup_date"] and r["signup_date"][:2] == "20"}
    assert len(years) >= 6
    segments = [r["segment"] for r in rows]
    assert segments.count("bronze") > segments.count("silver") > segments.count("gold") > segments.count("platinum")


def _clean_by_id(raw_dir) -> dict[str, dict]:
    dirty = {d["customer_id"] for d in _read(raw_dir, "_defects.parquet")}
    return {r["customer_id"]: r for r in _read(raw_dir) if r["customer_id"] not in dirty}


def test_customers_keep_their_identity_from_day_to_day(tmp_path):
    today = _clean_by_id(generate(tmp_path, 20_000))
    tomorrow = _clean_by_id(generate(tmp_path, 20_000, RUN_DATE + timedelta(days=1)))
    shared = today.keys() & tomorrow.keys()
    assert len(shared) / len(today) > 0.98, "almost every customer is still there"
    assert tomorrow.keys() - today.keys(), "new customers appear"
    changed = [c for c in shared if today[c] != tomorrow[c]]
    assert 0 < len(changed) / len(shared) < 0.15, "a small share changes"
    for column in ("street_address", "email", "segment"):
        assert any(today[c][column] != tomorrow[c][column] for c in shared), f"some {column} changes"
    for column in ("first_name", "last_name", "date_of_birth", "country", "signup_date"):
        assert all(today[c][column] == tomorrow[c][column] for c in shared), f"{column} never changes"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return generator_cli("customers", *args)


@pytest.mark.parametrize(("entity", "args", "message"), [
    ("customers", ["--rows", "0"], "must be greater than 0"),
    ("customers", ["--rows", "many"], "expected a whole number"),
    ("customers", ["--run-date", "2026-13-01"], "expected a date as YYYY-MM-DD"),
    ("customers", ["--defect-rate", "2"], "between 0 and 0.5"),
    ("transactions", ["--rows", "0"], "must be greater than 0"),
    ("transactions", ["--products", "x"], "expected a whole number"),
    ("transactions", ["--run-date", "2026-13-01"], "expected a date as YYYY-MM-DD"),
    ("transactions", ["--defect-rate", "2"], "between 0 and 0.5"),
])
def test_cli_rejects_bad_arguments_in_one_line(tmp_path, entity, args, message):
    result = generator_cli(entity, "--out", str(tmp_path), *args)
    assert result.returncode == 2
    assert message in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr


def test_cli_rejects_an_unwritable_directory(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    result = _cli("--out", str(blocker / "data"), "--rows", "10")
    assert result.returncode == 2
    assert "cannot create output directory" in result.stderr and str(blocker) in result.stderr


def test_cli_refuses_to_overwrite_unless_asked(tmp_path):
    args = ("--out", str(tmp_path), "--rows", "50", "--run-date", "2026-01-05")
    assert _cli(*args).returncode == 0
    before = (tmp_path / "raw/2026-01-05/customers.parquet").read_bytes()
    refused = _cli(*args)
    assert refused.returncode == 2 and "already exists; pass --overwrite" in refused.stderr
    assert (tmp_path / "raw/2026-01-05/customers.parquet").read_bytes() == before
    assert _cli(*args, "--overwrite").returncode == 0


def test_a_data_directory_variable_set_empty_means_the_default(tmp_path, monkeypatch):
    # `CDQ_DATA_DIR= just daily` must not write raw/, outputs/, ... into the directory it runs in
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CDQ_DATA_DIR", "")
    assert default_data_dir() == tmp_path / "data"
