{#- Trimmed text, with the blanks and placeholders source systems use for "unknown" as NULL. -#}
{% macro clean_text(column) %}
  {{ return(adapter.dispatch('clean_text')(column)) }}
{% endmacro %}

{% macro default__clean_text(column) -%}
case
  when lower(trim({{ column }})) in ({{ "'" ~ var('null_markers') | join("', '") ~ "'" }}) then null
  else trim({{ column }})
end
{%- endmacro %}

{% macro duckdb__clean_text(column) -%}
case
  when lower(trim({{ column }}, e' \t\r\n')) in ({{ "'" ~ var('null_markers') | join("', '") ~ "'" }}) then null
  else trim({{ column }}, e' \t\r\n')
end
{%- endmacro %}
