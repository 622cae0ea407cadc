"""Raw-file drift between two runs, on real profiles of hand-made files (orchestration.profile)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.drift import drift_findings
from orchestration.profile import profile_raw

ROWS = 1_000


def _profile(tmp_path: Path, name: str, income: list[str | None], signup: list[str]) -> dict:
    path = tmp_path / name / "customers.parquet"
    path.parent.mkdir()
    pq.write_table(pa.table({"annual_income": pa.array(income, pa.string()),
                             "signup_date": pa.array(signup, pa.string())}), path)
    return {"customers.parquet": profile_raw(path)}


def test_a_column_that_only_lost_values_is_reported_once_by_its_missing_share(tmp_path):
    incomes = [str(50_000 + i) for i in range(ROWS)]
    dates = ["2026-11-23"] * ROWS
    before = _profile(tmp_path, "before", incomes, dates)
    # a third of the incomes now arrive as placeholders or blanks, the rest still numbers
    after = _profile(tmp_path, "after", ["N/A" if i % 6 == 0 else "" if i % 6 == 1 else v
                                         for i, v in enumerate(incomes)], dates)
    findings = drift_findings(before, after, 0.05)
    assert [(f["column"], f["share"]) for f in findings] == [("annual_income", "null_rate")]
    assert findings[0]["previous"] == 0.0 and round(findings[0]["change"], 2) == 0.33


def test_a_switched_date_format_and_text_in_a_number_column_are_reported(tmp_path):
    incomes = [str(50_000 + i) for i in range(ROWS)]
    before = _profile(tmp_path, "before", incomes, ["2026-11-23"] * ROWS)
    after = _profile(tmp_path, "after", [v if i % 4 else "fifty thousand" for i, v in enumerate(incomes)],
                     ["2026/11/23"] * ROWS)
    moved = {(f["column"], f["share"]): (f["previous"], f["current"]) for f in drift_findings(before, after, 0.05)}
    assert moved == {("annual_income", "numeric_share"): (1.0, 0.75), ("signup_date", "date_share"): (1.0, 0.0)}


def test_small_moves_and_files_without_rows_raise_nothing(tmp_path):
    incomes = [str(50_000 + i) for i in range(ROWS)]
    before = _profile(tmp_path, "before", incomes, ["2026-11-23"] * ROWS)
    after = _profile(tmp_path, "after", [None if i % 50 == 0 else v for i, v in enumerate(incomes)],
                     ["2026-11-23"] * ROWS)  # 2% missing: under the 5 points
    empty = _profile(tmp_path, "empty", [], [])
    assert drift_findings(before, after, 0.05) == []
    assert drift_findings(before, empty, 0.05) == [] and drift_findings(empty, before, 0.05) == []
    assert drift_findings(before, {"customers.parquet": None}, 0.05) == []
