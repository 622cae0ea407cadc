{#- The national number of a phone (its digits without the international or trunk prefix), for
    phone_e164. Accepts international forms (+49..., 0049...), national forms with the trunk
    prefix (030..., 1-415-...) and bare national numbers, in any grouping. `digits` is the
    phone's digits alone; NULL when an international prefix names another country. -#}
{% macro phone_national_number(phone, digits, calling_code, trunk_prefix, min_length, max_length) -%}
case
  when {{ phone }} like '+%' then
    case when {{ starts_with(digits, calling_code) }} then substr({{ digits }}, length({{ calling_code }}) + 1) end
  when {{ digits }} like '00%' then
    case when {{ starts_with(digits, "'00' || " ~ calling_code) }} then substr({{ digits }}, length({{ calling_code }}) + 3) end
  when {{ trunk_prefix }} is not null and {{ starts_with(digits, trunk_prefix) }}
    and length({{ digits }}) - length({{ trunk_prefix }}) between {{ min_length }} and {{ max_length }}
    then substr({{ digits }}, length({{ trunk_prefix }}) + 1)
  else {{ digits }}
end
{%- endmacro %}
