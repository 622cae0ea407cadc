"""Are a port's outputs the dbt models' outputs? Checked before anything is timed, so the
benchmark compares equal work.

The dbt side: the published Parquet marts under <data_dir>/outputs/<run_date>/ and the quality
marts in the warehouse. The port side: <out_dir>/<table>.parquet (benchmarks/customer_catalog.py
OUTPUT_TABLES). Compared in DuckDB: schemas, row counts, scores to 1e-9, the flagged
(source_row_number, rule_id) pairs, the quarantined and merged rows, then every value.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

from benchmarks.customer_catalog import OUTPUT_TABLES

TOLERANCE = 1e-9
# The published marts are Parquet files; the quality marts live in the warehouse only.
PARQUET_MARTS = ("cleaned_customers", "final_customers", "quarantined_customers", "row_audit")
# The quality marts hold every entity's rules and scores; the ports do the customer pipeline.
CUSTOMER_PART = {
    "dq_rule_results": "select * from warehouse.main.dq_rule_results where entity = 'customers'",
    "dq_scores": "select * exclude (entity) from warehouse.main.dq_scores where entity = 'customers'",
}
KEYS = {
    "cleaned_customers": ("source_row_number",),
    "final_customers": ("source_row_number",),
    "quarantined_customers": ("source_row_number",),
    "row_audit": ("source_row_number",),
    "dq_rule_results": ("rule_id",),
    "dq_scores": ("scope", "name"),
    "dq_rule_failures": ("source_row_number", "rule_id"),
}


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class EqualityReport:
    contender: str
    checks: tuple[Check, ...]

    @property
    def equal(self) -> bool:
        return all(check.passed for check in self.checks)

    def failures(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]

    def summary(self) -> str:
        lines = [f"{self.contender} vs dbt: {'EQUAL' if self.equal else 'DIFFERENT'}"]
        lines += [f"  {'ok  ' if c.passed else 'FAIL'} {c.name}: {c.detail}" for c in self.checks]
        return "\n".join(lines)


def compare_outputs(dbt_data_dir: Path, run_date: str, port_dir: Path, contender: str,
                    warehouse: Path | None = None) -> EqualityReport:
    """Compare a port's outputs in `port_dir` with dbt's for `run_date` under `dbt_data_dir`."""
    warehouse = warehouse or dbt_data_dir / "warehouse.duckdb"
    # Bounded like the models' own runs: at 10M rows the joins spill rather than take the machine.
    with tempfile.TemporaryDirectory(prefix="equality_spill_") as spill, duckdb.connect(config={
            "memory_limit": "3GB", "threads": 2, "temp_directory": spill, "preserve_insertion_order": False}) as db:
        db.execute(f"attach '{warehouse}' as warehouse (read_only)")
        for table in OUTPUT_TABLES:
            published = dbt_data_dir / "outputs" / run_date / f"{table}.parquet"
            dbt_source = (f"select * from read_parquet('{published}')" if table in PARQUET_MARTS
                          else CUSTOMER_PART.get(table, f"select * from warehouse.main.{table}"))
            db.execute(f"create view dbt_{table} as {dbt_source}")
            db.execute(f"create view port_{table} as select * from read_parquet('{port_dir / table}.parquet')")
        checks = [
            *(_same_schema(db, table) for table in OUTPUT_TABLES),
            _same_row_counts(db),
            _same_scores(db),
            _same_rule_counts(db),
            _same_pairs(db, "flagged (source_row_number, rule_id) pairs",
                        "select source_row_number, unnest(failed_rules) from {side}_row_audit"),
            _same_pairs(db, "dq_rule_failures pairs", "select source_row_number, rule_id from {side}_dq_rule_failures"),
            _same_pairs(db, "quarantined rows",
                        "select source_row_number, quarantine_reasons from {side}_quarantined_customers"),
            _same_pairs(db, "merged rows (row, survivor)",
                        "select source_row_number, survivor_row_number from {side}_row_audit where outcome = 'merged'"),
            *(_same_values(db, table) for table in OUTPUT_TABLES),
        ]
    return EqualityReport(contender, tuple(checks))


def _columns(db: duckdb.DuckDBPyConnection, view: str) -> list[tuple[str, str]]:
    return [(name, kind) for name, kind, *_ in db.execute(f"describe {view}").fetchall()]


def _same_schema(db: duckdb.DuckDBPyConnection, table: str) -> Check:
    expected, found = _columns(db, f"dbt_{table}"), _columns(db, f"port_{table}")
    if expected == found:
        return Check(f"{table} schema", True, f"{len(found)} columns, same names, order and types")
    differences = [f"{e} vs {f}" for e, f in zip(expected, found, strict=False) if e != f]
    if len(expected) != len(found):
        differences.append(f"{len(expected)} columns vs {len(found)}")
    return Check(f"{table} schema", False, "; ".join(differences[:5]))


def _doubles_differ(a: str, b: str) -> str:
    """SQL: two doubles differ by more than TOLERANCE, or one is NULL and the other is not."""
    return f"({a} is distinct from {b} and not coalesce(abs({a} - {b}) <= {TOLERANCE}, false))"


def _count(db: duckdb.DuckDBPyConnection, sql: str) -> int:
    return db.execute(sql).fetchone()[0]


def _same_row_counts(db: duckdb.DuckDBPyConnection) -> Check:
    counts = {t: (_count(db, f"select count(*) from dbt_{t}"), _count(db, f"select count(*) from port_{t}"))
              for t in OUTPUT_TABLES}
    different = {t: c for t, c in counts.items() if c[0] != c[1]}
    detail = ", ".join(f"{t} {a:,}" for t, (a, _) in counts.items()) if not different else \
        ", ".join(f"{t} dbt {a:,} vs {b:,}" for t, (a, b) in different.items())
    return Check("row counts", not different, detail)


def _same_scores(db: duckdb.DuckDBPyConnection) -> Check:
    rows = db.execute(f"""
        select coalesce(d.scope, p.scope), coalesce(d.name, p.name), d.score, p.score
        from dbt_dq_scores as d full join port_dq_scores as p on d.scope = p.scope and d.name = p.name
        where d.scope is null or p.scope is null or d.evaluated is distinct from p.evaluated
           or d.passed is distinct from p.passed or {_doubles_differ("d.score", "p.score")}
    """).fetchall()
    overall = db.execute("select d.score, p.score from dbt_dq_scores d join port_dq_scores p using (scope, name) "
                         "where scope = 'overall'").fetchone()
    if rows:
        return Check("scores (1e-9)", False, f"{len(rows)} differ, e.g. {rows[:3]}")
    return Check("scores (1e-9)", True, f"{_count(db, 'select count(*) from dbt_dq_scores')} scores, "
                                        f"overall {overall[0]} vs {overall[1]}")


def _same_rule_counts(db: duckdb.DuckDBPyConnection) -> Check:
    rows = db.execute(f"""
        select coalesce(d.rule_id, p.rule_id)
        from dbt_dq_rule_results as d full join port_dq_rule_results as p using (rule_id)
        where d.rule_id is null or p.rule_id is null
           or (d.evaluated, d.passed, d.status, d.severity, d.dimension, d.action, d.threshold)
              is distinct from (p.evaluated, p.passed, p.status, p.severity, p.dimension, p.action, p.threshold)
           or {_doubles_differ("d.pass_rate", "p.pass_rate")}
    """).fetchall()
    total = _count(db, "select count(*) from dbt_dq_rule_results")
    return Check("rule results", not rows, f"{total} rules: catalog, counts and status equal" if not rows
                 else f"{len(rows)} rules differ: {[r[0] for r in rows[:5]]}")


def _same_pairs(db: duckdb.DuckDBPyConnection, name: str, select: str) -> Check:
    dbt_sql, port_sql = select.format(side="dbt"), select.format(side="port")
    only_dbt = db.execute(f"select * from ({dbt_sql} except all {port_sql}) limit 3").fetchall()
    only_port = db.execute(f"select * from ({port_sql} except all {dbt_sql}) limit 3").fetchall()
    missing = _count(db, f"select count(*) from ({dbt_sql} except all {port_sql})")
    extra = _count(db, f"select count(*) from ({port_sql} except all {dbt_sql})")
    if missing or extra:
        return Check(name, False,
                     f"{missing:,} only in dbt (e.g. {only_dbt}), {extra:,} only in the port (e.g. {only_port})")
    return Check(name, True, f"{_count(db, f'select count(*) from ({dbt_sql})'):,} identical")


def _same_values(db: duckdb.DuckDBPyConnection, table: str) -> Check:
    """Every value of every row, matched on the table's key; doubles to 1e-9."""
    keys = KEYS[table]
    port_columns = dict(_columns(db, f"port_{table}"))
    compared = [(name, kind) for name, kind in _columns(db, f"dbt_{table}") if name in port_columns]
    join = " and ".join(f"d.{k} = p.{k}" for k in keys)
    differs = [
        (_doubles_differ(f"d.{c}", f"p.{c}") if kind in ("DOUBLE", "FLOAT") else f"d.{c} is distinct from p.{c}", c)
        for c, kind in compared if c not in keys
    ]
    per_column = ", ".join(f"count(*) filter (where {condition}) as \"{column}\"" for condition, column in differs)
    unmatched = f"count(*) filter (where d.{keys[0]} is null or p.{keys[0]} is null)"
    row = db.execute(f"select {unmatched}, {per_column} from dbt_{table} as d full join port_{table} as p on {join}"
                     ).fetchone()
    mismatches = {column: n for (_, column), n in zip(differs, row[1:], strict=True) if n}
    if row[0] or mismatches:
        return Check(f"{table} values", False, f"{row[0]:,} rows unmatched; differing values per column: {mismatches}")
    return Check(f"{table} values", True, f"every value of {len(compared)} columns equal")
