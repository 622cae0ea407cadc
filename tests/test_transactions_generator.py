"""The transaction generator's promises: deterministic, truthful, and referentially sound."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from seeds_gen import transactions
from seeds_gen.generator import GenerateRequest, generate_customers
from seeds_gen.transactions import (
    ALL_DEFECT_TYPES,
    BOT_DEFECT,
    CURRENCY_DECIMALS,
    CURRENCY_OF_COUNTRY,
    FX_PER_USD,
    TRANSACTION_COLUMNS,
    TransactionsRequest,
    generate_transactions,
)
from tests.conftest import RUN_DATE, generator_cli

ROWS, PRODUCTS, STORES, CUSTOMER_ROWS = 6_000, 200, 12, 1_500


def _generate(out: Path, rows: int = ROWS, seed: int = 42, run_date: date = RUN_DATE, **kwargs) -> Path:
    request = TransactionsRequest(out, run_date, rows=rows, products=PRODUCTS, stores=STORES,
                                  customer_rows=CUSTOMER_ROWS, seed=seed, **kwargs)
    generate_transactions(request)
    return request.raw_dir


def _read(raw_dir: Path, name: str) -> list[dict]:
    return pq.read_table(raw_dir / name).to_pylist()


@pytest.fixture(scope="module")
def raw(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("txn")
    generate_customers(GenerateRequest(out, RUN_DATE, rows=CUSTOMER_ROWS, seed=42))
    return _generate(out)


@pytest.fixture(scope="module")
def clean_rows(raw) -> list[dict]:
    """Transactions whose only ground truth, if any, is being a bot's."""
    truth = _read(raw, "_transaction_defects.parquet")
    dirty = {d["source_row_number"] for d in truth if d["defect_type"] != BOT_DEFECT}
    return [r for i, r in enumerate(_read(raw, "transactions.parquet")) if i not in dirty]


def test_same_inputs_give_byte_identical_files(tmp_path):
    first, second = _generate(tmp_path / "a", 3_000), _generate(tmp_path / "b", 3_000)
    for name in ("products.parquet", "stores.parquet", "transactions.parquet", "_transaction_defects.parquet",
                 "_transactions_manifest.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    other = _generate(tmp_path / "c", 3_000, seed=43)
    assert (other / "transactions.parquet").read_bytes() != (first / "transactions.parquet").read_bytes()


def test_a_day_built_in_chunks_is_the_day_built_whole(tmp_path, monkeypatch):
    """Large days are built chunk by chunk in bounded memory: the chunks must not show. Half the
    rows defective and chunks of 97 rows put duplicates' sources, bots and defects on both
    sides of many chunk boundaries."""
    whole = _generate(tmp_path / "whole", defect_rate=0.5)
    monkeypatch.setattr(transactions, "CHUNK_ROWS", 97)
    chunked = _generate(tmp_path / "chunked", defect_rate=0.5)
    for name in ("transactions.parquet", "_transaction_defects.parquet"):
        assert pq.read_table(chunked / name).equals(pq.read_table(whole / name)), name
    manifests = [json.loads((d / "_transactions_manifest.json").read_text()) for d in (whole, chunked)]
    assert manifests[0]["bot_customers"] == manifests[1]["bot_customers"]
    assert manifests[0]["defect_counts"] == manifests[1]["defect_counts"]


def test_every_column_is_text(raw):
    schema = pq.read_schema(raw / "transactions.parquet")
    assert schema.names == list(TRANSACTION_COLUMNS)
    for name in ("products.parquet", "stores.parquet", "transactions.parquet"):
        assert all(str(t) == "string" for t in pq.read_schema(raw / name).types), name
    assert pq.read_metadata(raw / "transactions.parquet").num_rows == ROWS
    assert pq.read_metadata(raw / "products.parquet").num_rows == PRODUCTS
    assert pq.read_metadata(raw / "stores.parquet").num_rows == STORES


def test_every_ground_truth_row_is_really_in_the_file(raw):
    rows = _read(raw, "transactions.parquet")
    truth = _read(raw, "_transaction_defects.parquet")
    assert pq.read_schema(raw / "_transaction_defects.parquet").names[:2] == ["source_row_number", "transaction_id"]
    assert {d["defect_type"] for d in truth} == set(ALL_DEFECT_TYPES), "every defect type occurs"
    assert {d["expected_handling"] for d in truth} == {"quarantine", "flag", "deduplicate"}
    ids = Counter(r["transaction_id"] for r in rows)
    for defect in truth:
        row = rows[defect["source_row_number"]]
        assert row["transaction_id"] == defect["transaction_id"], defect
        assert row[defect["column_name"]] == defect["dirty_value"], defect
        if defect["defect_type"] == "duplicate_transaction":
            earlier = rows[: defect["source_row_number"]]
            assert row in earlier and ids[row["transaction_id"]] == 2, "a duplicate copies an earlier row"
        elif defect["defect_type"] != BOT_DEFECT:
            assert defect["clean_value"] != defect["dirty_value"], defect
    assert sum(n > 1 for n in ids.values()) == sum(d["defect_type"] == "duplicate_transaction" for d in truth)


def test_dirty_values_are_what_their_type_says(raw):
    products = {p["product_id"]: Decimal(p["price"]) for p in _read(raw, "products.parquet")}
    rows = _read(raw, "transactions.parquet")
    for defect in _read(raw, "_transaction_defects.parquet"):
        kind, dirty, row = defect["defect_type"], defect["dirty_value"], rows[defect["source_row_number"]]
        if kind.startswith("missing_"):
            assert dirty is None
        elif kind == "amount_non_positive":
            assert Decimal(dirty) <= 0
        elif kind == "currency_invalid":
            assert dirty not in CURRENCY_DECIMALS
        elif kind == "amount_precision":
            assert -Decimal(dirty).as_tuple().exponent > CURRENCY_DECIMALS[row["currency"]]
        elif kind == "amount_extreme":
            fair = products[row["product_id"]] * int(row["quantity"]) * Decimal(FX_PER_USD[row["currency"]])
            assert Decimal(dirty) > 10 * fair
        elif kind in ("unknown_customer", "unknown_product", "unknown_store"):
            assert dirty is not None


def test_clean_rows_are_referentially_sound(raw, clean_rows):
    customers = {r["customer_id"] for r in _read(raw, "customers.parquet")}
    products = {r["product_id"] for r in _read(raw, "products.parquet")}
    stores = {r["store_id"] for r in _read(raw, "stores.parquet")}
    for row in clean_rows:
        assert row["customer_id"] in customers, row
        assert row["product_id"] in products, row
        assert row["store_id"] in stores, row
    truth = _read(raw, "_transaction_defects.parquet")
    unknown = [d for d in truth if d["defect_type"].startswith("unknown_")]
    assert unknown and all(d["dirty_value"] not in customers | products | stores for d in unknown)


def test_clean_amounts_fit_the_store_currency(raw, clean_rows):
    stores = {s["store_id"]: s for s in _read(raw, "stores.parquet")}
    assert any(s["country"] == "JP" and s["kind"] == "online" for s in stores.values())
    seen = set()
    for row in clean_rows:
        currency = CURRENCY_OF_COUNTRY[stores[row["store_id"]]["country"]]
        assert row["currency"] == currency, row
        pattern = r"[1-9]\d*" if CURRENCY_DECIMALS[currency] == 0 else r"(0|[1-9]\d*)\.\d{2}"
        assert re.fullmatch(pattern, row["amount"]) and Decimal(row["amount"]) > 0, row
        seen.add(currency)
    assert seen >= {"USD", "EUR", "GBP", "CAD", "JPY"}


def _signups(raw: Path) -> dict[str, date]:
    """Signup date by customer id, from the rows whose signup date is ISO (clean customers' are)."""
    return {r["customer_id"]: date.fromisoformat(r["signup_date"]) for r in _read(raw, "customers.parquet")
            if r["signup_date"] and re.fullmatch(r"\d{4}-\d\d-\d\d", r["signup_date"])}


def test_clean_transactions_are_on_the_run_date_and_after_signup(raw, clean_rows):
    signup = _signups(raw)
    for row in clean_rows:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", row["timestamp"]), row
        assert row["timestamp"][:10] == RUN_DATE.isoformat(), row
        assert signup[row["customer_id"]] <= date.fromisoformat(row["timestamp"][:10]), row
    truth = _read(raw, "_transaction_defects.parquet")
    before = [d for d in truth if d["defect_type"] == "before_signup"]
    assert before
    rows = _read(raw, "transactions.parquet")
    for d in before:
        customer = rows[d["source_row_number"]]["customer_id"]
        assert date.fromisoformat(d["dirty_value"][:10]) < signup[customer], d


def test_statuses_are_mostly_completed(clean_rows):
    statuses = Counter(r["status"] for r in clean_rows)
    assert set(statuses) == {"completed", "pending", "refunded", "failed"}
    assert statuses["completed"] / len(clean_rows) > 0.8


def test_bots_are_the_only_customers_with_more_than_50_transactions(raw):
    rows = _read(raw, "transactions.parquet")
    manifest = json.loads((raw / "_transactions_manifest.json").read_text())
    bots = manifest["bot_customers"]
    assert 2 <= len(bots) <= 3
    per_customer = Counter(r["customer_id"] for r in rows if r["customer_id"])
    assert {c for c, n in per_customer.items() if n > 50} == set(bots)
    flagged = Counter(d["dirty_value"] for d in _read(raw, "_transaction_defects.parquet")
                      if d["defect_type"] == BOT_DEFECT)
    assert flagged == {b: per_customer[b] for b in bots}, "one ground-truth row per bot transaction"


def test_defect_rate_is_about_what_was_asked(raw):
    manifest = json.loads((raw / "_transactions_manifest.json").read_text())
    asked = manifest["defect_rate"]
    assert asked == TransactionsRequest.defect_rate
    assert manifest["records_with_defects"] / manifest["rows"] == pytest.approx(asked, abs=0.01)


@pytest.mark.parametrize("rate", [0.0, 0.2])
def test_defect_rate_is_configurable(tmp_path, rate):
    raw = _generate(tmp_path, 5_000, defect_rate=rate)
    manifest = json.loads((raw / "_transactions_manifest.json").read_text())
    assert manifest["records_with_defects"] / 5_000 == pytest.approx(rate, abs=0.015)


def test_customers_follow_the_run_date(tmp_path):
    generate_customers(GenerateRequest(tmp_path, RUN_DATE + timedelta(days=400), rows=CUSTOMER_ROWS, seed=42))
    raw = _generate(tmp_path, 2_000, run_date=RUN_DATE + timedelta(days=400))
    customers = {r["customer_id"] for r in _read(raw, "customers.parquet")}
    truth = _read(raw, "_transaction_defects.parquet")
    dirty = {d["source_row_number"] for d in truth if d["defect_type"] != BOT_DEFECT}
    rows = [r for i, r in enumerate(_read(raw, "transactions.parquet")) if i not in dirty]
    assert all(r["customer_id"] in customers for r in rows)


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return generator_cli("transactions", *args)


def test_cli_refuses_to_overwrite_unless_asked(tmp_path):
    args = ("--out", str(tmp_path), "--rows", "500", "--products", "50", "--stores", "5", "--customer-rows", "300",
            "--run-date", RUN_DATE.isoformat(), "--quiet")
    assert _cli(*args).returncode == 0
    refused = _cli(*args)
    assert refused.returncode == 2 and "--overwrite" in refused.stderr and refused.stderr.count("\n") == 1
    assert _cli(*args, "--overwrite").returncode == 0


def test_cli_buys_from_the_days_generated_customers_without_being_told_how_they_were_made(tmp_path):
    # customers of 300 rows, seed 7, defect rate 0.2: the transactions take those from the manifest,
    # so every clean one buys from a customer in the file (the defaults, 3,500 rows and seed 42, would not)
    generate_customers(GenerateRequest(tmp_path, RUN_DATE, rows=300, seed=7, defect_rate=0.2))
    day = ("--out", str(tmp_path), "--run-date", RUN_DATE.isoformat(), "--rows", "2000", "--products", "50",
           "--stores", "5", "--quiet")
    assert _cli(*day).returncode == 0
    raw = tmp_path / "raw" / RUN_DATE.isoformat()
    manifest = json.loads((raw / "_transactions_manifest.json").read_text())
    assert (manifest["customer_rows"], manifest["customer_defect_rate"], manifest["seed"]) == (300, 0.2, 7)
    customers = {r["customer_id"] for r in _read(raw, "customers.parquet")}
    dirty = {d["source_row_number"] for d in _read(raw, "_transaction_defects.parquet")
             if d["defect_type"] != BOT_DEFECT}
    assert all(r["customer_id"] in customers
               for i, r in enumerate(_read(raw, "transactions.parquet")) if i not in dirty)


@pytest.mark.parametrize("flag", [("--customer-rows", "3500"), ("--seed", "42"), ("--customer-defect-rate", "0.08")])
def test_cli_refuses_settings_that_contradict_the_days_customers(tmp_path, flag):
    generate_customers(GenerateRequest(tmp_path, RUN_DATE, rows=300, seed=7, defect_rate=0.2))
    refused = _cli("--out", str(tmp_path), "--run-date", RUN_DATE.isoformat(), "--rows", "500", *flag)
    assert refused.returncode == 2 and flag[0] in refused.stderr and "_manifest.json" in refused.stderr
    assert not (tmp_path / "raw" / RUN_DATE.isoformat() / "transactions.parquet").exists()
