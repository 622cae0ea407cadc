"""What a daily run reads: the run date's raw files as a source system delivered them, as --input
ingested them, or as the generator writes them where nothing was delivered; and what the user
must hear about them (schema drift, typed columns, made-up data beside real data)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from orchestration import engine
from orchestration.ingest import IngestError, UnreadableParquet, check_delivered, ingest
from orchestration.sales import window_days, window_start
from orchestration.sql import parquet_types
from seeds_gen.files import read_manifest, sha256_of
from seeds_gen.generator import CUSTOMERS_FILE, MANIFEST_FILE, GenerateRequest, generate_customers
from seeds_gen.reference import project_vars
from seeds_gen.transactions import MANIFEST_FILE as TRANSACTIONS_MANIFEST_FILE
from seeds_gen.transactions import (
    PRODUCTS_FILE,
    STORES_FILE,
    TRANSACTIONS_FILE,
    TransactionsRequest,
    generate_transactions,
)

if TYPE_CHECKING:
    from orchestration.daily import Run


class RawFileMissing(Exception):
    """--no-generate, and the run date has no raw customers file, or one not readable yet: retried,
    as a delivery may be late, or still being copied in place."""


def delivered_customers(raw_dir: Path, generate: bool = True) -> dict | None:
    """The run's source when the run date's raw customers file was not generated here (a source
    system delivered it, or an earlier --input run ingested it), or when the run may not generate
    (`generate` false, --no-generate): a run processes it as it is, never generates over it. None:
    there is no file, or it was generated, and the run generates the day."""
    _refuse_sales_files_not_read(raw_dir)
    raw = raw_dir / CUSTOMERS_FILE
    if not raw.exists():
        others = sorted(raw_dir.glob("customers.*"))  # e.g. a CSV export dropped in by a source system
        if others:
            raise IngestError(f"{others[0]}: the models read {CUSTOMERS_FILE} only, and generated customers would "
                              f"take this file's place; ingest it with --input {others[0]}")
        if not generate:
            raise RawFileMissing(f"raw file not found: {raw} (--no-generate: nothing is generated in its place)")
        return None
    if generate and _generated_here(raw_dir, MANIFEST_FILE, CUSTOMERS_FILE):
        return None
    try:
        extra, typed = check_delivered(raw)
    except UnreadableParquet as exc:
        if generate:
            raise
        raise RawFileMissing(f"{exc} (--no-generate: a delivery still being written is looked for again)") from exc
    return {"kind": "input", "path": str(raw), "sha256": sha256_of(raw), "extra_columns": extra,
            "typed_columns": typed}


# What generating a day writes beside its customers, vouched for by the transactions generator's manifest.
GENERATED_SALES_FILES = (TRANSACTIONS_FILE, PRODUCTS_FILE, STORES_FILE)


def _refuse_sales_files_not_read(raw_dir: Path) -> None:
    """A day's sales delivered in another format than the Parquet the models read (a CSV export)
    would be passed over in silence, the day loaded without them: IngestError names the file."""
    for name in GENERATED_SALES_FILES:
        wanted = raw_dir / name
        others = sorted(p for p in raw_dir.glob(f"{wanted.stem}.*") if p.suffix != wanted.suffix)
        if others and not wanted.exists():
            raise IngestError(f"{others[0]}: the models read {name} only (Parquet, the raw contract's columns "
                              f"as text); convert it, e.g. duckdb -c \"copy (from read_csv('{others[0]}', "
                              f"all_varchar = true)) to '{wanted}'\"")


def _generated_here(raw_dir: Path, manifest_name: str, name: str, exact: bool = True) -> bool:
    """Whether raw_dir/name is what seeds_gen wrote there: its manifest vouches for it, byte for byte
    (`exact`), or by its size, for a warning that must not hash a week of files on every run."""
    manifest = read_manifest(raw_dir / manifest_name)
    recorded = manifest.get("files", {}).get(name, {})
    path = raw_dir / name
    return manifest.get("generator") == "seeds_gen" and path.exists() and (
        recorded.get("sha256") == sha256_of(path) if exact else recorded.get("bytes") == path.stat().st_size)


def _check_nothing_delivered(raw_dir: Path) -> None:
    """A day is generated only where nothing was delivered: generating writes its customers (which
    delivered_customers found absent or generated) and GENERATED_SALES_FILES, and a raw input is
    never written over. IngestError names the file that was not generated here, or the customers
    file an earlier --input run ingested and that is gone (a delivery that is late or lost must
    not be replaced by made-up customers)."""
    for name in GENERATED_SALES_FILES:
        path = raw_dir / name
        if path.exists() and not _generated_here(raw_dir, TRANSACTIONS_MANIFEST_FILE, name):
            raise IngestError(f"{path} was not generated here, and generating the day's data would write over it: "
                              f"deliver the day's customers as {raw_dir / CUSTOMERS_FILE} (or ingest them with "
                              f"--input), or move {name} out of {raw_dir} to generate the day")
    ingested_from = read_manifest(raw_dir / MANIFEST_FILE).get("source")
    if ingested_from and not (raw_dir / CUSTOMERS_FILE).exists():
        raise IngestError(f"raw file not found: {raw_dir / CUSTOMERS_FILE}, which {raw_dir / MANIFEST_FILE} says "
                          f"was ingested from {ingested_from}: ingest it again with --input, or remove the manifest "
                          "to generate the day")


def _warn_of_drift(run: Run, source: Path | str, extra_columns: list[str]) -> None:
    if extra_columns:  # in the printed summary and logs/etl_<stamp>.json
        run.warnings.append(f"schema drift: {source} has columns the raw contract does not know, ignored: "
                            + ", ".join(extra_columns))


def _warn_of_types(run: Run, source: Path | str, typed_columns: dict[str, str], how: str, note: str = "") -> None:
    if typed_columns:  # the raw contract is text
        run.warnings.append(f"{source} has typed columns, {how}: "
                            + ", ".join(f"{column} ({kind})" for column, kind in typed_columns.items())
                            + (f"; {note}" if note else ""))


def _say_nothing_generated(run: Run) -> None:
    """Customers not generated here: neither are the transactions (they buy from generated
    customers), so the generator's options (--rows, --seed, --transactions, ...) do not apply.
    Made-up sales the generator left in the window would be loaded beside them: warned."""
    sales = run.raw_dir / TRANSACTIONS_FILE
    run.console.print("nothing generated: the generator's options do not apply, and the run loads the raw "
                      + (f"transactions already in {run.raw_dir}" if sales.exists()
                         else f"transactions of the window's other days (none in {run.raw_dir})"))
    first = window_start(run.options.run_date, window_days(run.options.window_days))
    made_up = [day for day in _raw_days(run) if first.isoformat() <= day.name <= run.options.run_date.isoformat()
               and _generated_here(day, TRANSACTIONS_MANIFEST_FILE, TRANSACTIONS_FILE, exact=False)]
    if made_up:
        run.warnings.append("the load window holds transactions the generator made up (synthetic sales), loaded "
                            "beside these customers: " + ", ".join(str(day / TRANSACTIONS_FILE) for day in made_up)
                            + "; delete them if your data is real")


def _warn_if_generated_beside_real(run: Run) -> None:
    """Generating a day where other days hold a source's own customers mixes made-up data into
    real history (a backfill, or a daily run that forgot --input): warned, naming those days."""
    real = [day.name for day in _raw_days(run) if day != run.raw_dir and (day / CUSTOMERS_FILE).exists()
            and not _generated_here(day, MANIFEST_FILE, CUSTOMERS_FILE, exact=False)]
    if real:
        named = ", ".join(real[:3]) + (", ..." if len(real) > 3 else "")
        run.warnings.append(f"generated made-up customers and sales for {run.options.run_date} in a data directory "
                            f"that holds your own customer files (raw/ of {named}): give your file with --input, or "
                            "run with --no-generate where a source system delivers")


def warn_of_typed_sales(run: Run) -> None:
    """The raw contract is text: the run date's sales file with typed columns is read as text as the
    models read it, and warned of. An instant with a time zone (TIMESTAMP WITH TIME ZONE, as pandas
    writes a zoned column) is read at UTC: the zone a writer declares is Arrow metadata, which the
    models do not read, so those sales' dates and hours are UTC's, not the stores'."""
    path = run.raw_dir / TRANSACTIONS_FILE
    if not path.exists():
        return
    contract = project_vars()["raw_transaction_columns"]
    with engine.connect() as con:
        typed = {column: kind for column, kind in parquet_types(con, path) if column in contract and kind != "VARCHAR"}
    zoned = [column for column, kind in typed.items() if kind.startswith("TIMESTAMP WITH TIME ZONE")]
    _warn_of_types(run, path, typed, "read as text", note=(
        f"{', '.join(zoned)} holds instants, read at UTC: its sales' dates and hours are UTC's, not their stores' "
        "(write the store's time with its offset as text, e.g. 2026-11-23T21:30:00-05:00, to keep them)"
        if zoned else ""))


def _raw_days(run: Run) -> list[Path]:
    return sorted(day for day in run.raw_dir.parent.iterdir() if day.is_dir())


def as_delivered(run: Run, delivered: dict) -> dict:
    """The run's source: the delivered file, as delivered_customers found it, with what the
    user should know about it said."""
    why = "--no-generate" if not run.options.generate else "it was not generated here"
    run.console.print(f"processing {delivered['path']} as it is ({why}; --input ingests another file)")
    _warn_of_drift(run, delivered["path"], delivered["extra_columns"])
    _warn_of_types(run, delivered["path"], delivered.pop("typed_columns"),  # a warning, not a report field
                   "read as text as --input reads them (a timestamp in a date column as its date)")
    _say_nothing_generated(run)
    return delivered


def land_raw(run: Run) -> dict:
    """Ingest --input, or generate the day's customers and transactions."""
    options = run.options
    if options.input:
        _refuse_sales_files_not_read(run.raw_dir)
        manifest = ingest(options.input, run.raw_dir)
        _warn_of_drift(run, options.input, manifest["extra_columns"])
        _warn_of_types(run, options.input, manifest["converted_columns"], "read as text")
        _say_nothing_generated(run)
        return {"kind": "input", "path": str(options.input.resolve()), "sha256": manifest["source_sha256"],
                "extra_columns": manifest["extra_columns"]}
    _check_nothing_delivered(run.raw_dir)
    generate_customers(GenerateRequest(options.data_dir, options.run_date, rows=options.rows, seed=options.seed,
                                       defect_rate=options.defect_rate, overwrite=True))
    # Transactions buy from the clean customers of the same file: same rows, seed and defect rate.
    generate_transactions(TransactionsRequest(
        options.data_dir, options.run_date, rows=options.transactions, products=options.products,
        stores=options.stores, customer_rows=options.rows, seed=options.seed,
        defect_rate=options.transaction_defect_rate, customer_defect_rate=options.defect_rate, overwrite=True))
    _warn_if_generated_beside_real(run)
    return {"kind": "generated", "seed": options.seed, "rows": options.rows, "defect_rate": options.defect_rate}
