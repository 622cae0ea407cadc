{#- A list of the given SQL expressions' values, NULLs left out, in the given order. -#}
{% macro non_null_list(expressions) %}
  {{ return(adapter.dispatch('non_null_list')(expressions)) }}
{% endmacro %}

{% macro duckdb__non_null_list(expressions) -%}
list_filter([{{ expressions | join(', ') }}], lambda item: item is not null)
{%- endmacro %}

{% macro spark__non_null_list(expressions) -%}
filter(array({{ expressions | join(', ') }}), item -> item is not null)
{%- endmacro %}
