{#- The run date being processed: the `run_date` var, else $CDQ_RUN_DATE, else for `dbt build` and
    `dbt run` the latest date under raw/, and for every other command (test, compile, show, docs
    generate, ...) the date the warehouse was last built for (built_run_date(), two small queries
    a call), so they check what it holds. The environment is read only when executing: what dbt parses must not depend on the
    day, or every new date would make it parse the whole project again (~3 s; a changed --vars
    always does). A given date must be a real YYYY-MM-DD date: the error names where it came
    from. -#}
{% macro run_date() %}
  {%- set chosen = var('run_date', none) -%}
  {%- if chosen -%}
    {{ return(checked_run_date(chosen | string | trim, "var run_date")) }}
  {%- endif -%}
  {%- if not execute -%}
    {{ return('1970-01-01') }}
  {%- endif -%}
  {%- set given = env_var('CDQ_RUN_DATE', '') | trim -%}
  {%- if given -%}
    {{ return(checked_run_date(given, "CDQ_RUN_DATE")) }}
  {%- endif -%}
  {%- set built = built_run_date() if flags.WHICH not in ('build', 'run') else none -%}
  {%- if built -%}
    {{ return(built) }}
  {%- endif -%}
  {%- set found = run_query(
        "select max(regexp_extract(file, '(\\d{4}-\\d{2}-\\d{2})/customers\\.parquet$', 1)) "
        ~ "from glob('" ~ data_dir() ~ "/raw/*/customers.parquet')") -%}
  {%- set latest = found.columns[0].values()[0] if found else none -%}
  {%- if not latest -%}
    {%- set where = "" if env_var('CDQ_DATA_DIR', '') else
          " (the data directory is ./data of the directory dbt runs in: run dbt from the repository root, "
          ~ "or set CDQ_DATA_DIR)" -%}
    {{ exceptions.raise_compiler_error(
        "no raw data under " ~ data_dir() ~ "/raw" ~ where ~ ": generate some with `just generate`, "
        ~ "or give a date: CDQ_RUN_DATE=YYYY-MM-DD or --vars '{run_date: YYYY-MM-DD}'") }}
  {%- endif -%}
  {{ return(latest) }}
{% endmacro %}
