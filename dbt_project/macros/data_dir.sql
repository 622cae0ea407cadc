{#- The data directory, absolute: $CDQ_DATA_DIR, default (unset or empty) ./data, relative to where dbt runs. Its
    paths go into SQL string literals: a path holding a single quote is refused, named. -#}
{% macro data_dir() %}
  {%- set path = absolute_path((env_var('CDQ_DATA_DIR', '') or 'data') | replace('\\', '/') | trim) -%}
  {%- if "'" in path -%}
    {{ exceptions.raise_compiler_error("the data directory " ~ path ~ " holds a ' (DuckDB reads its paths in SQL), "
                                       ~ "which is not supported: set CDQ_DATA_DIR to another") }}
  {%- endif -%}
  {{ return(path) }}
{% endmacro %}
