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
            old = _shares(before["columns"][column], before["row_count"])
            new = _shares(now["columns"][column], now["row_count"])
            findings += [
                {"file": file_name, "column": column, "share": share, "previous": old[share], "current": new[share],
                 "change": round(new[share] - old[share], 6)}
                for share in old if share in new and abs(new[share] - old[share]) > limit
            ]
    return findings


def describe(finding: dict) -> str:
    return (f"drift: {finding['file']} column {finding['column']}: {finding['share']} "
            f"{finding['previous']:.1%} -> {finding['current']:.1%}")


def _shares(column: dict, rows: int) -> dict[str, float]:
    """The share of missing values (NULL, blank or a placeholder), and the shares of the other
    values that read as numbers and as dates: a column that only lost values is reported once,
    by its missing share. The profile's parseable shares are of the non-NULL values, blanks and
    placeholders included, hence the rescaling."""
    shares = {"null_rate": column["null_rate"]}
    non_null = rows - column["null_count"]
    values = non_null - column["blank_count"] - column["placeholder_count"]
    if values > 0:
        for share, kind in (("numeric_share", "numeric"), ("date_share", "date")):
            parseable = (column[kind] or {}).get("parseable_share", 0.0)
            shares[share] = round(min(1.0, parseable * non_null / values), 6)
    return shares
