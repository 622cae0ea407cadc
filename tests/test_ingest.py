"""Ingesting the user's own raw customers file: the contract is enforced, values land as written."""

from __future__ import annotations

import csv
import hashlib
import json
import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.ingest import CUSTOMERS_FILE, MANIFEST_FILE, IngestError, check_delivered, ingest
from seeds_gen.customers import RAW_COLUMNS
from tests.conftest import generate

# Values a naive reader would damage: padding, empty strings, quoting, leading zeros, line breaks.
AWKWARD = [
    "", "  Berlin ", " ", "\t", "N/A", "NULL", "00123", 'say "hi"', "a, b", "two\nlines", "Zoë Ærø", "1e3",
    "2026-11-23", "=1+2", "'quoted'", "\\n",
]


def _row(i: int) -> dict[str, str]:
    return {c: AWKWARD[(i + j) % len(AWKWARD)] for j, c in enumerate(RAW_COLUMNS)} | {"customer_id": f"C{i:011d}"}


def _write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[r.get(name, f"x{i}") for i, name in enumerate(header)] for r in rows])
    return path


def _contract_csv(path: Path, rows: int = 3) -> Path:
    """One physical line per row, so line numbers are easy to predict."""
    return _write_csv(path, list(RAW_COLUMNS), [{c: f"{c}-{i}" for c in RAW_COLUMNS} for i in range(rows)])


def _snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def _leftovers(raw_dir: Path) -> list[str]:
    return sorted(p.name for p in raw_dir.iterdir() if p.name not in (CUSTOMERS_FILE, MANIFEST_FILE))


def test_a_generated_parquet_file_lands_unchanged_with_its_manifest(tmp_path):
    source = generate(tmp_path / "gen", 500) / CUSTOMERS_FILE
    raw_dir = tmp_path / "raw" / "2026-11-23"
    before = _snapshot(source)

    manifest = ingest(source, raw_dir)

    assert pq.read_table(raw_dir / CUSTOMERS_FILE).equals(pq.read_table(source))
    assert manifest == {
        "entity": "customers",
        "source": str(source),
        "source_sha256": hashlib.sha256(source.read_bytes()).hexdigest(),
        "rows": 500,
        "columns": list(RAW_COLUMNS),
        "extra_columns": [],
        "converted_columns": {},
    }
    assert json.loads((raw_dir / MANIFEST_FILE).read_text()) == manifest
    assert _snapshot(source) == before
    assert _leftovers(raw_dir) == []


def test_csv_values_land_exactly_as_written_in_contract_order(tmp_path):
    rows = [_row(i) for i in range(len(AWKWARD))]
    header = ["notes", *reversed(RAW_COLUMNS), "Email"]  # shuffled, with extras (one differs only by case)
    source = _write_csv(tmp_path / "customers.csv", header, rows)
    before = _snapshot(source)

    manifest = ingest(source, tmp_path / "raw")

    table = pq.read_table(tmp_path / "raw" / CUSTOMERS_FILE)
    assert table.column_names == list(RAW_COLUMNS)
    assert all(field.type == pa.string() for field in table.schema)
    assert table.to_pylist() == rows  # no trimming, '' stays '' (not NULL), quotes and line breaks intact
    assert manifest["extra_columns"] == ["notes", "Email"]
    assert manifest["rows"] == len(rows)
    assert _snapshot(source) == before


def test_a_row_with_too_many_fields_is_reported_with_its_line(tmp_path):
    source = _contract_csv(tmp_path / "bad.csv", rows=3)
    with source.open("a", encoding="utf-8") as handle:  # line 5: header + 3 rows before it
        handle.write(",".join(["C00000000099", *["v"] * len(RAW_COLUMNS)]) + "\n")
    raw_dir = tmp_path / "raw"

    with pytest.raises(IngestError) as caught:
        ingest(source, raw_dir)

    message = str(caught.value)
    assert str(source) in message
    assert "line 5" in message
    assert "Expected Number of Columns" in message
    assert "C00000000099" not in message, "the row itself (personal data) is not quoted"
    assert not (raw_dir / CUSTOMERS_FILE).exists() and not (raw_dir / MANIFEST_FILE).exists()
    assert _leftovers(raw_dir) == []


def test_a_row_longer_than_the_line_limit_is_named_with_the_reason_not_the_row(tmp_path):
    source = _contract_csv(tmp_path / "huge.csv", rows=2)
    with source.open("a", encoding="utf-8") as handle:  # line 4
        handle.write(",".join(["C00000000099", "Z" * 3_000_000, *["v"] * (len(RAW_COLUMNS) - 2)]) + "\n")
    with pytest.raises(IngestError) as caught:
        ingest(source, tmp_path / "raw")
    message = str(caught.value)
    assert "huge.csv: malformed CSV at line 4: Maximum line size" in message and "ZZZ" not in message


def test_a_semicolon_separated_file_is_named_as_such(tmp_path):
    source = tmp_path / "excel.csv"
    source.write_text(";".join(RAW_COLUMNS) + "\n" + ";".join(["v"] * len(RAW_COLUMNS)) + "\n", encoding="utf-8")
    with pytest.raises(IngestError, match=r"excel\.csv: .*looks ';'-separated, and only comma-separated CSV is read"):
        ingest(source, tmp_path / "raw")


def test_an_unterminated_quote_is_reported_with_its_line(tmp_path):
    source = _contract_csv(tmp_path / "quote.csv", rows=2)
    with source.open("a", encoding="utf-8") as handle:  # line 4
        handle.write('C00000000099,"Ann\n')

    with pytest.raises(IngestError, match=r"quote\.csv: malformed CSV at line 4: .*unterminated quote"):
        ingest(source, tmp_path / "raw")


def test_a_bad_row_below_values_spanning_lines_is_reported_with_its_file_line(tmp_path):
    # DuckDB counts records: this row is its record 4, but line 7 of the file, where an editor finds it
    plain = [{c: f"{c}-{i}" for c in RAW_COLUMNS} for i in range(2)]
    rows = [plain[0] | {"street_address": "1 Main St\nFlat 2"}, plain[1] | {"city": "a\nb\nc"}]
    source = _write_csv(tmp_path / "multiline.csv", list(RAW_COLUMNS), rows)
    assert source.read_text(encoding="utf-8").count("\n") == 6
    with source.open("a", encoding="utf-8") as handle:
        handle.write("too,few\n")

    with pytest.raises(IngestError, match=r"multiline\.csv: malformed CSV at line 7: Expected Number of Columns"):
        ingest(source, tmp_path / "raw")


def test_a_failed_ingest_leaves_the_previous_output_in_place(tmp_path):
    raw_dir = tmp_path / "raw"
    ingest(_contract_csv(tmp_path / "good.csv", rows=4), raw_dir)
    before = {name: (raw_dir / name).read_bytes() for name in (CUSTOMERS_FILE, MANIFEST_FILE)}
    bad = _contract_csv(tmp_path / "bad.csv", rows=4)
    with bad.open("a", encoding="utf-8") as handle:
        handle.write("too,few\n")

    with pytest.raises(IngestError, match="line 6"):
        ingest(bad, raw_dir)

    assert {name: (raw_dir / name).read_bytes() for name in before} == before
    assert _leftovers(raw_dir) == []


def test_reingesting_replaces_the_output(tmp_path):
    raw_dir = tmp_path / "raw"
    ingest(_contract_csv(tmp_path / "first.csv", rows=4), raw_dir)
    manifest = ingest(_contract_csv(tmp_path / "second.csv", rows=2), raw_dir)
    assert manifest["rows"] == 2
    assert pq.read_metadata(raw_dir / CUSTOMERS_FILE).num_rows == 2
    assert json.loads((raw_dir / MANIFEST_FILE).read_text())["source"].endswith("second.csv")


def test_missing_columns_are_all_named_and_names_match_exactly(tmp_path):
    header = [c for c in RAW_COLUMNS if c not in ("email", "phone", "country")] + ["Country", "email "]
    source = _write_csv(tmp_path / "partial.csv", header, [_row(0)])

    with pytest.raises(IngestError) as caught:
        ingest(source, tmp_path / "raw")

    message = str(caught.value)
    assert str(source) in message
    assert "missing contract column(s) email, phone, country" in message
    assert not (tmp_path / "raw").exists()


def test_missing_columns_in_parquet_are_named(tmp_path):
    source = tmp_path / "partial.parquet"
    pq.write_table(pa.table({c: ["x"] for c in RAW_COLUMNS if c != "segment"}), source)
    with pytest.raises(IngestError, match=r"partial\.parquet: missing contract column\(s\) segment "):
        ingest(source, tmp_path / "raw")


def test_a_repeated_contract_column_is_ambiguous(tmp_path):
    source = _write_csv(tmp_path / "twice.csv", [*RAW_COLUMNS, "email"], [_row(0)])
    with pytest.raises(IngestError, match=r"twice\.csv: contract column\(s\) email appear more than once"):
        ingest(source, tmp_path / "raw")


def test_a_header_only_csv_gives_an_empty_file(tmp_path):
    source = _write_csv(tmp_path / "empty.csv", list(RAW_COLUMNS), [])
    manifest = ingest(source, tmp_path / "raw")
    table = pq.read_table(tmp_path / "raw" / CUSTOMERS_FILE)
    assert manifest["rows"] == 0 and table.num_rows == 0
    assert table.column_names == list(RAW_COLUMNS)
    assert all(field.type == pa.string() for field in table.schema)


def test_an_empty_parquet_file_gives_an_empty_file(tmp_path):
    source = tmp_path / "empty.pq"
    pq.write_table(pa.table({c: pa.array([], pa.string()) for c in RAW_COLUMNS}), source)
    assert ingest(source, tmp_path / "raw")["rows"] == 0
    assert pq.read_metadata(tmp_path / "raw" / CUSTOMERS_FILE).num_rows == 0


def test_typed_parquet_columns_are_cast_to_text_and_nulls_kept(tmp_path):
    columns = {c: pa.array(["v1", None], pa.string()) for c in RAW_COLUMNS}
    columns["annual_income"] = pa.array([52000.5, None], pa.float64())
    columns["signup_date"] = pa.array([pa.scalar(19000, pa.date32()).as_py(), None], pa.date32())
    columns["marketing_opt_in"] = pa.array([True, None])
    source = tmp_path / "typed.parquet"
    pq.write_table(pa.table(columns), source)

    ingest(source, tmp_path / "raw")

    table = pq.read_table(tmp_path / "raw" / CUSTOMERS_FILE)
    assert all(field.type == pa.string() for field in table.schema)
    first, second = table.to_pylist()
    typed = (first["annual_income"], first["signup_date"], first["marketing_opt_in"])
    assert typed == ("52000.5", "2022-01-08", "true")
    assert set(second.values()) == {None}


def test_timestamps_in_date_columns_are_read_as_their_dates(tmp_path):
    # An export of DATE columns as TIMESTAMP (midnight) or as instants (TIMESTAMPTZ): the date,
    # in UTC, which the pipeline's date rules parse; the manifest lists what was converted.
    columns = {c: pa.array(["v1"], pa.string()) for c in RAW_COLUMNS}
    columns["signup_date"] = pa.array([datetime(2024, 11, 13)], pa.timestamp("us"))
    columns["last_purchase_date"] = pa.array([datetime(2026, 1, 2, 23, 30, tzinfo=timezone(timedelta(hours=-5)))],
                                             pa.timestamp("us", tz="America/New_York"))
    columns["date_of_birth"] = pa.array([datetime(1980, 5, 6, 14, 15)], pa.timestamp("ms"))
    columns["customer_id"] = pa.array([123], pa.int64())
    source = tmp_path / "typed.parquet"
    pq.write_table(pa.table(columns), source)

    manifest = ingest(source, tmp_path / "raw")

    (row,) = pq.read_table(tmp_path / "raw" / CUSTOMERS_FILE).to_pylist()
    assert (row["signup_date"], row["last_purchase_date"], row["date_of_birth"], row["customer_id"]) == \
        ("2024-11-13", "2026-01-03", "1980-05-06", "123")
    assert manifest["converted_columns"] == {
        "customer_id": "int64", "date_of_birth": "timestamp[ms]", "signup_date": "timestamp[us]",
        "last_purchase_date": "timestamp[us, tz=America/New_York]"}


def test_categorical_and_byte_columns_are_read_as_their_text(tmp_path):
    columns = {c: pa.array(["v1"], pa.string()) for c in RAW_COLUMNS}
    columns["segment"] = pa.array(["gold"]).dictionary_encode()  # a pandas categorical
    columns["city"] = pa.array(["José".encode()], pa.binary())
    source = tmp_path / "categorical.parquet"
    pq.write_table(pa.table(columns), source)
    manifest = ingest(source, tmp_path / "raw")
    (row,) = pq.read_table(tmp_path / "raw" / CUSTOMERS_FILE).to_pylist()
    assert (row["segment"], row["city"]) == ("gold", "José")
    assert manifest["converted_columns"] == {"city": "binary"}, "a categorical of text is text"


def test_bytes_that_are_not_utf8_are_named_by_column_and_row(tmp_path):
    columns = {c: pa.array(["v1", "v2", "v3"], pa.string()) for c in RAW_COLUMNS}
    columns["first_name"] = pa.array(["Zoë".encode(), None, b"Ren\xe9e"], pa.binary())  # row 2 is Latin-1
    source = tmp_path / "latin1.parquet"
    pq.write_table(pa.table(columns), source)
    expected = r"latin1\.parquet: column first_name, row 2 \(0-based\): not UTF-8 text"
    with pytest.raises(IngestError, match=expected):
        ingest(source, tmp_path / "raw")
    with pytest.raises(IngestError, match=expected):  # the same file delivered into raw/ by a source system
        check_delivered(source)
    assert not (tmp_path / "raw" / CUSTOMERS_FILE).exists()


def test_a_csv_line_that_is_not_utf8_is_named(tmp_path):
    source = _contract_csv(tmp_path / "latin1.csv", rows=3)
    lines = source.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"first_name", b"Ren\xe9e", 1)  # line 3: the second data row, in Latin-1
    source.write_bytes(b"\n".join(lines))
    with pytest.raises(IngestError, match=r"latin1\.csv: line 3 is not UTF-8 text \(invalid continuation byte\)"):
        ingest(source, tmp_path / "raw")
    assert not (tmp_path / "raw" / CUSTOMERS_FILE).exists()


def test_a_nested_column_is_refused_by_name(tmp_path):
    columns = {c: pa.array(["v1"], pa.string()) for c in RAW_COLUMNS}
    columns["city"] = pa.array([{"name": "Berlin"}])
    source = tmp_path / "nested.parquet"
    pq.write_table(pa.table(columns), source)
    with pytest.raises(IngestError, match=r"nested\.parquet: column city is struct<name: string>, a nested type"):
        ingest(source, tmp_path / "raw")


def test_a_directory_is_not_a_file(tmp_path):
    source = tmp_path / "customers.csv"
    source.mkdir()
    with pytest.raises(IngestError, match=f"{source}: is a directory"):
        ingest(source, tmp_path / "raw")


def test_an_empty_csv_without_header_is_refused(tmp_path):
    source = tmp_path / "nothing.csv"
    source.touch()
    with pytest.raises(IngestError, match=r"nothing\.csv: empty file"):
        ingest(source, tmp_path / "raw")


def test_a_non_utf8_csv_is_refused(tmp_path):
    source = tmp_path / "latin1.csv"
    source.write_bytes((",".join(RAW_COLUMNS) + "\n" + "M\xfcller," * 16 + "x\n").encode("latin-1"))
    with pytest.raises(IngestError, match=r"latin1\.csv: .*UTF-8"):
        ingest(source, tmp_path / "raw")


@pytest.mark.parametrize("name", ["customers.json", "customers.xlsx", "customers"])
def test_an_unsupported_file_type_is_refused(tmp_path, name):
    source = tmp_path / name
    source.write_text("{}")
    with pytest.raises(IngestError) as caught:
        ingest(source, tmp_path / "raw")
    message = str(caught.value)
    assert str(source) in message
    assert all(kind in message for kind in (".parquet", ".pq", ".csv"))


def test_a_missing_source_is_named(tmp_path):
    source = tmp_path / "nowhere" / "customers.csv"
    with pytest.raises(IngestError, match=f"{source}: no such file"):
        ingest(source, tmp_path / "raw")


def test_a_corrupt_parquet_file_is_refused(tmp_path):
    source = tmp_path / "broken.parquet"
    source.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(IngestError, match=r"broken\.parquet: not a readable Parquet file"):
        ingest(source, tmp_path / "raw")


def test_the_output_file_cannot_be_its_own_source(tmp_path):
    raw_dir = tmp_path / "raw"
    ingest(_contract_csv(tmp_path / "good.csv"), raw_dir)
    before = _snapshot(raw_dir / CUSTOMERS_FILE)
    with pytest.raises(IngestError, match="is the output file itself"):
        ingest(raw_dir / CUSTOMERS_FILE, raw_dir)
    assert _snapshot(raw_dir / CUSTOMERS_FILE) == before


def test_the_source_is_never_modified(tmp_path):
    source = _contract_csv(tmp_path / "customers.csv", rows=5)
    os.utime(source, ns=(1_000_000_000, 1_000_000_000))  # an old mtime, so any rewrite would show
    before = _snapshot(source)
    ingest(source, tmp_path / "raw")
    assert _snapshot(source) == before
