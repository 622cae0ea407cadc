{#- Days from one date to a later one. -#}
{% macro days_between(start_date, end_date) %}
  {{ return(adapter.dispatch('days_between')(start_date, end_date)) }}
{% endmacro %}

{% macro default__days_between(start_date, end_date) -%}
datediff('day', {{ start_date }}, {{ end_date }})
{%- endmacro %}

{% macro spark__days_between(start_date, end_date) -%}
datediff({{ end_date }}, {{ start_date }})
{%- endmacro %}
