"""Distribution drift of the raw files (seed 004): each column's profile today against the same
column's profile in the last successful run before this date.

Only shares are compared (missing values, values that read as numbers, values that read as
dates), each by its absolute change: they are stable from day to day for a healthy feed and jump
when a source system changes (a column left empty, a date format switched, text in a number
column). Means are not compared: one extreme amount moves them more than any real change would.
"""

from __future__ import annotations

from seeds_gen.reference import project_vars


def max_share_change() -> float:
    """The largest change of a share (0-1) that is not drift: dbt_project.yml var `drift_max_share_change`."""
    return float(project_vars()["drift_max_share_change"])


def drift_findings(previous: dict[str, dict | None], current: dict[str, dict | None], limit: float) -> list[dict]:
    """One finding per column and share that moved by more than `limit` between the two runs'
    profiles of the same raw file (files keyed by name; a file profiled on one side only, or
    with no rows on either side, has nothing to compare)."""
    findings = []
    for file_name, now in current.items():
        before = previous.get(file_name)
        if not now or not before or not now["row_count"] or not before["row_count"]:
            continue
        for column in sorted(set(now["columns"]) & set(before["columns"])):
            old, new = _shares(before["columns"][column]), _shares(now["columns"][column])
            findings += [
                {"file": file_name, "column": column, "share": share, "previous": old[share], "current": new[share],
                 "change": round(new[share] - old[share], 6)}
                for share in old if share in new and abs(new[share] - old[share]) > limit
            ]
    return findings


def describe(finding: dict) -> str:
    return (f"drift: {finding['file']} column {finding['column']}: {finding['share']} "
            f"{finding['previous']:.1%} -> {finding['current']:.1%}")


def _shares(column: dict) -> dict[str, float]:
    """The share of missing values, and the shares of the present values that read as numbers
    and as dates (of the present values: a column that only lost values is reported once, by its
    missing share; with no present value there is nothing to read)."""
    shares = {"null_rate": column["null_rate"]}
    if column["null_rate"] < 1:
        shares["numeric_share"] = (column["numeric"] or {}).get("parseable_share", 0.0)
        shares["date_share"] = (column["date"] or {}).get("parseable_share", 0.0)
    return shares
