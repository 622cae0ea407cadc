{#- True for the transactions this run loads again, and so replaces: dated in the load window and
    read from one of the window's raw files (table raw.transaction_files, which on-run-start writes
    once per build: macros/register_raw_transactions.sql). The rows of a file that is no
    longer in raw/ (pruned, moved) stay as they were loaded, and so do rows a later raw file
    delivered for a date of this window (a backfill of an earlier date). -#}
{% macro reloaded_transactions(date_column='transaction_date', source_column='source_date') %}
  ({{ in_load_window(date_column) }}
   and {{ source_column }} in (select file_date from raw.transaction_files))
{%- endmacro %}
