{#- A raw column as text, whatever type its file stores, as `--input` reads it
    (orchestration/ingest.py): bytes (Parquet BINARY without the UTF-8 annotation, as some writers
    store text) are decoded as UTF-8 (a plain cast would write every non-ASCII byte as an escape,
    \xC3\xBC for ü; bytes that are not UTF-8 fail the read); an instant (TIMESTAMP WITH TIME ZONE)
    is read at UTC, where the contract's dates live; a timestamp in a date column (`is_date`) is
    read as its date (a midnight TIMESTAMP export of a DATE, which as text no date format fits);
    any other type is cast as DuckDB writes it. -#}
{% macro raw_text(column, column_type, is_date=false) -%}
{%- set value = 'decode("' ~ column ~ '")' if column_type == 'BLOB' else '"' ~ column ~ '"' -%}
{%- if column_type.startswith('TIMESTAMP WITH TIME ZONE') -%}
  {%- set value = "timezone('UTC', " ~ value ~ ")" -%}
{%- endif -%}
{%- if is_date and column_type.startswith('TIMESTAMP') -%}
  {%- set value = 'cast(' ~ value ~ ' as date)' -%}
{%- endif -%}
cast({{ value }} as varchar)
{%- endmacro %}
