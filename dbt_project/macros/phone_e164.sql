{#- A phone number in E.164 (+<calling code><national number>), or NULL when it cannot be one.

    Accepts international forms (+49..., 0049...), national forms with the trunk prefix
    (030..., 1-415-...) and bare national numbers, in any grouping. Text with letters is not a
    phone number. The national number's length is checked against the country's plan.
    `digits` is the phone's digits alone, computed once by the caller. -#}
{% macro phone_e164(phone, digits, calling_code, trunk_prefix, min_length, max_length) %}
  {{ return(adapter.dispatch('phone_e164')(phone, digits, calling_code, trunk_prefix, min_length, max_length)) }}
{% endmacro %}

{% macro default__phone_e164(phone, digits, calling_code, trunk_prefix, min_length, max_length) -%}
{%- set national -%}
case
  when {{ phone }} like '+%' then
    case when {{ digits }} like {{ calling_code }} || '%' then substr({{ digits }}, length({{ calling_code }}) + 1) end
  when {{ digits }} like '00%' then
    case when {{ digits }} like '00' || {{ calling_code }} || '%' then substr({{ digits }}, length({{ calling_code }}) + 3) end
  when {{ trunk_prefix }} is not null and {{ digits }} like {{ trunk_prefix }} || '%'
    and length({{ digits }}) - length({{ trunk_prefix }}) between {{ min_length }} and {{ max_length }}
    then substr({{ digits }}, length({{ trunk_prefix }}) + 1)
  else {{ digits }}
end
{%- endset -%}
case
  when {{ phone }} is null or {{ calling_code }} is null then null
  when regexp_matches({{ phone }}, '[A-Za-z]') then null
  when length({{ national }}) between {{ min_length }} and {{ max_length }}
    then '+' || {{ calling_code }} || {{ national }}
end
{%- endmacro %}
