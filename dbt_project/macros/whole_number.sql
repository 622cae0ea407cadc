{#- A whole number from text as INTEGER, NULL for anything else: a cast would round 0.5 kg of
    weighed goods to 1 unnoticed. Trailing zeros after the point are no fraction ("2.0", as a
    typed export writes 2). -#}
{% macro whole_number(text) -%}
case
  when strpos({{ text }}, '.') = 0 then try_cast({{ text }} as integer)
  when {{ regex_full_match(text, "'[+-]?[0-9]+\\.0*'") }} then try_cast(split_part({{ text }}, '.', 1) as integer)
end
{%- endmacro %}
