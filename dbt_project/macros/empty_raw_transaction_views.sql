{#- The raw transaction views with their columns and no rows: the sources when no
    transaction file falls in the load window (raw.transaction_files is then empty). -#}
{% macro empty_raw_transaction_views() %}
  create or replace view raw.transactions as
  select null::date as source_date, null::date as catalogue_date, null::bigint as source_row_number,
    {%- for column in var('raw_transaction_columns') %}
    null::varchar as "{{ column }}"{{ "," if not loop.last }}
    {%- endfor %}
  where false;
  {%- for entity in ['products', 'stores'] %}
  create or replace view raw.{{ entity }} as
  select null::date as catalogue_date, null::bigint as source_row_number,
    {%- for column in var('raw_' ~ entity[:-1] ~ '_columns') %}
    null::varchar as "{{ column }}"{{ "," if not loop.last }}
    {%- endfor %}
  where false;
  {%- endfor %}
{% endmacro %}
