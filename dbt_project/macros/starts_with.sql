{#- Whether `text` starts with `prefix` (NULL in, NULL out). A LIKE pattern built per row
    (text like prefix || '%') is parsed again for every row. -#}
{% macro starts_with(text, prefix) %}
  {{ return(adapter.dispatch('starts_with')(text, prefix)) }}
{% endmacro %}

{% macro default__starts_with(text, prefix) -%}
(left({{ text }}, length({{ prefix }})) = {{ prefix }})
{%- endmacro %}

{% macro duckdb__starts_with(text, prefix) -%}
starts_with({{ text }}, {{ prefix }})
{%- endmacro %}
