"""Write one run date's raw customers, its ground truth and its manifest."""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from seeds_gen import __version__
from seeds_gen.customers import (
    EPOCH,
    GENERATIONS_PER_SLOT,
    RAW_COLUMNS,
    World,
    build_clean,
    customer_numbers,
)
from seeds_gen.defects import (
    ALL_DEFECT_TYPES,
    Context,
    Injected,
    corrupt_record,
    reenter,
)
from seeds_gen.files import sha256_of, staged
from seeds_gen.keyed_random import KeyedRandom
from seeds_gen.parallel import map_ordered
from seeds_gen.reference import countries

CUSTOMERS_FILE = "customers.parquet"
DEFECTS_FILE = "_defects.parquet"
MANIFEST_FILE = "_manifest.json"
# Fixed, so that row order (and so source_row_number) never depends on a tuning knob.
CHUNK_SLOTS = 100_000
DUPLICATE_SHARE = 0.06  # of defective records, for each of exact duplicates and re-entries
DEFECTS_PER_RECORD = {1: 0.80, 2: 0.16, 3: 0.04}

CLEAN, DEFECTIVE, EXACT_DUPLICATE, REENTERED = 0, 1, 2, 3

RAW_SCHEMA = pa.schema([(name, pa.string()) for name in RAW_COLUMNS])
DEFECTS_SCHEMA = pa.schema([
    ("source_row_number", pa.int64()), ("customer_id", pa.string()), ("column_name", pa.string()),
    ("defect_type", pa.string()), ("clean_value", pa.string()), ("dirty_value", pa.string()),
    ("expected_handling", pa.string()),
])


class GeneratorError(Exception):
    """A problem with the request (arguments, output location), reported in one line."""


@dataclass(frozen=True)
class GenerateRequest:
    out_dir: Path
    run_date: date
    rows: int = 3_500
    seed: int = 42
    defect_rate: float = 0.08
    overwrite: bool = False
    progress: bool = False

    @property
    def raw_dir(self) -> Path:
        return self.out_dir / "raw" / self.run_date.isoformat()


def record_kinds(kr: KeyedRandom, cust: np.ndarray, defect_rate: float) -> np.ndarray:
    """Each customer's fate, keyed by identity so a bad record stays bad day after day.

    Duplicates add a row, so the probabilities are solved for `defect_rate` of *rows*.
    """
    dup = DUPLICATE_SHARE * defect_rate
    defective = defect_rate * (1 + 2 * dup) - 2 * dup
    u = kr.uniform("record.kind", cust)
    return np.select([u < dup, u < 2 * dup, u < 2 * dup + defective],
                     [EXACT_DUPLICATE, REENTERED, DEFECTIVE], CLEAN)


def plan_slots(kr: KeyedRandom, rows: int, day: int, defect_rate: float) -> np.ndarray:
    """The record kind of every slot needed so that slots plus duplicates make exactly `rows`."""
    cust, _ = customer_numbers(kr, np.arange(rows), day)
    kinds = record_kinds(kr, cust, defect_rate)
    produced = np.cumsum(1 + (kinds >= EXACT_DUPLICATE))
    slots = int(np.searchsorted(produced, rows, side="right"))
    if slots < rows and (slots == 0 or produced[slots - 1] < rows):
        kinds[slots] = CLEAN  # one row short: the next slot comes without its duplicate
        slots += 1
    return kinds[:slots]


def defect_counts(kr: KeyedRandom, cust: np.ndarray) -> np.ndarray:
    return 1 + kr.weighted("record.defect_count", cust, list(DEFECTS_PER_RECORD.values()))


@dataclass
class Chunk:
    slots: int
    table: pa.Table
    truth: pa.Table  # source_row_number counts from the chunk's first row


def _replace_rows(table: pa.Table, rows: list[int], records: list[dict[str, str | None]]) -> pa.Table:
    mask = np.zeros(table.num_rows, dtype=bool)
    mask[rows] = True
    return pa.table({
        c: pc.replace_with_mask(table[c].combine_chunks(), pa.array(mask),
                                pa.array([r[c] for r in records], pa.string()))
        for c in RAW_COLUMNS
    }, schema=RAW_SCHEMA)


def build_chunk(kr: KeyedRandom, request: GenerateRequest, world: World, first_slot: int,
                kinds: np.ndarray) -> Chunk:
    day = (request.run_date - EPOCH).days
    slots = np.arange(first_slot, first_slot + len(kinds))
    table, cust = build_clean(kr, world, slots, day)
    rng_seeds = kr.bits("record.rng", cust).tolist()
    refs = countries()
    counts = defect_counts(kr, cust).tolist()

    truth: list[tuple[int, str, Injected]] = []
    defective = np.flatnonzero(kinds == DEFECTIVE).tolist()
    records = table.take(pa.array(defective, pa.int64())).to_pylist()
    for i, row in zip(defective, records, strict=True):
        rng = random.Random(rng_seeds[i])
        ctx = Context(dict(row), refs[row["country"]], request.run_date, rng, world.postal_codes)
        truth.extend((i, row["customer_id"], inj) for inj in corrupt_record(row, ctx, counts[i]))
    if defective:
        table = _replace_rows(table, defective, records)

    # Duplicate rows land a little after their original, as a second sign-up would.
    duplicated = np.flatnonzero(kinds >= EXACT_DUPLICATE).tolist()
    copies = table.take(pa.array(duplicated, pa.int64())).to_pylist()
    sort_keys = list(map(float, range(table.num_rows)))
    for i, row in zip(duplicated, copies, strict=True):
        rng = random.Random(rng_seeds[i])
        if kinds[i] == EXACT_DUPLICATE:
            injected = [Injected(None, "exact_duplicate", None, None, "deduplicate")]
        else:
            new_number = int(slots[i]) * GENERATIONS_PER_SLOT + GENERATIONS_PER_SLOT - 1
            injected = reenter(row, f"C{new_number:011d}", rng)
        truth.extend((len(sort_keys), row["customer_id"], inj) for inj in injected)
        sort_keys.append(i + rng.randint(1, 40) - 0.5)

    combined = pa.concat_tables([table, pa.Table.from_pylist(copies, schema=RAW_SCHEMA)])
    order = np.argsort(np.array(sort_keys), kind="stable")
    position = np.empty_like(order)
    position[order] = np.arange(len(order))
    truth = [(int(position[i]), cid, inj) for i, cid, inj in truth]
    truth.sort(key=lambda t: (t[0], t[2].column_name or ""))
    return Chunk(len(kinds), combined.take(pa.array(order)), _truth_table(truth))


def prepare_output(raw_dir: Path, files: tuple[str, ...], overwrite: bool) -> None:
    """Create the run date's raw directory; refuse to replace `files` unless asked."""
    try:
        raw_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GeneratorError(f"cannot create output directory {raw_dir}: {exc.strerror}") from exc
    if not os.access(raw_dir, os.W_OK):
        raise GeneratorError(f"output directory {raw_dir} is not writable")
    existing = [n for n in files if (raw_dir / n).exists()]
    if existing and not overwrite:
        raise GeneratorError(f"{raw_dir / existing[0]} already exists; pass --overwrite to replace it")


def progress_bar(label: str, total: int, enabled: bool):
    """A rich progress bar (and its task) that disappears when done; inert unless `enabled`."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    progress = Progress("[progress.description]{task.description}", BarColumn(),
                        MofNCompleteColumn(), TimeElapsedColumn(), transient=True, disable=not enabled)
    return progress, progress.add_task(label, total=total)


@cache
def _world(seed: int) -> World:
    """The Faker pools every day of `seed` draws from (~0.7 s of CPU), built once per process: a
    backfill generates all its days from one."""
    return World.build(countries(), seed)


def generate_customers(request: GenerateRequest) -> dict:
    """Generate the run date's raw files and return the manifest."""
    prepare_output(request.raw_dir, (CUSTOMERS_FILE, DEFECTS_FILE), request.overwrite)
    kr = KeyedRandom(request.seed)
    day = (request.run_date - EPOCH).days
    kinds = plan_slots(kr, request.rows, day, request.defect_rate)
    world = _world(request.seed)

    raw_path, truth_path = request.raw_dir / CUSTOMERS_FILE, request.raw_dir / DEFECTS_FILE
    truth_tables: list[pa.Table] = []
    rows_written = 0
    progress, task = progress_bar(f"customers {request.run_date}", len(kinds), request.progress)
    starts = range(0, len(kinds), CHUNK_SLOTS)
    with progress, staged(raw_path) as raw_tmp, staged(truth_path) as truth_tmp:
        with pq.ParquetWriter(raw_tmp, RAW_SCHEMA) as writer:
            for chunk in map_ordered(build_chunk, [(kr, request, world, s, kinds[s:s + CHUNK_SLOTS]) for s in starts]):
                writer.write_table(chunk.table)
                truth_tables.append(chunk.truth.set_column(
                    0, "source_row_number", pc.add(chunk.truth["source_row_number"], rows_written)))
                rows_written += chunk.table.num_rows
                progress.advance(task, chunk.slots)
        truth = pa.concat_tables(truth_tables) if truth_tables else _truth_table([])
        pq.write_table(truth, truth_tmp)

    manifest = {
        "generator": "seeds_gen",
        "generator_version": __version__,
        "faker_version": version("faker"),
        "entity": "customers",
        "seed": request.seed,
        "run_date": request.run_date.isoformat(),
        "rows": rows_written,
        "defect_rate": request.defect_rate,
        "records_with_defects": len(pc.unique(truth["source_row_number"])),
        "columns": list(RAW_COLUMNS),
        "files": {
            path.name: {"bytes": path.stat().st_size, "sha256": sha256_of(path)}
            for path in (raw_path, truth_path)
        },
        "defect_counts": dict(sorted(Counter(truth["defect_type"].to_pylist()).items())),
        "defect_types": list(ALL_DEFECT_TYPES),
    }
    with staged(request.raw_dir / MANIFEST_FILE) as tmp:
        tmp.write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def _truth_table(rows: list[tuple[int, str, Injected]]) -> pa.Table:
    return pa.table({
        "source_row_number": [r for r, _, _ in rows],
        "customer_id": [cid for _, cid, _ in rows],
        "column_name": [i.column_name for _, _, i in rows],
        "defect_type": [i.defect_type for _, _, i in rows],
        "clean_value": [i.clean_value for _, _, i in rows],
        "dirty_value": [i.dirty_value for _, _, i in rows],
        "expected_handling": [i.expected_handling for _, _, i in rows],
    }, schema=DEFECTS_SCHEMA)
