{#- The names of a Parquet file's top-level columns, as stored (repeated names included: DuckDB's
    own schema renames a repeat to <name>_1). parquet_schema() lists every schema element depth
    first, the children of structs and lists included; a stack of the children still to come
    tells the top level from the rest. -#}
{% macro top_level_parquet_columns(path) %}
  {%- set elements = run_query("select name, coalesce(num_children, 0) from parquet_schema('" ~ path ~ "')").rows -%}
  {%- set names, pending = [], [elements[0][1]] -%}
  {%- for name, children in elements[1:] -%}
    {%- if pending | length == 1 -%}
      {%- do names.append(name) -%}
    {%- endif -%}
    {%- do pending.append(pending.pop() - 1) -%}
    {%- if children > 0 -%}
      {%- do pending.append(children) -%}
    {%- endif -%}
    {%- for _ in range(pending | length) if pending and pending[-1] == 0 -%}
      {%- do pending.pop() -%}
    {%- endfor -%}
  {%- endfor -%}
  {{ return(names) }}
{% endmacro %}
