{#- Gives each rule of an entity's catalog its bit in the rule masks (macros/rule_bit.sql): bit =
    the rule's position in that catalog. 63 bits (the sign bit is left alone) bound a catalog. -#}
{% macro with_rule_bits(catalog_name, rules) %}
  {%- if rules | length > 63 -%}
    {{ exceptions.raise_compiler_error(catalog_name ~ ": " ~ rules | length ~ " rules; the rule masks hold 63") }}
  {%- endif -%}
  {%- for rule in rules -%}
    {%- do rule.update({'bit': loop.index0}) -%}
  {%- endfor -%}
  {{ return(rules) }}
{% endmacro %}
