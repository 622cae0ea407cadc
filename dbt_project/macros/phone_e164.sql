{#- A phone number in E.164 (+<calling code><national number>), or NULL when it cannot be one:
    text with letters is not a phone number, and the national number (phone_national_number,
    computed once by the caller) must have a length the country's plan allows. -#}
{% macro phone_e164(phone, national_number, calling_code, min_length, max_length) %}
  {{ return(adapter.dispatch('phone_e164')(phone, national_number, calling_code, min_length, max_length)) }}
{% endmacro %}

{% macro default__phone_e164(phone, national_number, calling_code, min_length, max_length) -%}
case
  when {{ phone }} is null or {{ calling_code }} is null then null
  when regexp_matches({{ phone }}, '[A-Za-z]') then null
  when length({{ national_number }}) between {{ min_length }} and {{ max_length }}
    then '+' || {{ calling_code }} || {{ national_number }}
end
{%- endmacro %}
