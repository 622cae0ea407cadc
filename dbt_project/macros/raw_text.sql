{#- A raw column as text, whatever type its file stores: bytes (Parquet BINARY without the UTF-8
    annotation, as some writers store text) are decoded as UTF-8, as `--input` does (a plain cast
    would write every non-ASCII byte as an escape, \xC3\xBC for ü; bytes that are not UTF-8 fail
    the read); any other type is cast as DuckDB writes it. -#}
{% macro raw_text(column, column_type) -%}
{%- if column_type == 'BLOB' -%}
decode("{{ column }}")
{%- else -%}
cast("{{ column }}" as varchar)
{%- endif -%}
{%- endmacro %}
