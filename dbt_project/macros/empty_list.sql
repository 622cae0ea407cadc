{#- An empty list of the given element type. -#}
{% macro empty_list(element_type) %}
  {{ return(adapter.dispatch('empty_list')(element_type)) }}
{% endmacro %}

{% macro duckdb__empty_list(element_type) -%}
cast([] as {{ element_type }}[])
{%- endmacro %}

{% macro spark__empty_list(element_type) -%}
cast(array() as array<{{ 'string' if element_type == 'varchar' else element_type }}>)
{%- endmacro %}
