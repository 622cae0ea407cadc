{#- A phone without the extension a source appended to it ("ext. 45", "x12", "#3"): E.164 has
    no extension, and with it the letters would make the whole number unusable. Only values with
    an x or a # pay for the regular expression. -#}
{% macro without_phone_extension(phone) -%}
case
  when strpos({{ phone }}, 'x') > 0 or strpos({{ phone }}, 'X') > 0 or strpos({{ phone }}, '#') > 0
    then regexp_replace({{ phone }}, '\s*(ext(ension)?\.?|x|#)\s*[0-9]{1,6}$', '', 'i')
  else {{ phone }}
end
{%- endmacro %}
