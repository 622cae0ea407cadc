{#- on-run-start, after the raw views are registered: their descriptions from the sources' yml as
    DuckDB comments, as persist_docs gives the models', for whoever queries the warehouse. For the
    same commands as the registering: re-creating a view drops its comments. -#}
{% macro comment_on_sources() %}
  {%- if not registers_raw_sources() -%}
    {{ return('') }}
  {%- endif -%}
  {%- for source in graph.sources.values() if source.description %}
  {%- set relation = source.schema ~ '.' ~ source.identifier %}
  comment on view {{ relation }} is '{{ source.description | trim | replace("'", "''") }}';
    {%- for column in source.columns.values() if column.description %}
  comment on column {{ relation }}."{{ column.name }}" is '{{ column.description | trim | replace("'", "''") }}';
    {%- endfor %}
  {%- endfor %}
{% endmacro %}
