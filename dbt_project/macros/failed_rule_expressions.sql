{#- For each rule, an expression that is the rule id when the rule failed (its bit is set in the
    failed-rules mask), else NULL. -#}
{% macro failed_rule_expressions(rules, failed_bits='failed_rule_bits') %}
  {%- set expressions = [] -%}
  {%- for rule in rules -%}
    {%- do expressions.append("case when (" ~ failed_bits ~ " & " ~ rule_bit(rule) ~ ") <> 0 then '" ~ rule.id ~ "' end") -%}
  {%- endfor -%}
  {{ return(expressions) }}
{% endmacro %}
