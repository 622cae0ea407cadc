{#- Whole years between a birth date and a date (an age). -#}
{% macro age_in_years(birth_date, on_date) %}
  {{ return(adapter.dispatch('age_in_years')(birth_date, on_date)) }}
{% endmacro %}

{% macro duckdb__age_in_years(birth_date, on_date) -%}
cast(date_part('year', age({{ on_date }}, {{ birth_date }})) as integer)
{%- endmacro %}
