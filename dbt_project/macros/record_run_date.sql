{#- on-run-start of a build or run: record the run date in table raw.built_run_date, so that a later
    `dbt test`, `compile` or `show` without a date works on the date the warehouse holds, not on
    the latest raw date (run_date()). -#}
{% macro record_run_date() %}
  {%- if not execute or flags.WHICH not in ('build', 'run') -%}
    {{ return('') }}
  {%- endif -%}
  create schema if not exists raw;
  create or replace table raw.built_run_date as select date '{{ run_date() }}' as run_date;
  comment on table raw.built_run_date is 'The run date of the last build: a later dbt test, compile or show without a date works on it.'
{% endmacro %}
