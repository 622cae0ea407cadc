{#- Check one raw file against its contract: fail naming the path when the file is missing and
    naming the column(s) when required ones are absent or stored more than once (DuckDB would
    read the second as <name>_1). Returns the file's columns and their types; the extra columns
    (schema drift) are logged and ignored by the models. -#}
{% macro raw_file_columns(path, contract) %}
  {%- if run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] == 0 -%}
    {{ exceptions.raise_compiler_error("raw file not found: " ~ path) }}
  {%- endif -%}
  {%- set types = raw_column_types("read_parquet('" ~ path ~ "')") -%}
  {%- set missing = contract | reject('in', types) | list -%}
  {%- if missing -%}
    {{ exceptions.raise_compiler_error(
        "raw file " ~ path ~ " is missing required column(s): " ~ missing | join(', ')
        ~ " (expected: " ~ contract | join(', ') ~ ")") }}
  {%- endif -%}
  {%- set stored = top_level_parquet_columns(path) -%}
  {%- set repeated = [] -%}
  {%- for column in contract if stored.count(column) > 1 -%}
    {%- do repeated.append(column) -%}
  {%- endfor -%}
  {%- if repeated -%}
    {{ exceptions.raise_compiler_error(
        "raw file " ~ path ~ " has contract column(s) " ~ repeated | join(', ') ~ " more than once") }}
  {%- endif -%}
  {%- set extra = types | reject('in', contract) | list -%}
  {%- if extra -%}
    {{ log("schema drift: " ~ path ~ " has extra column(s) " ~ extra | join(', ') ~ ", ignored", info=true) }}
  {%- endif -%}
  {{ return(types) }}
{% endmacro %}
