{#- Check one raw file against its contract: fail naming the path when the file is missing and
    naming the column(s) when required ones are absent. Returns the extra columns (schema drift),
    which are ignored by the models. -#}
{% macro raw_file_columns(path, contract) %}
  {%- if run_query("select count(*) from glob('" ~ path ~ "')").columns[0].values()[0] == 0 -%}
    {{ exceptions.raise_compiler_error("raw file not found: " ~ path) }}
  {%- endif -%}
  {%- set described = run_query("describe select * from read_parquet('" ~ path ~ "')") -%}
  {%- set present = described.columns[0].values() | list -%}
  {%- set missing = contract | reject('in', present) | list -%}
  {%- if missing -%}
    {{ exceptions.raise_compiler_error(
        "raw file " ~ path ~ " is missing required column(s): " ~ missing | join(', ')
        ~ " (expected: " ~ contract | join(', ') ~ ")") }}
  {%- endif -%}
  {%- set extra = present | reject('in', contract) | list -%}
  {%- if extra -%}
    {{ log("schema drift: " ~ path ~ " has extra column(s) " ~ extra | join(', ') ~ ", ignored", info=true) }}
  {%- endif -%}
  {{ return(extra) }}
{% endmacro %}
