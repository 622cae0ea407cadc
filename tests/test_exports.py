"""The CSV exports, on real DuckDB: what a spreadsheet opening them would run."""

from __future__ import annotations

import csv

import duckdb

from orchestration.report import copy_to_csv


def test_text_a_spreadsheet_would_run_as_a_formula_is_exported_as_text(tmp_path):
    values = ['=HYPERLINK("http://evil.example","Invoice")', "@SUM(A1:A9)", "-2+3+cmd|' /C calc'!A0", "\tTAB",
              "+14155550123", "-5", "1.5", "O'Brien", "Anne-Marie", None]
    with duckdb.connect() as db:
        db.execute("create table customers as select unnest($values) as first_name, "
                   "unnest([-1, -2, -3, -4, -5, -6, -7, -8, -9, -10]) as amount, "
                   "unnest([['=1'], [], [], [], [], [], [], [], [], []]) as rules", {"values": values})
        rows = copy_to_csv(db, "select * from customers", tmp_path / "customers.csv")
    with (tmp_path / "customers.csv").open(newline="") as exported:
        read = list(csv.DictReader(exported))
    assert rows == len(read) == len(values)
    assert [row["first_name"] for row in read] == [
        "'=HYPERLINK(\"http://evil.example\",\"Invoice\")", "'@SUM(A1:A9)", "'-2+3+cmd|' /C calc'!A0", "'\tTAB",
        "+14155550123", "-5", "1.5", "O'Brien", "Anne-Marie", ""], "numbers and other text as they are"
    assert [row["amount"] for row in read][:2] == ["-1", "-2"] and read[0]["rules"] == "['=1']", \
        "numbers and lists are not text a spreadsheet reads as a formula"
