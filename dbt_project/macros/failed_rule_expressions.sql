{#- For each rule, an expression that is the rule id when the rule failed, else NULL. -#}
{% macro failed_rule_expressions(rules) %}
  {%- set expressions = [] -%}
  {%- for rule in rules -%}
    {%- do expressions.append("case when not " ~ rule_column(rule) ~ " then '" ~ rule.id ~ "' end") -%}
  {%- endfor -%}
  {{ return(expressions) }}
{% endmacro %}
