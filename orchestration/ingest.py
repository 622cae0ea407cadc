"""Land the user's own raw customers file where the generator would have written one.

The source (Parquet, or CSV with a header row) must carry every column of the raw contract
(docs/raw_contract.md, `seeds_gen.customers.RAW_COLUMNS`). Column names match exactly, case and
spaces included: `Email` or `email ` is not `email`, because guessing which column was meant
would hide a broken export. Extra columns are dropped and listed in the manifest. The output,
`<raw_dir>/customers.parquet`, has exactly the contract's columns in contract order, all VARCHAR,
rows in source order (a typed Parquet column is read as text: numbers and booleans as DuckDB
writes them, dates as ISO dates, a timestamp in a date column as its date in UTC; a nested
column is refused); `<raw_dir>/_manifest.json` records where it came from. Both are written
to a temporary file in raw_dir and moved into place, so a reader never sees half a file, and an
existing pair for the same run date is replaced (re-ingesting a date is idempotent).

CSV is read as written: RFC 4180 dialect (comma, double quotes, "" escapes a quote), UTF-8,
no trimming, every value text, and an empty field is the empty string, never NULL (DuckDB's
`force_not_null`; a CSV has no NULL, and '' is for the pipeline's rules to judge). The dialect
is fixed rather than sniffed: a sniffer that meets a malformed row guesses another dialect
instead of reporting the row.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from orchestration import engine
from orchestration.sql import identifier, parquet_types, raw_text
from seeds_gen.customers import RAW_COLUMNS
from seeds_gen.files import sha256_of, staged
from seeds_gen.generator import CUSTOMERS_FILE, DEFECTS_FILE, MANIFEST_FILE
from seeds_gen.reference import project_vars

FORMATS = {".parquet": "parquet", ".pq": "parquet", ".csv": "csv"}
_CSV_LINE = re.compile(r"CSV Error on Line: (\d+)")


class IngestError(Exception):
    """The source cannot become the raw customers file; the message names the file and why."""


class UnreadableParquet(IngestError):
    """Not a readable Parquet file: broken, or still being written by whoever delivers it."""


def ingest(source: Path, raw_dir: Path) -> dict:
    """Validate `source` against the raw contract, write raw_dir/customers.parquet and
    raw_dir/_manifest.json, and return the manifest."""
    kind = _format(source)
    if source.is_dir():
        raise IngestError(f"{source}: is a directory; give the file")
    if not source.is_file():
        raise IngestError(f"{source}: no such file")
    target = raw_dir / CUSTOMERS_FILE
    if target.exists() and target.resolve() == source.resolve():
        raise IngestError(f"{source}: is the output file itself; ingest from a copy elsewhere")
    try:
        digest = sha256_of(source)  # before reading, so the manifest describes no later version of the file
    except OSError as exc:  # e.g. no read permission: waiting and retrying will not help
        raise IngestError(f"{source}: cannot read the file: {exc.strerror}") from exc
    names, types, relation = _csv_source(source) if kind == "csv" else _parquet_source(source)
    extra = _check_columns(source, names, kind)
    stored = _stored_types(source, kind, names)
    picks, converted = _text_columns(source, kind, names, types, stored)
    _check_utf8(source, names, stored)
    raw_dir.mkdir(parents=True, exist_ok=True)
    rows = _write_customers(source, kind, picks, relation, target)
    # Ground truth left by generated data on this date does not describe the user's file.
    (raw_dir / DEFECTS_FILE).unlink(missing_ok=True)
    manifest = {
        "entity": "customers",
        "source": str(source.absolute()),  # the later messages that name it may run elsewhere
        "source_sha256": digest,
        "rows": rows,
        "columns": list(RAW_COLUMNS),
        "extra_columns": extra,
        "converted_columns": converted,
    }
    with staged(raw_dir / MANIFEST_FILE) as tmp:
        tmp.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def check_delivered(raw: Path) -> tuple[list[str], dict[str, str]]:
    """A raw customers file a source system put in raw/<date>/ itself: readable Parquet with every
    contract column, none of them nested, or IngestError naming the file and what is wrong (not a
    retry later, nor DuckDB's SQL). Returns its extra columns (schema drift) and its typed
    contract columns with their types: the models read them as text as --input would (macro
    raw_text; the raw file is never rewritten)."""
    names, types, _ = _parquet_source(raw)
    extra = _check_columns(raw, names)
    stored = _stored_types(raw, "parquet", names)
    _, typed = _text_columns(raw, "parquet", names, types, stored)
    _check_utf8(raw, names, stored)
    return extra, typed


def _format(source: Path) -> str:
    kind = FORMATS.get(source.suffix.lower())
    if kind is None:
        accepted = ", ".join(FORMATS)
        raise IngestError(f"{source}: unsupported file type {source.suffix or '(none)'!r}; accepted: {accepted}")
    return kind


def _csv_source(source: Path) -> tuple[list[str], list[pa.DataType], str]:
    """The header's names, and a DuckDB relation over the data rows. Python's csv module reads the
    header so names stay exact (DuckDB treats identifiers case-insensitively and renames
    duplicates); DuckDB reads the rows into positional columns c0, c1, ..."""
    try:
        with source.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle, strict=True), None)
    except UnicodeDecodeError as exc:  # Python decodes ahead of the header: the bad bytes may be lines further
        raise IngestError(f"{source}: line {_first_line_not_utf8(source)} is not UTF-8 text ({exc.reason}); "
                          "save the file as UTF-8") from exc
    except csv.Error as exc:
        raise IngestError(f"{source}: malformed CSV header at line 1: {exc}") from exc
    if not header:
        raise IngestError(f"{source}: empty file; a CSV needs a header row naming the columns")
    positions = [f"c{i}" for i in range(len(header))]
    columns = "{" + ", ".join(f"'{p}': 'VARCHAR'" for p in positions) + "}"
    relation = (
        f"read_csv($path, header = true, auto_detect = false, columns = {columns}, all_varchar = true, "
        f"delim = ',', quote = '\"', escape = '\"', encoding = 'utf-8', strict_mode = true, "
        f"force_not_null = [{', '.join(repr(p) for p in positions)}])"
    )
    return header, [pa.string()] * len(header), relation


def _first_line_not_utf8(source: Path) -> int | None:
    """The 1-based number of the file's first line that does not decode as UTF-8 (a line break is
    one byte in UTF-8, so no character spans two lines)."""
    with source.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                return number
    return None


def _parquet_source(source: Path) -> tuple[list[str], list[pa.DataType], str]:
    """The file's top-level column names, exactly as stored, their types, and a relation over it."""
    try:
        schema = pq.read_schema(source)
    except (pa.ArrowException, OSError) as exc:
        raise UnreadableParquet(f"{source}: not a readable Parquet file: {exc}") from exc
    return schema.names, list(schema.types), "read_parquet($path)"


def _check_columns(source: Path, names: list[str], kind: str = "parquet") -> list[str]:
    """The extra columns; IngestError when a contract column is missing or ambiguous."""
    missing = [c for c in RAW_COLUMNS if c not in names]
    if missing:
        delimiter = next((d for d in ";\t|" if d in names[0]), None) if kind == "csv" and len(names) == 1 else None
        if delimiter:
            raise IngestError(f"{source}: the header is one column holding {delimiter!r}: the file looks "
                              f"{delimiter!r}-separated, and only comma-separated CSV is read; export it with commas")
        raise IngestError(f"{source}: missing contract column(s) {', '.join(missing)} "
                          f"(names match exactly, case included); the file has: {', '.join(map(repr, names))}")
    repeated = [c for c in RAW_COLUMNS if names.count(c) > 1]
    if repeated:
        raise IngestError(f"{source}: contract column(s) {', '.join(repeated)} appear more than once")
    return [n for n in names if n not in RAW_COLUMNS]


def _stored_types(source: Path, kind: str, names: list[str]) -> list[str]:
    """The columns' DuckDB types, by position (a CSV holds text only)."""
    if kind == "csv":
        return ["VARCHAR"] * len(names)
    with engine.connect() as con:
        return [column_type for _, column_type in parquet_types(con, source)]


def _text_columns(source: Path, kind: str, names: list[str], types: list[pa.DataType],
                  stored: list[str]) -> tuple[str, dict[str, str]]:
    """The select list turning the contract columns, by position, into text as the models' raw
    views do (sql.raw_text, from the DuckDB types `stored`), and the typed ones among them with
    their Arrow `types` (the raw contract is text; a typed export is read as text the rules
    parse). A nested column has no such text: IngestError names it."""
    picks, converted = [], {}
    date_columns = project_vars()["raw_customer_date_columns"]  # the models' raw views' (macro raw_text)
    for column in RAW_COLUMNS:
        position = names.index(column)
        kind_of = types[position]
        if pa.types.is_nested(kind_of):
            raise IngestError(f"{source}: column {column} is {kind_of}, a nested type; the raw contract wants "
                              "text (or a number, boolean or date read as text)")
        if stored[position] != "VARCHAR":  # a pandas categorical of text is text
            converted[column] = str(kind_of)
        text = raw_text(_source_column(kind, position), stored[position], column in date_columns)
        picks.append(f"{text} as {identifier(column)}")
    return ", ".join(picks), converted


def _check_utf8(source: Path, names: list[str], stored: list[str]) -> None:
    """A contract column stored as bytes (Parquet BINARY without its UTF-8 annotation, as some
    writers store text) must hold UTF-8 text: IngestError names the first such column (in
    contract order) and its first row (0-based) that does not, instead of DuckDB's complaint
    about the whole file. One scan of the file for all of them."""
    columns = [c for c in RAW_COLUMNS if stored[names.index(c)] == "BLOB"]
    if not columns:
        return
    first_bad = ", ".join(
        f"min(file_row_number) filter (where {value} is not null and try(decode({value})) is null)"
        for value in (_source_column("parquet", names.index(c)) for c in columns))
    with engine.connect() as con:
        rows = con.execute(f"select {first_bad} from read_parquet($path, file_row_number = true)",
                           {"path": str(source)}).fetchone()
    for column, row in zip(columns, rows, strict=True):
        if row is not None:
            raise IngestError(f"{source}: column {column}, row {row} (0-based): not UTF-8 text; "
                              "the raw contract wants text in UTF-8")


def _write_customers(source: Path, kind: str, picks: str, relation: str, target: Path) -> int:
    """Copy the contract columns (`picks`, from _text_columns) into target; returns the row count."""
    with staged(target) as tmp, engine.connect() as con:
        try:
            # use_tmp_file false: tmp is already a private temporary file, and DuckDB's own
            # tmp_<name> sibling would be left behind when the read fails.
            written = con.execute(f"copy (select {picks} from {relation}) to $tmp (format parquet, use_tmp_file false)",
                                  {"path": str(source), "tmp": str(tmp)}).fetchone()
        except duckdb.Error as exc:
            raise _read_error(source, kind, exc) from exc
    return written[0]


def _source_column(kind: str, position: int) -> str:
    # Positional, never by name: DuckDB would match `Email` to `email`.
    return f"c{position}" if kind == "csv" else f"#{position + 1}"


def _read_error(source: Path, kind: str, exc: duckdb.Error) -> IngestError:
    """DuckDB's complaint, cut to what helps: the line it names and what is wrong there."""
    message = str(exc).split("Possible fix", 1)[0].split("Possible Solution", 1)[0]
    detail = " ".join(_CSV_LINE.sub("", message.replace("Invalid Input Error:", "")).split())
    if len(detail) > 300:
        detail = detail[:297] + "..."
    record = _CSV_LINE.search(message)
    if kind == "csv" and record:
        line = _line_of_record(source, int(record.group(1)))
        where = f"line {line}" if line else f"record {record.group(1)} (the header is record 1)"
        return IngestError(f"{source}: malformed CSV at {where}: {_csv_reason(message)}")
    return IngestError(f"{source}: cannot read the {kind.upper()} file: {detail}")


def _csv_reason(message: str) -> str:
    """What DuckDB says is wrong with a CSV row, without the row: it quotes the row first
    ("Original Line: ...", which may span lines and be megabytes long, and holds the customer's
    personal data), then gives the reason on the last line."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    reason = lines[-1] if lines else ""
    return reason if reason and not reason.startswith(("Original Line:", "Invalid Input Error:")) else "unreadable row"


def _line_of_record(source: Path, record: int) -> int | None:
    """The line of the file (1-based) where CSV record `record` starts. DuckDB's 'Line' counts
    records, header included, so it misses by one for every line break inside a quoted value
    above the bad row. None when the records before it do not read either."""
    with source.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            for _ in range(record - 1):
                next(reader)
        except (csv.Error, StopIteration, UnicodeDecodeError):
            return None
        return reader.line_num + 1
