{#- The names whose flag bit is set in `bits` (an integer of flags), in the given order.
    `flags`: (name, bit value) pairs. Most records have no flag set: they get the empty list
    without building and filtering a list per row. -#}
{% macro flag_list(flags, bits) %}
  {%- set expressions = [] -%}
  {%- set mask = namespace(value=0) -%}
  {%- for name, bit in flags -%}
    {%- do expressions.append("case when (" ~ bits ~ " & " ~ bit ~ ") <> 0 then '" ~ name ~ "' end") -%}
    {%- set mask.value = mask.value + bit -%}
  {%- endfor -%}
  {{ return("case when (" ~ bits ~ " & " ~ mask.value ~ ") = 0 then " ~ empty_list('varchar')
            ~ " else " ~ non_null_list(expressions) ~ " end") }}
{% endmacro %}
