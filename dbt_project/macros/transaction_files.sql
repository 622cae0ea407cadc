{#- The raw transaction files of the load window (transaction_window_start() to run_date()), as
    (date, path) pairs in date order: the files this run loads, and reloads. Empty when not
    executing (parsing). -#}
{% macro transaction_files() %}
  {%- if not execute -%}
    {{ return([]) }}
  {%- endif -%}
  {%- set found = run_query(
        "select strftime(file_date, '%Y-%m-%d'), file from ("
        ~ "select " ~ transaction_file_date("file") ~ " as file_date, file "
        ~ "from glob('" ~ data_dir() ~ "/raw/*/transactions.parquet')) "
        ~ "where " ~ in_load_window("file_date") ~ " order by file_date") -%}
  {{ return(found.rows | map('list') | list) }}
{% endmacro %}
