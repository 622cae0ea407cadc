{#- An amount from text as DECIMAL(18, 2): digits with an optional decimal point, and commas only
    as thousands separators in groups of three ("32,791.50"). Anything else is NULL, for the rules
    to judge: "52.000,50" or "52,5" (a decimal comma) read with the commas dropped would be a
    wrong number, not a repaired one. -#}
{% macro parse_amount(text) -%}
case
  when strpos({{ text }}, ',') = 0 then try_cast({{ text }} as decimal(18, 2))
  when {{ regex_full_match(text, "'-?[0-9]{1,3}(,[0-9]{3})+(\\.[0-9]+)?'") }}
    then try_cast(replace({{ text }}, ',', '') as decimal(18, 2))
end
{%- endmacro %}
