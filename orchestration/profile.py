"""Profile a raw file before anything trusts it: the seed DAG's `explore_raw_data`.

One scan of the file counts every distinct value of every column (GROUP BY GROUPING SETS, one set
per column). Everything else (blanks, placeholders, lengths, shapes, numbers, dates, top values)
is then computed once per *distinct* value and weighted by its count, so a column with a few
hundred distinct values costs next to nothing however many rows it has. The costly columns are
the near-unique ones (ids, e-mails, phones), which is why the per-value expressions below avoid
regexes and failed parses wherever a cheap test can rule them out.

Definitions: "present" values are the non-NULL ones. A value is blank when only spaces, tabs,
CR and LF remain (the set the dbt clean_text macro trims), and a placeholder when its trimmed,
lower-cased text is one of the `null_markers` var and it is not blank. `parseable_share` is a
share of the present values. Numbers are TRY_CAST(... AS DOUBLE) and finite ('nan' and 'inf'
cast too, but they are placeholders, not numbers); dates parse with any `date_formats` var.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from orchestration import engine
from orchestration.sql import identifier, literal, parquet_types, raw_text
from seeds_gen.reference import project_vars

TOP_N = 5
DIGITS = 6
TRIM_CHARS = " \t\r\n\u00a0"  # as the dbt clean_text macro trims: the no-break space too
# strptime specifiers that consume digits only / ASCII letters only.
_NUMERIC_SPECIFIERS = set("dmYyHIMSjf")
_NAME_SPECIFIERS = set("aAbB")
_SPECIFIER = re.compile(r"%-?(.)")
# Byte map for the shape of pure-ASCII text: letters -> 'A', digits -> '9', the rest kept.
_SHAPE_BYTES = np.arange(256, dtype=np.uint8)
_SHAPE_BYTES[ord("a"):ord("z") + 1] = ord("A")
_SHAPE_BYTES[ord("A"):ord("Z") + 1] = ord("A")
_SHAPE_BYTES[ord("0"):ord("9") + 1] = ord("9")


def profile_raw(path: Path) -> dict:
    """Row and column counts of a Parquet file, and per column: missing values, distinct and
    frequent values, lengths, shapes, and how much of it reads as numbers and as dates."""
    size = path.stat().st_size  # FileNotFoundError rather than DuckDB's vaguer IOException
    settings = project_vars()
    with engine.connect() as con:
        types = dict(parquet_types(con, path))
        columns = list(types)
        rows = con.execute("select count(*) from read_parquet(?)", [str(path)]).fetchone()[0]
        # the values as the models read them (a timestamp in a date column as its date, ...)
        texts = [raw_text(identifier(c), kind, c in settings["raw_customer_date_columns"]) for c, kind in types.items()]
        stats = _column_stats(con, path, texts, settings["null_markers"], settings["date_formats"]) if rows else {}
    return {
        "file_name": path.name,
        "file_bytes": size,
        "row_count": rows,
        "column_count": len(columns),
        "columns": {name: _column_profile(stats.get(i, {}), rows) for i, name in enumerate(columns)},
    }


def _column_stats(con: duckdb.DuckDBPyConnection, path: Path, texts: list[str], markers: list[str],
                  formats: list[str]) -> dict[int, dict]:
    """The aggregates of _stats_sql over the columns' `texts` (SQL), keyed by column position."""
    con.execute(_value_counts_sql(texts), {"path": str(path)})
    ascii_values = con.execute("select col, val, n from value_counts where strlen(val) = length(val)").to_arrow_table()
    con.register("ascii_shapes", ascii_values.append_column("shape", _ascii_shapes(ascii_values["val"])))
    lowered = [m.lower() for m in markers]
    # A character is at most 4 bytes and lowers to at least one, so longer text cannot lower to a marker.
    params = {"trim_chars": TRIM_CHARS, "markers": lowered or [""],  # [] would have no type to bind
              "marker_bytes": 4 * max((len(m.encode()) for m in lowered), default=0)}
    cursor = con.execute(_stats_sql(formats), params)
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


def _value_counts_sql(texts: list[str]) -> str:
    """The one scan of the file: each column's distinct values (NULL too, `texts` the columns as
    text) with their counts."""
    picks = ", ".join(f"{text} as c{i}" for i, text in enumerate(texts))
    which = " ".join(f"when grouping(c{i}) = 0 then {i}" for i in range(len(texts)))
    return f"""
create temp table value_counts as
select case {which} end as col, coalesce({", ".join(f"c{i}" for i in range(len(texts)))}) as val, count(*) as n
from (select {picks} from read_parquet($path))
group by grouping sets ({", ".join(f"(c{i})" for i in range(len(texts)))})
"""


def _stats_sql(formats: list[str]) -> str:
    """Every statistic per column, from value_counts and ascii_shapes (an Arrow table registered
    on the connection). Numbers and dates parse the untrimmed text: DuckDB's cast and strptime
    skip edge whitespace themselves, so the result is that of the trimmed text."""
    regex_shape = "regexp_replace(regexp_replace(val, '\\p{L}', 'A', 'g'), '[0-9]', '9', 'g')"
    return f"""
with shaped as (
    select col, val, n, shape from ascii_shapes
    union all
    select col, val, n, {regex_shape} from value_counts where strlen(val) <> length(val)
),
flagged as (
    select col, val, n, shape,
        {_trim_sql("val")} as t,
        -- Read off the shape, cheaper than a regex. Only the date pre-filter uses has_alpha (any
        -- letter) and has_space (edges too): there, saying yes too often is harmless.
        contains(shape, '9') as has_digit,
        contains(shape, 'A') as has_alpha,
        {_any_whitespace_sql("shape")} as has_space
    from shaped
),
parsed as materialized (
    select col, val, n, shape,
        length(val) as len,
        t = '' as is_blank,
        case when strlen(t) between 1 and $marker_bytes then list_contains($markers, lower(t)) else false end
            as is_placeholder,
        case when has_digit then try_cast(val as double) end as num_any,
        case when isfinite(num_any) then num_any end as num,
        cast({_date_sql("val", formats)} as date) as d
    from flagged
),
stats as (
    select col,
        count(*) as distinct_count,
        sum(n) as present,
        coalesce(sum(n) filter (where is_blank), 0) as blank_count,
        coalesce(sum(n) filter (where is_placeholder), 0) as placeholder_count,
        min(len) as len_min, max(len) as len_max, sum(len * n) / sum(n) as len_mean,
        coalesce(sum(n) filter (where num is not null), 0) as num_count,
        min(num) as num_min, max(num) as num_max,
        sum(num * n) / sum(n) filter (where num is not null) as num_mean,
        coalesce(sum(n) filter (where d is not null), 0) as date_count,
        -- as text: DuckDB's ISO form also covers dates Python's date cannot hold (year 0, BC)
        min(d)::varchar as date_min, max(d)::varchar as date_max,
        min_by({{'value': val, 'count': n}}, (-n, val), {TOP_N}) as top_values
    from parsed
    group by col
),
shapes as (
    select col, shape, sum(n) as n from parsed group by col, shape
),
patterns as (
    select col, min_by({{'pattern': shape, 'count': n}}, (-n, shape), {TOP_N}) as patterns
    from shapes
    group by col
),
nulls as (
    select col, n as null_count from value_counts where val is null
)
select *
from stats
full join nulls using (col)
left join patterns using (col)
"""


def _trim_sql(column: str) -> str:
    """trim(column, TRIM_CHARS), run only on text with whitespace at an edge: trim with a
    character set costs more than the edge tests, and most text has nothing to trim."""
    edge = " or ".join(f"prefix({column}, chr({ord(c)})) or suffix({column}, chr({ord(c)}))" for c in TRIM_CHARS)
    return f"case when {edge} then trim({column}, $trim_chars) else {column} end"


def _any_whitespace_sql(column: str) -> str:
    """Contains any whitespace strptime accepts for a space, as substring tests (a regex costs more)."""
    return "(" + " or ".join(f"contains({column}, chr({ord(c)}))" for c in " \t\n\v\f\r") + ")"


def _ascii_shapes(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """Letters -> 'A', digits -> '9' for pure-ASCII text. regexp_replace costs seconds per million
    values and a Python UDF ~0.5 ms per 2048-value call; mapping the bytes of whole Arrow buffers
    costs milliseconds, and a byte-for-byte map keeps the offsets valid."""
    return pa.chunked_array([_map_bytes(chunk.cast(pa.string())) for chunk in values.chunks], type=pa.string())


def _map_bytes(values: pa.Array) -> pa.Array:
    validity, offsets, data = values.buffers()
    mapped = _SHAPE_BYTES[np.frombuffer(data, dtype=np.uint8)] if data is not None else np.empty(0, np.uint8)
    return pa.Array.from_buffers(pa.string(), len(values), [validity, offsets, pa.py_buffer(mapped)],
                                 offset=values.offset)


def _date_sql(column: str, formats: list[str]) -> str:
    """What try_strptime(column, [formats]) returns: the first format that parses. A failed
    try_strptime costs ~0.25 us, so each format is only tried on text that could match it."""
    if not formats:
        return "null::timestamp"
    tries = [f"case when {_could_match(column, f)} then try_strptime({column}, {literal(f)}) end" for f in formats]
    return f"coalesce({', '.join(tries)})"


def _could_match(column: str, fmt: str) -> str:
    """A necessary condition for `fmt` to parse the text, cheapest tests first. strptime matches
    a format's punctuation verbatim, needs whitespace for a space, a digit for a number and a
    letter for a month or day name, and a format made of numbers and punctuation leaves nothing
    to match a letter. Letters in the format itself are left alone (their case rules are
    DuckDB's). tests/test_profile.py checks this against plain try_strptime on awkward text."""
    specifiers = {m.group(1) for m in _SPECIFIER.finditer(fmt)}
    fixed_text = _SPECIFIER.sub(lambda m: "%" if m.group(1) == "%" else "", fmt)
    conditions = []
    if specifiers & _NUMERIC_SPECIFIERS:
        conditions.append("has_digit")
    if specifiers & _NAME_SPECIFIERS:
        conditions.append("has_alpha")
    elif specifiers <= _NUMERIC_SPECIFIERS and not any(c.isalpha() for c in fixed_text):
        conditions.append("not has_alpha")
    if any(c.isspace() for c in fixed_text):
        conditions.append("has_space")
    for char in sorted({c for c in fixed_text if not (c.isspace() or c.isalpha())}):
        conditions.append(f"contains({column}, {literal(char)})")
        if (times := fixed_text.count(char)) > 1:
            needed = times * len(char.encode())
            conditions.append(f"strlen({column}) - strlen(replace({column}, {literal(char)}, '')) >= {needed}")
    return " and ".join(conditions) or "true"


def _column_profile(stats: dict, rows: int) -> dict:
    nulls, blanks, placeholders = (stats.get(k) or 0 for k in ("null_count", "blank_count", "placeholder_count"))
    present = stats.get("present") or 0
    return {
        "null_count": nulls,
        "blank_count": blanks,
        "placeholder_count": placeholders,
        "null_rate": _round((nulls + blanks + placeholders) / rows) if rows else 0.0,
        "distinct_count": stats.get("distinct_count") or 0,
        "top_values": stats.get("top_values") or [],
        "length": {"min": stats.get("len_min"), "max": stats.get("len_max"), "mean": _round(stats.get("len_mean"))},
        "patterns": stats.get("patterns") or [],
        "numeric": _numeric(stats, present),
        "date": _date(stats, present),
    }


def _numeric(stats: dict, present: int) -> dict | None:
    if not stats.get("num_count"):
        return None
    return {
        "parseable_share": _round(stats["num_count"] / present),
        "min": _round(stats["num_min"]),
        "max": _round(stats["num_max"]),
        "mean": _round(stats["num_mean"]),
    }


def _date(stats: dict, present: int) -> dict | None:
    if not stats.get("date_count"):
        return None
    return {
        "parseable_share": _round(stats["date_count"] / present),
        "min": stats["date_min"],
        "max": stats["date_max"],
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), DIGITS)
