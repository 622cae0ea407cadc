{#- The boolean column that holds a rule's result: customers.email.format -> rule__customers__email__format -#}
{% macro rule_column(rule) %}
  {{ return('rule__' ~ rule.id | replace('.', '__')) }}
{% endmacro %}
