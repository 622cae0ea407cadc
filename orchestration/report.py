"""The run's facts, read from the warehouse the run built, and the JSON report and CSV export."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version
from pathlib import Path

import duckdb
import jinja2
import jsonschema

from orchestration import engine
from orchestration.chart import line_chart
from orchestration.warehouse import watched_scores_now
from seeds_gen.files import staged

SCHEMA_PATH = Path(__file__).parent / "schemas" / "dq_report.schema.json"
VERSIONED_PACKAGES = ("customer-dq", "dbt-core", "dbt-duckdb", "duckdb", "faker", "pandas")
# The report's renderings: the HTML page and the e-mail share dq_report.html.j2.
TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=jinja2.select_autoescape(["html", "html.j2"]),  # dq_report.html.j2: its values come from raw files
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class RunFacts:
    """What the models produced, as the gates and the report need it."""

    counts: dict[str, int]
    overall_score: float | None
    table_score: float | None
    dimension_scores: dict[str, float | None]
    columns: list[dict]
    rules: list[dict]
    watched_scores: dict[str, float | None]  # every entity's, for the score anomalies (warehouse.WATCHED_SCORES)


def read_facts(warehouse: Path) -> RunFacts:
    with engine.connect(str(warehouse), read_only=True) as db:
        counts = query_one(db, """
            select count(*) as raw,
                   count(*) filter (where outcome = 'kept') as cleaned,
                   count(*) filter (where outcome = 'merged') as merged,
                   count(*) filter (where outcome = 'quarantined') as quarantined,
                   coalesce(sum(len(repaired_columns)), 0) as repaired_values,
                   count(*) filter (where len(failed_rules) > 0) as failing_records
            from row_audit""")
        scores = {(scope, name): score for scope, name, score in db.execute(
            "select scope, name, score from dq_scores "
            "where entity = 'customers' and scope in ('overall', 'table', 'dimension')").fetchall()}
        columns = query_all(db, """
            select column_name as column,
                   sum(passed) filter (where dimension = 'completeness')
                     / nullif(sum(evaluated) filter (where dimension = 'completeness'), 0) as completeness,
                   sum(passed) filter (where dimension = 'validity')
                     / nullif(sum(evaluated) filter (where dimension = 'validity'), 0) as validity
            from dq_rule_results where entity = 'customers' and column_name <> 'record'
            group by column_name order by column_name""")
        rules = query_all(db, """
            select rule_id, column_name as column, dimension, severity, action, evaluated, passed, failed,
                   pass_rate, threshold, status
            from dq_rule_results where entity = 'customers' order by rule_id""")
        watched_scores = watched_scores_now(db)
    return RunFacts(
        counts={k: int(v) for k, v in counts.items()},
        overall_score=scores.get(("overall", "overall")),
        table_score=scores.get(("table", "customers")),
        dimension_scores={name: s for (scope, name), s in scores.items() if scope == "dimension"},
        columns=columns,
        rules=rules,
        watched_scores=watched_scores,
    )


def query_all(db: duckdb.DuckDBPyConnection, sql: str) -> list[dict]:
    cursor = db.execute(sql)
    names = [d[0] for d in cursor.description]
    return [{n: _plain(v) for n, v in zip(names, row, strict=True)} for row in cursor.fetchall()]


def query_one(db: duckdb.DuckDBPyConnection, sql: str) -> dict:
    return query_all(db, sql)[0]


def _plain(value):
    """Decimals from DuckDB become floats: JSON has no decimal type."""
    return float(value) if value.__class__.__name__ == "Decimal" else value


def versions() -> dict[str, str]:
    found = {name: version(name) for name in VERSIONED_PACKAGES}
    found["python"] = sys.version.split()[0]
    return found


def most_failed(rules: list[dict], top: int = 3) -> str:
    """The rules failed by most records, as the end of a gate's reason: '; most failed: r1 (2,994),
    r2 (12)'; empty when no rule failed."""
    failing = sorted((r for r in rules if r["failed"]), key=lambda r: (-r["failed"], r["rule_id"]))[:top]
    return "; most failed: " + ", ".join(f"{r['rule_id']} ({r['failed']:,})" for r in failing) if failing else ""


def change_since(previous: dict | None, facts: RunFacts) -> dict | None:
    if previous is None:
        return None

    def delta(before, now):
        both = before is not None and now is not None
        # Rounded: scores summed in another order differ in the 16th digit, which is no change.
        return {"previous": before, "current": now, "delta": round(now - before, 12) if both else None}

    counts = {"raw": "rows_raw", "cleaned": "rows_cleaned", "merged": "rows_merged",
              "quarantined": "rows_quarantined", "repaired_values": "repaired_values"}
    return {
        "previous_run_date": previous["run_date"].isoformat(),
        "overall_score": delta(previous["overall_score"], facts.overall_score),
        "dimensions": {d: delta(previous["dimension_scores"].get(d), s) for d, s in facts.dimension_scores.items()},
        "counts": {name: delta(previous[column], facts.counts[name]) for name, column in counts.items()},
    }


@cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_PATH.read_text()),
                                           format_checker=jsonschema.FormatChecker())


def validate_report(report: dict) -> None:
    """Raise jsonschema.ValidationError naming the first offending field."""
    _validator().validate(report)


def write_json(document: dict, target: Path) -> None:
    write_text(json.dumps(document, indent=2, default=str) + "\n", target)


def write_text(text: str, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with staged(target) as tmp:
        tmp.write_text(text)


def render_html(report: dict, trend: list[dict]) -> str:
    """The report as one self-contained HTML page (nothing fetched: no script, image or style
    sheet): the e-mail's sections, then the overall score and raw volume of the runs before it
    (`trend`, oldest first) and this one, as charts and a table, and the raw profiles."""
    this_run = {"run_date": report["run"]["run_date"] + (" (this run)" if report["gate"]["passed"]
                                                         else " (this run, not published)"),
                "rows_raw": report["counts"]["raw"], "overall_score": report["scores"]["overall"]}
    runs = [*trend, this_run]
    charts = {"Overall score": line_chart([(p["run_date"], p["overall_score"]) for p in runs],
                                          "Overall score, run by run", "{:.3f}", floor=0.9, ceiling=1.0),
              "Raw customer rows": line_chart([(p["run_date"], p["rows_raw"]) for p in runs],
                                              "Raw customer rows, run by run", floor=0)} if trend else {}
    return TEMPLATES.get_template("dq_report.html.j2").render(r=report, page=True, trend=runs if trend else [],
                                                               charts=charts, not_attached=[],
                                                               attachment_limit_mb="")


def export_csv(parquet: Path, target: Path, order_by: str) -> int:
    """Write the Parquet file as CSV (lists as DuckDB list text) in the order of `order_by`, so the
    same outputs give the same file (DuckDB writes Parquet in no set order); returns the row count."""
    with engine.connect() as db:
        return copy_to_csv(db, f"select * from read_parquet('{parquet}') order by {order_by}", target)


def copy_to_csv(db: duckdb.DuckDBPyConnection, query: str, target: Path) -> int:
    """Write the query's rows to `target` as CSV with a header (also when there are none), its text
    safe to open in a spreadsheet (spreadsheet_safe), put in place whole; returns the row count."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with staged(target) as tmp:
        # use_tmp_file false: DuckDB writes into `staged`'s private (0600: it holds PII) and locked
        # file instead of its own sibling renamed over it
        return db.execute(f"copy ({spreadsheet_safe(db, query)}) to '{tmp}' "
                          "(header, delimiter ',', use_tmp_file false)").fetchone()[0]


def spreadsheet_safe(db: duckdb.DuckDBPyConnection, query: str) -> str:
    """`query` with a ' put before each text value that a spreadsheet would run as a formula: one
    that starts with = + - @, a tab or a carriage return and is not a number. The CSVs are e-mailed
    and opened in spreadsheets, where a customer named =HYPERLINK(...) would otherwise be a link
    nobody typed ("CSV injection", OWASP). Numbers as text (+14155550123, -5) are left as they
    are; the Parquet outputs keep every value as delivered and cleaned."""
    relation = db.sql(query)
    picks = []
    for name, type_ in zip(relation.columns, relation.types, strict=True):
        column = '"' + name.replace('"', '""') + '"'
        formula = (f"left({column}, 1) in ('=', '+', '-', '@', chr(9), chr(13)) "
                   f"and try_cast({column} as double) is null")
        picks.append(f"case when {formula} then chr(39) || {column} else {column} end as {column}"
                     if str(type_) == "VARCHAR" else column)
    return f"select {', '.join(picks)} from ({query})"
