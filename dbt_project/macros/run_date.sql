{#- The run date being processed: the `run_date` var, else $CDQ_RUN_DATE, else the latest date
    under raw/. The environment is read only when executing: what dbt parses must not depend on
    the day, or every new date would make it parse the whole project again (~3 s; a changed
    --vars always does). -#}
{% macro run_date() %}
  {%- set chosen = var('run_date', none) -%}
  {%- if chosen -%}
    {{ return(chosen | string) }}
  {%- endif -%}
  {%- if not execute -%}
    {{ return('1970-01-01') }}
  {%- endif -%}
  {%- set given = env_var('CDQ_RUN_DATE', '') | trim -%}
  {%- if given -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', given) -%}
      {{ exceptions.raise_compiler_error("CDQ_RUN_DATE must be a date as YYYY-MM-DD, got '" ~ given ~ "'") }}
    {%- endif -%}
    {{ return(given) }}
  {%- endif -%}
  {%- set found = run_query(
        "select max(regexp_extract(file, '(\\d{4}-\\d{2}-\\d{2})/customers\\.(parquet|csv)$', 1)) "
        ~ "from glob('" ~ data_dir() ~ "/raw/*/customers.*')") -%}
  {%- set latest = found.columns[0].values()[0] if found else none -%}
  {%- if not latest -%}
    {{ exceptions.raise_compiler_error(
        "no raw data under " ~ data_dir() ~ "/raw: generate some with `just generate`, "
        ~ "or give a date: CDQ_RUN_DATE=YYYY-MM-DD or --vars '{run_date: YYYY-MM-DD}'") }}
  {%- endif -%}
  {{ return(latest) }}
{% endmacro %}
