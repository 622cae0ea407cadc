# Customer DQ: `just` lists the recipes. Recipes run from the repo root, but for those marked
# [no-cd], whose paths (--input, --data-dir, --out) are the user's, from where `just` was called.

set positional-arguments
set dotenv-load := false

root := justfile_directory()
data_dir_setting := env_var_or_default("CDQ_DATA_DIR", "")
# a relative CDQ_DATA_DIR is the caller's, as any other path they give; unset or empty: data/ here
export CDQ_DATA_DIR := if data_dir_setting == "" { root / "data" } else { join(invocation_directory(), data_dir_setting) }
export DBT_PROFILES_DIR := env_var_or_default("DBT_PROFILES_DIR", root)
export DBT_PROJECT_DIR := env_var_or_default("DBT_PROJECT_DIR", root / "dbt_project")

# List the recipes
default:
    @just --list --unsorted

# The runs are exec'd: a signal to `just` then reaches the run itself, which stops cleanly, not a
# shell that dies and leaves the run going.
# Run the daily job: just daily [RUN_DATE] [--rows N --seed S --input FILE --keep-temp ...]
[no-cd]
daily *args:
    exec python -m orchestration daily "$@"

# Run the daily job for every date from START to END, in order: just backfill START END [options]
[no-cd]
backfill *args:
    exec python -m orchestration backfill "$@"

# Send the e-mails and alerts runs left in outbox/ (SMTP or the webhook was down), oldest first
[no-cd]
send-outbox *args:
    python -m orchestration send-outbox "$@"

# Add the daily job to your crontab (default @daily; --schedule "30 6 * * *" to change; daily's options after --)
[no-cd]
cron-install *args:
    python -m orchestration cron-install "$@"

# Remove the daily job from your crontab
cron-remove:
    python -m orchestration cron-remove

# Show the daily job in your crontab, when it runs next, and whether a cron daemon runs it
cron-status:
    python -m orchestration cron-status

# Test files run in parallel, each whole in one process (it keeps its own data directory, and the
# cron tests theirs): one more at a time than the CPUs (at most 4), as a test spends part of its time
# waiting (on dbt's threads, subprocesses, the disk). On 2 CPUs, 3 workers kept 1.8 CPUs busy and ran
# the suite in 540 s, against 591 s with 2 and 578 s with 4.
pytest_in_parallel := 'python -m pytest --numprocesses $(( $(nproc) < 4 ? $(nproc) + 1 : 4 )) --dist loadfile'

# Run the test suite but its slowest scenarios (CI runs this; it has 15 minutes); extra arguments go to pytest
test *args:
    {{ pytest_in_parallel }} -m "not slow" "$@"

# Run every test, the slow scenarios too (pytest marker `slow`)
test-all *args:
    {{ pytest_in_parallel }} "$@"

# Generate raw customers (default 3,500 rows for today); flags go to `python -m seeds_gen customers`
[no-cd]
generate *args:
    python -m seeds_gen customers "$@"

# Generate the day's transactions, products and stores; flags go to `python -m seeds_gen transactions`
[no-cd]
generate-transactions *args:
    python -m seeds_gen transactions "$@"

# dbt build: models and their tests for the latest generated run date; flags go to dbt
build *args:
    dbt build "$@"

# Open the DuckDB shell read-only on the warehouse, or run one query: just sql "select ..."
sql *query:
    #!/usr/bin/env bash
    set -euo pipefail
    db="${CDQ_WAREHOUSE:-$CDQ_DATA_DIR/warehouse.duckdb}"
    [ -f "$db" ] || { echo "no warehouse at $db yet: run 'just daily' first" >&2; exit 2; }
    if [ $# -eq 0 ]; then exec duckdb -readonly "$db"; else exec duckdb -readonly "$db" -c "$*"; fi

# Lint the Python with ruff
lint:
    ruff check .

# Benchmark side by side: generator, floor, dbt build, pandas, Polars at 10k-10M rows (--quick: 10k, 100k; --max-rows N)
bench *args:
    python -m benchmarks.bench "$@"

# Benchmark the generator: 1M customers timed, 10M in bounded memory (add --quick for 100k only)
bench-generate *args:
    python -m benchmarks.bench_generate "$@"

# Benchmark dbt build of the customer models against the DuckDB copy floor (1M, 10M; --quick: 100k)
bench-models *args:
    python -m benchmarks.bench_models "$@"

# Benchmark dbt build of the transaction models against the DuckDB copy floor (1M a day; --quick: 100k)
bench-transactions *args:
    python -m benchmarks.bench_transactions "$@"
