{#- A rule's bit in the rule masks: 2^(the rule's position in the catalog), as a BIGINT literal.
    The record models carry the rule results as two masks (evaluated_rule_bits, failed_rule_bits)
    instead of one boolean column per rule: every persisted column costs compression time per
    million rows, and two integers are cheap to combine, count and decode. -#}
{% macro rule_bit(rule) %}
  {{ return(2 ** rule.bit) }}
{% endmacro %}
