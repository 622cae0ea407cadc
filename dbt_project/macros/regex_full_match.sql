{#- True when the whole of `text` matches `pattern` (NULL in, NULL out). -#}
{% macro regex_full_match(text, pattern) %}
  {{ return(adapter.dispatch('regex_full_match')(text, pattern)) }}
{% endmacro %}

{% macro duckdb__regex_full_match(text, pattern) -%}
regexp_full_match({{ text }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regex_full_match(text, pattern) -%}
({{ text }} rlike concat('^(?:', {{ pattern }}, ')$'))
{%- endmacro %}
