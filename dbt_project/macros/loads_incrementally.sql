{#- For the in_place materialization what is_incremental() is for dbt's incremental one: true when
    the model's table exists and this run adds to it (no --full-refresh), so the query may read the
    rows loaded before. -#}
{% macro loads_incrementally() %}
  {%- if not execute -%}
    {{ return(false) }}
  {%- endif -%}
  {%- set relation = adapter.get_relation(this.database, this.schema, this.identifier) -%}
  {{ return(relation is not none and relation.type == 'table' and not should_full_refresh()) }}
{% endmacro %}
