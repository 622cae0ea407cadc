{#- A date from text in any of the `date_formats` var's formats; NULL when none fits. -#}
{% macro parse_date(column) %}
  {{ return(adapter.dispatch('parse_date')(column)) }}
{% endmacro %}

{% macro duckdb__parse_date(column) -%}
cast(try_strptime({{ column }}, [{{ "'" ~ var('date_formats') | join("', '") ~ "'" }}]) as date)
{%- endmacro %}
