{#- on-run-start: point the `raw.customers` source at the run date's raw file.
    Fails with the path when the file is missing and with the column when the raw contract
    is broken; extra columns are ignored and recorded as schema drift. -#}
{% macro register_raw_customers() %}
  {%- if not registers_raw_sources() -%}
    {{ return('') }}
  {%- endif -%}
  {%- set path = data_dir() ~ '/raw/' ~ run_date() ~ '/customers.parquet' -%}
  {%- set contract = var('raw_customer_columns') -%}
  {%- set types = raw_file_columns(path, contract) -%}
  {%- set extra = types | reject('in', contract) | list -%}
  create schema if not exists raw;
  create or replace view raw.customers as
  select
    file_row_number as source_row_number,
    {%- for column in contract %}
    {{ raw_text(column, types[column], column in var('raw_customer_date_columns')) }} as "{{ column }}"{{ "," if not loop.last }}
    {%- endfor %}
  from read_parquet('{{ path }}', file_row_number = true);
  create or replace table raw.customers_schema_drift as
  select * from (values
    {%- for column in extra %} ('{{ run_date() }}'::date, '{{ column }}', 'added'),{% endfor %}
    (null::date, null, null)) as t(run_date, column_name, change)
  where column_name is not null;
  comment on table raw.customers_schema_drift is 'Columns of the run date''s raw customers file that the raw contract does not know (ignored by the models): schema drift.'
{% endmacro %}
