"""Measure the pipeline against the generator's ground truth (`_defects.parquet`).

Recall, per defect type: the share of injected defects handled as the ground truth expects:
  repair       the output value equals the clean value
  nullify      the output value is NULL and a rule on that column failed
  quarantine   the record is quarantined
  deduplicate  the record was merged into its twin, or its twin into it

Precision, per column: of the cells the pipeline flagged (a failed rule reading the column) or
altered (output differs from the raw text), the share that really carried a defect. Also for
whole records: of the records quarantined / merged, the share that should have been.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from orchestration import engine

OUTPUT_COLUMNS = (
    "first_name", "last_name", "email", "phone", "date_of_birth", "gender", "street_address", "city",
    "state", "postal_code", "country", "signup_date", "segment", "annual_income", "marketing_opt_in",
    "last_purchase_date",
)


@dataclass(frozen=True)
class Evaluation:
    recall: list[tuple[str, str, int, int, float]]  # defect_type, handling, defects, handled, recall
    precision: list[tuple[str, int, int, float]]  # what, predicted, correct, precision

    def worst_recall(self) -> float:
        return min(r[4] for r in self.recall)

    def worst_precision(self) -> float:
        return min(p[3] for p in self.precision)

    def table(self) -> str:
        lines = [f"{'defect type':<24} {'handling':<12} {'defects':>8} {'handled':>8} {'recall':>8}"]
        lines += [f"{t:<24} {h:<12} {n:>8} {k:>8} {r:>8.2%}" for t, h, n, k, r in self.recall]
        lines += ["", f"{'flagged or altered':<37} {'cells':>8} {'correct':>8} {'precision':>9}"]
        lines += [f"{w:<37} {n:>8} {k:>8} {p:>9.2%}" for w, n, k, p in self.precision]
        return "\n".join(lines)


def evaluate(warehouse: Path, defects: Path) -> Evaluation:
    with engine.connect(str(warehouse), read_only=True) as db:
        db.execute(f"create temp table truth as select * from read_parquet('{defects}')")
        db.execute(_RECORDS)
        db.execute(_CELLS)
        recall = db.execute(_RECALL).fetchall()
        precision = db.execute(_PRECISION).fetchall()
    return Evaluation(recall, precision)


# Each record's verdict with its raw values (the verdicts carry none: they are read from staging).
_RECORDS = f"""
create temp table records as
select resolved.*, {", ".join(f"raw.raw_{c}" for c in OUTPUT_COLUMNS)}
from main.int_customers_resolved as resolved
join main.stg_raw__customers as raw on resolved.source_row_number = raw.source_row_number
"""

_CELLS = f"""
create temp table cells as
select source_row_number, column_name, cast(output_value as varchar) as output_value, raw_value
from (
    {" union all ".join(
        f"select source_row_number, '{c}' as column_name, cast({c} as varchar) as output_value, "
        f"raw_{c} as raw_value from records" for c in OUTPUT_COLUMNS)}
) as unpivoted(source_row_number, column_name, output_value, raw_value)
"""

_RECALL = """
with
catalog as (select * from main.dq_rule_catalog),
flags as (
    select r.source_row_number, c.column_name
    from (select source_row_number, unnest(failed_rules) as rule_id from records) as r
    join catalog as c using (rule_id)
),
judged as (
    select
        t.defect_type,
        t.expected_handling,
        case t.expected_handling
            when 'repair' then cells.output_value is not distinct from t.clean_value
            when 'nullify' then cells.output_value is null and exists (
                select 1 from flags f where f.source_row_number = t.source_row_number
                and f.column_name = t.column_name)
            when 'quarantine' then r.outcome = 'quarantined'
            when 'deduplicate' then r.outcome = 'merged' or exists (
                select 1 from records twin where twin.survivor_row_number = t.source_row_number)
        end as handled
    from truth as t
    join records as r using (source_row_number)
    left join cells on cells.source_row_number = t.source_row_number and cells.column_name = t.column_name
)
select defect_type, expected_handling, count(*), count(*) filter (where handled),
       count(*) filter (where handled) / count(*)
from judged group by all order by defect_type
"""

_PRECISION = """
with
catalog as (select * from main.dq_rule_catalog),
defective_cells as (select distinct source_row_number, column_name from truth where column_name is not null),
defective_records as (select distinct source_row_number from truth),
flagged_cells as (
    -- a failed rule flags its column; it is right when any column it reads was corrupted
    select distinct f.source_row_number, c.column_name,
        exists (select 1 from defective_cells d where d.source_row_number = f.source_row_number
                and list_contains(list_append(c.also_reads, c.column_name), d.column_name)) as correct
    from (select source_row_number, unnest(failed_rules) as rule_id from records) as f
    join catalog as c using (rule_id)
    where c.stage = 'row'
),
altered_cells as (
    select cells.source_row_number, cells.column_name,
        exists (select 1 from defective_cells d where d.source_row_number = cells.source_row_number
                and d.column_name = cells.column_name) as correct
    from cells
    join records using (source_row_number)
    -- quarantined records are published with their raw values, never altered ones
    where cells.output_value is distinct from cells.raw_value and records.outcome <> 'quarantined'
),
predicted as (
    select source_row_number, column_name, bool_or(correct) as correct
    from (select * from flagged_cells union all select * from altered_cells)
    group by all
),
by_column as (
    select 'column ' || column_name as what, count(*) as n, count(*) filter (where correct) as k
    from predicted group by all
),
by_record as (
    select 'records ' || outcome as what, count(*),
        count(*) filter (where source_row_number in (
            select source_row_number from truth
            where expected_handling = case outcome when 'merged' then 'deduplicate' else 'quarantine' end)
            or survivor_row_number in (select source_row_number from truth where expected_handling = 'deduplicate'))
    from records where outcome in ('quarantined', 'merged') group by all
)
select what, n, k, k / n from (select * from by_column union all select * from by_record) order by what
"""
