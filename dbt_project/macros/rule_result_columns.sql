{#- One boolean column per rule (named by rule_column: TRUE pass, FALSE fail, NULL not
    evaluated), comma-separated for a select list. -#}
{% macro rule_result_columns(rules) %}
  {%- set columns = [] -%}
  {%- for rule in rules -%}
    {%- do columns.append('(' ~ rule_sql(rule) ~ ') as ' ~ rule_column(rule)) -%}
  {%- endfor -%}
  {{ return(columns | join(',\n        ')) }}
{% endmacro %}
