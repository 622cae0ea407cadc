{#- A whole number from text as INTEGER, NULL for anything else: a cast would round 0.5 kg of
    weighed goods to 1 unnoticed. Trailing zeros after the point are no fraction ("2.0", as a
    typed export writes 2). -#}
{% macro whole_number(text) -%}
case
  when strpos({{ text }}, '.') = 0 then try_cast({{ text }} as integer)
  when strpos(rtrim(rtrim({{ text }}, '0'), '.'), '.') = 0 then try_cast(rtrim(rtrim({{ text }}, '0'), '.') as integer)
end
{%- endmacro %}
