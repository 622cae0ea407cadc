{#- Folds the rules' boolean results (columns named by rule_column: TRUE pass, FALSE fail, NULL
    not evaluated) into one mask: outcome 'evaluated' sets the bit of every rule evaluated,
    'failed' the bit of every rule failed. -#}
{% macro rule_result_bits(rules, outcome) %}
  {%- set terms = [] -%}
  {%- for rule in rules -%}
    {%- set condition = rule_column(rule) ~ (' is not null' if outcome == 'evaluated' else ' = false') -%}
    {%- do terms.append('case when ' ~ condition ~ ' then ' ~ rule_bit(rule) ~ ' else 0 end') -%}
  {%- endfor -%}
  {{ return('cast(' ~ (terms | join(' + ') if terms else '0') ~ ' as bigint)') }}
{% endmacro %}
