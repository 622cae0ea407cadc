{#- The ids of the given rules that failed, in catalog order, from the failed-rules mask. Most
    records fail nothing: they get the empty list without building and filtering a list per row. -#}
{% macro failed_rule_list(rules, failed_bits='failed_rule_bits') %}
  {{ return("case when (" ~ failed_bits ~ " & " ~ rule_mask(rules) ~ ") = 0 then " ~ empty_list('varchar')
            ~ " else " ~ non_null_list(failed_rule_expressions(rules, failed_bits)) ~ " end") }}
{% endmacro %}
