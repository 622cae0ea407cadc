{#- The columns of a relation (e.g. read_parquet('...')) and their DuckDB types, in order. -#}
{% macro raw_column_types(relation) %}
  {%- set described = run_query("describe select * from " ~ relation) -%}
  {%- set types = {} -%}
  {%- for row in described.rows -%}
    {%- do types.update({row[0]: row[1]}) -%}
  {%- endfor -%}
  {{ return(types) }}
{% endmacro %}
