"""The `just bench` report: growth exponent, ratios, stopped contenders, and the RESULTS.md section
it rewrites (the timings themselves are for humans: `just bench`, never a timed test)."""

from __future__ import annotations

from datetime import datetime

import pytest

from benchmarks.bench import (
    RunContext,
    ScaleResult,
    customers_pipeline,
    growth_exponent,
    markdown,
    parse_args,
    pipeline_scales,
    section_markers,
    transactions_pipeline,
    write_section,
)
from benchmarks.equality import Check, EqualityReport
from benchmarks.harness import Measurement


def _result(rows: int, seconds: dict[str, list[float]], peak: float = 100.0) -> ScaleResult:
    return ScaleResult(rows, runs={name: [Measurement(s, peak) for s in runs] for name, runs in seconds.items()})


@pytest.mark.parametrize(("seconds_at_10m", "exponent"), [(100.0, 1.0), (10 ** 2.5, 1.5), (10.0, 0.0)])
def test_growth_exponent_is_the_log_log_slope_from_1m_to_10m(seconds_at_10m, exponent):
    results = [
        _result(100_000, {"dbt": [50.0]}),  # outside the fitted range
        _result(1_000_000, {"dbt": [9.0, 10.0, 30.0]}),  # the median, 10: one slow run does not count
        _result(10_000_000, {"dbt": [seconds_at_10m]}),
    ]
    assert growth_exponent(results, "dbt") == pytest.approx(exponent)


def test_no_growth_exponent_without_both_ends():
    assert growth_exponent([_result(100_000, {"dbt": [1.0]}), _result(1_000_000, {"dbt": [9.0]})], "dbt") is None


def _context() -> RunContext:
    return RunContext(command="just bench", machine="test machine", load_before=1.0, load_after=2.0,
                      finished=datetime(2026, 11, 23, 12, 0), minutes=3.0, plot_link="bench_customers.png")


def test_the_report_has_ratios_and_says_which_contender_was_stopped():
    result = _result(1_000_000, {"generator": [4.0], "floor": [2.0], "dbt": [40.0], "polars": [20.0]})
    result.over_cap["pandas"] = 17_000.0
    text = markdown(customers_pipeline(16_384), [result], _context())
    assert "| 1,000,000 | dbt | 1 | 40.00 | 25,000 | 100 |  |" in text
    assert "| 1,000,000 | pandas | 0 | stopped | | > 17,000 (cap) | not checked |" in text
    assert "| 1,000,000 | 20.00 | n/a | 0.50 | n/a | 1.00 |" in text  # dbt/floor, pandas/dbt, polars/dbt, peaks


def test_the_report_lists_what_the_equality_check_found():
    checks = (Check("flagged (source_row_number, rule_id) pairs", True, "51,671 identical"),
              Check("quarantined rows", True, "4,480 identical"),
              Check("merged rows (row, survivor)", True, "9,641 identical"),
              Check("scores (1e-9)", True, "63 scores, overall 0.998 vs 0.998"))
    result = _result(1_000_000, {"dbt": [40.0], "polars": [20.0]})
    result.equality["polars"] = EqualityReport("polars", checks)
    text = markdown(customers_pipeline(16_384), [result], _context())
    assert ("- 1,000,000 polars: 4/4 checks passed; flagged (row, rule) pairs: 51,671 identical; quarantined rows: "
            "4,480 identical; merged rows: 9,641 identical; scores: 63 scores, overall 0.998 vs 0.998") in text


SECTION_START, SECTION_END = section_markers("customers")


def test_the_section_is_replaced_and_the_rest_of_the_file_kept(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text(f"# Benchmark results\n\nbefore\n\n{SECTION_START}\nold figures\n{SECTION_END}\n\nafter\n")
    write_section(results, "customers", f"{SECTION_START}\nnew figures\n{SECTION_END}\n")
    write_section(results, "customers", f"{SECTION_START}\nnewer figures\n{SECTION_END}\n")
    text = results.read_text()
    assert "old figures" not in text and "new figures" not in text and text.count("newer figures") == 1
    assert text.startswith("# Benchmark results\n\nbefore\n") and text.rstrip().endswith("after")


def test_a_file_without_the_section_gets_it_appended(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\nearlier figures\n")
    write_section(results, "customers", f"{SECTION_START}\nfigures\n{SECTION_END}\n")
    assert results.read_text() == f"# Benchmark results\n\nearlier figures\n\n{SECTION_START}\nfigures\n{SECTION_END}\n"


def test_each_pipeline_has_its_own_section(tmp_path):
    results = tmp_path / "RESULTS.md"
    transactions_start, transactions_end = section_markers("transactions")
    write_section(results, "customers", f"{SECTION_START}\ncustomer figures\n{SECTION_END}\n")
    write_section(results, "transactions", f"{transactions_start}\ntransaction figures\n{transactions_end}\n")
    write_section(results, "customers", f"{SECTION_START}\nnew customer figures\n{SECTION_END}\n")
    text = results.read_text()
    assert "transaction figures" in text and "new customer figures" in text and "\ncustomer figures" not in text


def test_the_transaction_report_has_only_the_floor_ratio():
    result = _result(1_000_000, {"generator": [5.0], "floor": [1.5], "dbt": [18.0]})
    text = markdown(transactions_pipeline(16_384), [result], _context())
    assert "| rows | dbt/floor |\n| ---: | ---: |\n| 1,000,000 | 12.00 |" in text
    assert "pandas" not in text.split("| rows | contender")[1]


def test_transactions_run_at_ten_times_the_customer_scales_up_to_the_cap():
    assert pipeline_scales(parse_args([])) == {
        "customers": [10_000, 100_000, 1_000_000, 10_000_000],
        "transactions": [100_000, 1_000_000, 10_000_000, 100_000_000]}
    capped = pipeline_scales(parse_args(["--max-transactions", "10000000", "--pipeline", "transactions"]))
    assert capped == {"transactions": [100_000, 1_000_000, 10_000_000]}
    assert pipeline_scales(parse_args(["--quick"]))["transactions"] == [100_000]
    assert pipeline_scales(parse_args(["--quick", "--max-transactions", "1000000"]))["transactions"] == \
        [100_000, 1_000_000]


def test_the_transactions_exponent_is_fitted_at_ten_times_the_customer_scales():
    results = [_result(1_000_000, {"dbt": [14.0]}),  # fixed costs dominate here: left out of the fit
               _result(10_000_000, {"dbt": [60.0]}), _result(100_000_000, {"dbt": [600.0]})]
    text = markdown(transactions_pipeline(16_384), results, _context())
    (line,) = [line for line in text.splitlines() if line.startswith("Growth exponent")]
    assert "10,000,000 to 100,000,000; 1.0 is linear)" in line and "dbt 1.00" in line
