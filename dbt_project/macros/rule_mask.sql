{#- The bits of several rules together, as a BIGINT literal: `failed_rule_bits & mask <> 0`
    says whether any of them failed. -#}
{% macro rule_mask(rules) %}
  {%- set bits = [] -%}
  {%- for rule in rules -%}
    {%- do bits.append(rule_bit(rule)) -%}
  {%- endfor -%}
  {{ return(bits | sum) }}
{% endmacro %}
