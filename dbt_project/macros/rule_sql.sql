{#- A rule's SQL expression (see customer_rules): its text, or built by its macro. -#}
{% macro rule_sql(rule) %}
  {%- if rule.sql is string -%}
    {{ return(rule.sql) }}
  {%- endif -%}
  {%- set builder_name, arguments = rule.sql -%}
  {%- if builder_name == 'postal_code_fits' -%}
    {{ return(postal_code_fits(*arguments)) }}
  {%- endif -%}
  {{ exceptions.raise_compiler_error("rule " ~ rule.id ~ ": no SQL builder named " ~ builder_name) }}
{% endmacro %}
