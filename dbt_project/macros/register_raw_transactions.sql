{#- on-run-start: point the `raw.transactions`, `raw.products` and `raw.stores` sources at the
    raw files of the load window (transactions: every date of the window that has a file) and
    of the latest of those dates (products, stores: the current catalogue; the run date's when it
    has transactions). The files are listed in table `raw.transaction_files` with their row counts, which the models
    read to know which rows they reload (macros/reloaded_transactions.sql): the rows loaded
    before from a window date that has no file any more stay as they are.

    No transaction file in the window: the views are empty (a customer-only project still
    builds) and the run says so. A run date without transactions (e.g. customers from --input)
    still loads the window's earlier days. Every file must meet its contract, and the catalogue
    must be beside the latest transactions: the error names the path or the column. -#}
{% macro register_raw_transactions() %}
  {%- if not execute or flags.WHICH not in ('build', 'run', 'test', 'compile', 'show') -%}
    {{ return('') }}
  {%- endif -%}
  {%- set day_dir = data_dir() ~ '/raw/' ~ run_date() -%}
  {%- set files = transaction_files() -%}
  {%- set paths = files | map('last') | list -%}
  create schema if not exists raw;
  {#- the files this build loads, listed once: a file delivered while it runs waits for the next -#}
  create or replace table raw.transaction_files (file_date date, path varchar, row_count bigint);
  {%- if not paths -%}
    {{ log("no raw transactions from " ~ transaction_window_start() ~ " to " ~ run_date() ~ " under "
           ~ data_dir() ~ "/raw: the transaction models build empty", info=true) }}
  {{ empty_raw_transaction_views() }}
  {%- else -%}
  {%- set catalogue_dir = paths[-1][:-('/transactions.parquet' | length)] -%}
  {%- if catalogue_dir != day_dir -%}
    {{ log("no raw transactions for " ~ run_date() ~ ": loading the window's earlier days, against the catalogue in "
           ~ catalogue_dir, info=true) }}
  {%- endif -%}
  {%- set catalogue_types = {
        'products': raw_file_columns(catalogue_dir ~ '/products.parquet', var('raw_product_columns')),
        'stores': raw_file_columns(catalogue_dir ~ '/stores.parquet', var('raw_store_columns'))} -%}
  {%- for path in paths -%}
    {%- do raw_file_columns(path, var('raw_transaction_columns')) -%}
  {%- endfor -%}
  {%- set files_list = "['" ~ paths | join("', '") ~ "']" -%}
  {%- set transactions = "read_parquet(" ~ files_list ~ ", filename = true, file_row_number = true, union_by_name = true)" -%}
  {#- the types the union reads each column as (a column stored as bytes in every file is read as bytes) -#}
  {%- set transaction_types = raw_column_types(transactions) -%}
  insert into raw.transaction_files
  select {{ transaction_file_date('file_name') }}, file_name, num_rows
  from parquet_file_metadata({{ files_list }});
  create or replace view raw.transactions as
  select
    {{ transaction_file_date('filename') }} as source_date,
    file_row_number as source_row_number,
    {%- for column in var('raw_transaction_columns') %}
    {{ raw_text(column, transaction_types[column]) }} as "{{ column }}"{{ "," if not loop.last }}
    {%- endfor %}
  from {{ transactions }};
  {%- for entity in ['products', 'stores'] %}
  create or replace view raw.{{ entity }} as
  select
    file_row_number as source_row_number,
    {%- for column in var('raw_' ~ entity[:-1] ~ '_columns') %}
    {{ raw_text(column, catalogue_types[entity][column]) }} as "{{ column }}"{{ "," if not loop.last }}
    {%- endfor %}
  from read_parquet('{{ catalogue_dir }}/{{ entity }}.parquet', file_row_number = true);
  {%- endfor %}
  {%- endif %}
{% endmacro %}
