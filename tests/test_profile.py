"""The raw-file profile: exact on hand-made files, and equal to a literal, slow reading of its
definitions (one query per column and statistic, plain regexes, plain try_strptime) on generated
data and on text built to trip the fast paths (byte-mapped shapes, pre-filtered date parsing)."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from orchestration.profile import TRIM_CHARS, profile_raw
from seeds_gen.reference import project_vars


def _parquet(path: Path, columns: dict[str, list[str | None]]) -> Path:
    pq.write_table(pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()}), path)
    return path


SMALL = {
    "city": ["Berlin", "Berlin", " Paris", None, "", "  ", "N/A", "null ", "Bonn", "Amsterdam"],
    "amount": ["10", " 20.5 ", "abc", None, "nan", "1e3", "-5", "", "10", "inf"],
    "day": ["2026-11-23", "23.11.2026", "November 23, 2026", " 03/25/1987 ", "2026-02-30", "x", None,
            "25 Mar 1987", "25 March 1987", "Mar 25, 1987"],
    "nothing": [None] * 10,
}


def test_a_small_file_is_profiled_exactly(tmp_path):
    path = _parquet(tmp_path / "small.parquet", SMALL)
    profile = profile_raw(path)

    assert {k: v for k, v in profile.items() if k != "columns"} == {
        "file_name": "small.parquet", "file_bytes": path.stat().st_size, "row_count": 10, "column_count": 4,
    }
    assert list(profile["columns"]) == list(SMALL)
    assert profile["columns"]["city"] == {
        "null_count": 1,
        "blank_count": 2,  # '' and '  '
        "placeholder_count": 2,  # 'N/A' and 'null ' ('' is a marker too, but blank)
        "null_rate": 0.5,
        "distinct_count": 8,
        "top_values": [  # ties by value, byte order
            {"value": "Berlin", "count": 2}, {"value": "", "count": 1}, {"value": "  ", "count": 1},
            {"value": " Paris", "count": 1}, {"value": "Amsterdam", "count": 1},
        ],
        "length": {"min": 0, "max": 9, "mean": round(41 / 9, 6)},
        "patterns": [
            {"pattern": "AAAAAA", "count": 2}, {"pattern": "", "count": 1}, {"pattern": "  ", "count": 1},
            {"pattern": " AAAAA", "count": 1}, {"pattern": "A/A", "count": 1},
        ],
        "numeric": None,
        "date": None,
    }
    amount = profile["columns"]["amount"]
    missing = (amount["null_count"], amount["blank_count"], amount["placeholder_count"], amount["null_rate"])
    assert missing == (1, 1, 1, 0.3)
    # 'nan' and 'inf' cast to DOUBLE but are not numbers; 'abc' and '' do not cast.
    assert amount["numeric"] == {"parseable_share": round(5 / 9, 6), "min": -5.0, "max": 1000.0, "mean": 207.1}
    assert amount["date"] is None
    day = profile["columns"]["day"]
    # Every format of the date_formats var, padded text too; 2026-02-30 and 'x' are not dates.
    assert day["date"] == {"parseable_share": round(7 / 9, 6), "min": "1987-03-25", "max": "2026-11-23"}
    assert day["numeric"] is None
    assert profile["columns"]["nothing"] == {
        "null_count": 10, "blank_count": 0, "placeholder_count": 0, "null_rate": 1.0, "distinct_count": 0,
        "top_values": [], "length": {"min": None, "max": None, "mean": None}, "patterns": [],
        "numeric": None, "date": None,
    }


def test_an_empty_file_gives_zero_counts(tmp_path):
    profile = profile_raw(_parquet(tmp_path / "empty.parquet", {"a": [], "b": []}))
    assert (profile["row_count"], profile["column_count"]) == (0, 2)
    assert profile["columns"]["a"] == {
        "null_count": 0, "blank_count": 0, "placeholder_count": 0, "null_rate": 0.0, "distinct_count": 0,
        "top_values": [], "length": {"min": None, "max": None, "mean": None}, "patterns": [],
        "numeric": None, "date": None,
    }


def test_shapes_of_non_ascii_text(tmp_path):
    values = ["Müller", "Ærø 12", "東京", "a1-B2", "Ω"]
    patterns = profile_raw(_parquet(tmp_path / "u.parquet", {"v": values}))["columns"]["v"]["patterns"]
    assert {p["pattern"] for p in patterns} == {"AAAAAA", "AAA 99", "AA", "A9-A9", "A"}


def test_typed_values_are_profiled_as_the_models_read_them(tmp_path):
    # a midnight TIMESTAMP export of a date column, and text stored as bytes (macro raw_text)
    path = tmp_path / "typed.parquet"
    pq.write_table(pa.table({
        "date_of_birth": pa.array([datetime(1987, 3, 25), datetime(1990, 1, 2), None], pa.timestamp("us")),
        "last_name": pa.array(["Müller".encode(), b"Zo\xc3\xab", None], pa.binary()),
    }), path)
    columns = profile_raw(path)["columns"]
    assert columns["date_of_birth"]["date"]["parseable_share"] == 1.0, "the dates, not '1987-03-25 00:00:00'"
    assert [v["value"] for v in columns["last_name"]["top_values"]] == ["Müller", "Zoë"], "not M\\xC3\\xBCller"


def test_column_names_that_clash_with_the_profile_sql(tmp_path):
    path = _parquet(tmp_path / "names.parquet", {
        "col": ["a", "b", "a"], "val": ["1", None, "2"], "n": ["x", "x", ""], 'we"ird Col': ["2026-01-01", "N/A", " "],
    })
    _assert_close(profile_raw(path), reference_profile(path))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="nowhere.parquet"):
        profile_raw(tmp_path / "nowhere.parquet")


def test_a_generated_file_matches_the_reference_and_is_json(raw_20k):
    profile = profile_raw(raw_20k / "customers.parquet")
    _assert_close(profile, reference_profile(raw_20k / "customers.parquet"))
    json.dumps(profile, allow_nan=False)
    columns = profile["columns"]
    assert columns["date_of_birth"]["date"]["parseable_share"] > 0.99
    assert columns["annual_income"]["numeric"]["parseable_share"] > 0.99
    assert columns["customer_id"]["patterns"][0]["pattern"] == "A" + "9" * 11


def test_awkward_text_matches_the_reference_value_by_value(tmp_path):
    # One column per value, so a value the fast paths get wrong shows up on its own.
    values = _awkward_values()
    wide = _parquet(tmp_path / "wide.parquet", {f"v{i}": [v] for i, v in enumerate(values)})
    _assert_close(profile_raw(wide), reference_profile(wide))
    long = _parquet(tmp_path / "long.parquet", {"v": values})
    _assert_close(profile_raw(long), reference_profile(long))


def _awkward_values() -> list[str]:
    formats = project_vars()["date_formats"]
    days = [date(1987, 3, 5), date(2026, 11, 23), date(1999, 12, 31), date(2004, 2, 29)]
    dates = [d.strftime(f) for d in days for f in formats]
    mangled = [m for d in dates for m in (
        d.upper(), d.lower(), f" {d} ", f"\t{d}\v", f"\n{d}\r", d.replace(" ", "  "), d.replace(" ", "\t"),
        d.replace(" ", ""), d.replace(",", ""), d.replace("-", "/"), d.replace(".", "-"), d + "x", "x" + d,
        d.replace("0", ""), d[:-1], d + " 12:00",
    )]
    odd = ["2026-02-30", "0000-01-01", "2026-13-01", "31.04.2026", "Sept 5, 2020", "5 sep 2020", "+2020-01-01",
           "20201231", "2020-1-1", "1.1.2020", "Mar5, 2020", "5Mar 2020", "2020 - 01 - 01", "١٢-٠٣-٢٠٢٠"]
    numbers = [" 12 ", "\v12\f", "1e3", "-0", "1_000", "0x10", "+5", ".5", "5.", "1,5", "NaN", "-inf", "1e999",
               "12abc", "٣", "0012", "  -3.25  "]
    text = ["", " ", "\t", "\v", " N/A ", "\tnull\n", "None", "-", "?", "Müller", "C00000000001",
            "ann@example.com", "+44 7700 900123", "(415) 555-0123", "Apt. 5, 3rd floor", "12 Main St"]
    return list(dict.fromkeys(dates + mangled + odd + numbers + text))


def reference_profile(path: Path) -> dict:
    """The profile's definitions, read literally: slow, and obviously right."""
    settings = project_vars()
    con = duckdb.connect()
    con.execute("create table t as select * from read_parquet(?)", [str(path)])
    columns = [d[0] for d in con.execute("select * from t limit 0").description]
    rows = con.execute("select count(*) from t").fetchone()[0]
    params = {"ws": TRIM_CHARS, "markers": [m.lower() for m in settings["null_markers"]],
              "formats": settings["date_formats"]}
    return {
        "file_name": path.name, "file_bytes": path.stat().st_size, "row_count": rows,
        "column_count": len(columns),
        "columns": {c: _reference_column(con, '"' + c.replace('"', '""') + '"', rows, params) for c in columns},
    }


def _reference_column(con: duckdb.DuckDBPyConnection, c: str, rows: int, params: dict) -> dict:
    def used(sql: str) -> dict:  # DuckDB refuses parameters a statement does not use
        return {k: v for k, v in params.items() if f"${k}" in sql}

    def one(sql: str) -> tuple:
        return con.execute(sql, used(sql)).fetchone()

    def many(sql: str) -> list[tuple]:
        return con.execute(sql, used(sql)).fetchall()

    trimmed = f"trim({c}, $ws)"
    nulls, blanks, markers, present, distinct, lmin, lmax, lmean = one(f"""
        select count(*) filter (where {c} is null), count(*) filter (where {trimmed} = ''),
            count(*) filter (where {trimmed} <> '' and list_contains($markers, lower({trimmed}))),
            count({c}), count(distinct {c}), min(length({c})), max(length({c})), avg(length({c}))
        from t""")
    top = many(f"select {c}, count(*) from t where {c} is not null group by 1 order by 2 desc, 1 limit 5")
    shape = f"regexp_replace(regexp_replace({c}, '\\p{{L}}', 'A', 'g'), '[0-9]', '9', 'g')"
    patterns = many(f"select {shape}, count(*) from t where {c} is not null group by 1 order by 2 desc, 1 limit 5")
    numbers = one(f"""
        with x as (select try_cast({trimmed} as double) as x from t)
        select count(x), min(x), max(x), avg(x) from x where isfinite(x)""")
    dates = one(f"""
        with d as (select cast(try_strptime({trimmed}, $formats) as date) as d from t)
        select count(d), min(d)::varchar, max(d)::varchar from d""")
    return {
        "null_count": nulls, "blank_count": blanks, "placeholder_count": markers,
        "null_rate": round((nulls + blanks + markers) / rows, 6) if rows else 0.0,
        "distinct_count": distinct,
        "top_values": [{"value": v, "count": n} for v, n in top],
        "length": {"min": lmin, "max": lmax, "mean": None if lmean is None else round(lmean, 6)},
        "patterns": [{"pattern": p, "count": n} for p, n in patterns],
        "numeric": None if not numbers[0] else {
            "parseable_share": round(numbers[0] / present, 6), "min": numbers[1], "max": numbers[2],
            "mean": numbers[3]},
        "date": None if not dates[0] else {
            "parseable_share": round(dates[0] / present, 6), "min": dates[1], "max": dates[2]},
    }


def _assert_close(actual, expected, where: str = "profile") -> None:
    """Equal, floats to the 6 places the profile rounds to (means are summed in another order)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict) and list(actual) == list(expected), where
        for key in expected:
            _assert_close(actual[key], expected[key], f"{where}.{key}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{where}: {actual} != {expected}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            _assert_close(a, e, f"{where}[{i}]")
    elif isinstance(expected, float) and not isinstance(actual, bool):
        assert isinstance(actual, float) and math.isclose(actual, expected, rel_tol=1e-9, abs_tol=1e-6), \
            f"{where}: {actual!r} != {expected!r}"
    else:
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"


def test_reference_helpers_see_all_formats():
    # The awkward set must exercise every configured format, or the value-by-value test proves little.
    formats = project_vars()["date_formats"]
    values = set(_awkward_values())
    assert all(date(2026, 11, 23).strftime(f) in values for f in formats)
