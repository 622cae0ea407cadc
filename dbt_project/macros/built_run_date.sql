{#- The run date of the last build or run of this warehouse (raw.built_run_date, macro
    record_run_date), or none. -#}
{% macro built_run_date() %}
  {%- set recorded = run_query("select count(*) from duckdb_tables() "
                               ~ "where schema_name = 'raw' and table_name = 'built_run_date'") -%}
  {%- if recorded.columns[0].values()[0] == 0 -%}
    {{ return(none) }}
  {%- endif -%}
  {%- set found = run_query("select strftime(max(run_date), '%Y-%m-%d') from raw.built_run_date") -%}
  {{ return(found.columns[0].values()[0]) }}
{% endmacro %}
