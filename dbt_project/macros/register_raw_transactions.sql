{#- on-run-start: point the `raw.transactions`, `raw.products` and `raw.stores` sources at the
    raw files of the load window (transactions: every date of the window that has a file) and
    their catalogues. A day's transactions are checked against the catalogue (products and
    stores) delivered beside them, or, for a date that has none, against the newest one of the
    window: a product since dropped from the catalogue, or an id
    the source reused, must not quarantine or relabel a sale of an earlier day each time the
    window reloads it. Every transaction carries its catalogue's date (`catalogue_date`), and so
    does every catalogue row. The files are listed in table `raw.transaction_files` with their
    row counts, which the models read to know which rows they reload
    (macros/reloaded_transactions.sql): the rows loaded before from a window date that has no
    file any more stay as they are.

    No transaction file in the window: the views are empty (a customer-only project still
    builds) and the run says so. A run date without transactions (e.g. customers from --input)
    still loads the window's earlier days. Every file must meet its contract, and some day of
    the window must have a catalogue: the error names the path or the column. -#}
{% macro register_raw_transactions() %}
  {%- if not registers_raw_sources() -%}
    {{ return('') }}
  {%- endif -%}
  {%- set day_dir = data_dir() ~ '/raw/' ~ run_date() -%}
  {%- set files = transaction_files() -%}
  {%- set paths = files | map('last') | list -%}
  create schema if not exists raw;
  {#- the files this build loads, listed once: a file delivered while it runs waits for the next -#}
  create or replace table raw.transaction_files (file_date date, path varchar, row_count bigint);
  comment on table raw.transaction_files is 'The raw transaction files of the build''s load window, with their row counts: the rows the build reloads (macros/reloaded_transactions.sql).';
  {%- if not paths -%}
    {{ log("no raw transactions from " ~ transaction_window_start() ~ " to " ~ run_date() ~ " under "
           ~ data_dir() ~ "/raw: the transaction models build empty", info=true) }}
  {{ empty_raw_transaction_views() }}
  {%- else -%}
  {%- set latest_dir = paths[-1][:-('/transactions.parquet' | length)] -%}
  {%- if latest_dir != day_dir -%}
    {{ log("no raw transactions for " ~ run_date() ~ ": loading the window's earlier days", info=true) }}
  {%- endif -%}
  {#- each file date's catalogue date: its own when both catalogue files are beside it, else the
      newest of the window's (none at all: the latest date's, whose missing file is then named) -#}
  {%- set catalogue_files = {} -%}
  {%- for file_date, path in files -%}
    {%- do raw_file_columns(path, var('raw_transaction_columns')) -%}
    {%- set dir = path[:-('/transactions.parquet' | length)] -%}
    {%- do catalogue_files.update({file_date: [dir ~ '/products.parquet', dir ~ '/stores.parquet']}) -%}
  {%- endfor -%}
  {#- one glob for the whole window: which of those files exist -#}
  {%- set found = run_query("select file from glob(['" ~ catalogue_files.values() | sum(start=[]) | join("', '")
                            ~ "'])").columns[0].values() -%}
  {%- set with_catalogue = [] -%}
  {%- for file_date, wanted in catalogue_files.items() if wanted[0] in found and wanted[1] in found -%}
    {%- do with_catalogue.append(file_date) -%}
  {%- endfor -%}
  {%- set newest_catalogue = (with_catalogue or [files[-1][0]])[-1] -%}
  {%- set catalogue_of = {} -%}
  {%- for file_date, path in files -%}
    {%- do catalogue_of.update({file_date: file_date if file_date in with_catalogue else newest_catalogue}) -%}
  {%- endfor -%}
  {%- set catalogue_dates = catalogue_of.values() | unique | sort | list -%}
  {%- set catalogues = {} -%}
  {%- for entity in ['products', 'stores'] -%}
    {%- set entity_files = [] -%}
    {%- for catalogue_date in catalogue_dates -%}
      {%- set file = data_dir() ~ '/raw/' ~ catalogue_date ~ '/' ~ entity ~ '.parquet' -%}
      {%- do raw_file_columns(file, var('raw_' ~ entity[:-1] ~ '_columns')) -%}
      {%- do entity_files.append(file) -%}
    {%- endfor -%}
    {%- set read = "read_parquet(['" ~ entity_files | join("', '") ~ "'], filename = true, file_row_number = true, "
                   ~ "union_by_name = true)" -%}
    {%- do catalogues.update({entity: {'files': entity_files, 'read': read, 'types': raw_column_types(read)}}) -%}
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
    case {{ transaction_file_date('filename') }}
      {%- for file_date, catalogue_date in catalogue_of.items() %}
      when date '{{ file_date }}' then date '{{ catalogue_date }}'
      {%- endfor %}
    end as catalogue_date,
    file_row_number as source_row_number,
    {%- for column in var('raw_transaction_columns') %}
    {{ raw_text(column, transaction_types[column]) }} as "{{ column }}"{{ "," if not loop.last }}
    {%- endfor %}
  from {{ transactions }};
  {%- for entity, catalogue in catalogues.items() %}
  create or replace view raw.{{ entity }} as
  select
    case filename
      {%- for file in catalogue.files %}
      when '{{ file }}' then date '{{ catalogue_dates[loop.index0] }}'
      {%- endfor %}
    end as catalogue_date,
    file_row_number as source_row_number,
    {%- for column in var('raw_' ~ entity[:-1] ~ '_columns') %}
    {{ raw_text(column, catalogue.types[column]) }} as "{{ column }}"{{ "," if not loop.last }}
    {%- endfor %}
  from {{ catalogue.read }};
  {%- endfor %}
  {%- endif %}
{% endmacro %}
