{#- True for the transactions this run loads again, and so replaces: dated in the load window and
    read from one of the window's raw files (table raw.transaction_files, which on-run-start writes
    once per build: macros/register_raw_transactions.sql). The rows of a file that is no
    longer in raw/ (pruned, moved) stay as they were loaded, and so do rows a later raw file
    delivered for a date of this window (a backfill of an earlier date).

    The files' dates are written into the SQL as constants, not read by a subquery: DuckDB then
    filters the table as it scans it, before any join (finding the loaded rows among 10M that
    this run keeps, to compare their ids with the window's: 1.0-2.4 s with the subquery, 0.1 s).
    A command that writes no raw.transaction_files (dbt docs generate on a new warehouse) compiles
    the predicate without the files; a build or run without them stops, as it would delete nothing
    and load the window twice. -#}
{% macro reloaded_transactions(date_column='transaction_date', source_column='source_date') %}
  {#- asked of DuckDB, not dbt's relation cache: on-run-start made the table with plain SQL -#}
  {%- set listed = execute and run_query("select count(*) from duckdb_tables() where database_name = '"
                   ~ target.database ~ "' and schema_name = 'raw' and table_name = 'transaction_files'"
                   ).columns[0].values()[0] > 0 -%}
  {%- if execute and not listed and flags.WHICH in ('build', 'run') -%}
    {{ exceptions.raise_compiler_error("table raw.transaction_files is missing: on-run-start "
                                       ~ "(register_raw_transactions) did not run") }}
  {%- endif -%}
  {%- set file_dates = run_query("select file_date from raw.transaction_files order by 1").columns[0].values()
                       if listed else [] -%}
  ({{ in_load_window(date_column) }}
   and {% if file_dates %}{{ source_column }} in (date '{{ file_dates | join("', date '") }}'){% else %}false{% endif %})
{%- endmacro %}
