{#- The ids of the given rules that failed, in catalog order, from a failed-rules mask. -#}
{% macro failed_rule_list(rules, failed_bits='failed_rule_bits') %}
  {%- set flags = [] -%}
  {%- for rule in rules -%}
    {%- do flags.append((rule.id, rule_bit(rule))) -%}
  {%- endfor -%}
  {{ return(flag_list(flags, failed_bits)) }}
{% endmacro %}
