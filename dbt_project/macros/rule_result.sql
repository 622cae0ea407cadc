{#- A rule's result decoded from the masks: TRUE pass, FALSE fail, NULL not evaluated. -#}
{% macro rule_result(rule, evaluated_bits='evaluated_rule_bits', failed_bits='failed_rule_bits') %}
  {%- set bit = rule_bit(rule) -%}
  {{ return('case when (' ~ evaluated_bits ~ ' & ' ~ bit ~ ') = 0 then null else ('
            ~ failed_bits ~ ' & ' ~ bit ~ ') = 0 end') }}
{% endmacro %}
