{#- `text` if it is a calendar date written YYYY-MM-DD, else a compilation error naming `origin`
    (where the date was given) and the value. Checked by hand: Jinja cannot catch the error of
    parsing a date such as 2026-02-30. -#}
{% macro checked_run_date(text, origin) %}
  {%- set ok = modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) is not none -%}
  {%- if ok -%}
    {%- set year, month, day = text[:4] | int, text[5:7] | int, text[8:] | int -%}
    {%- set leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) -%}
    {%- set month_days = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] -%}
    {%- set ok = year >= 1 and 1 <= month <= 12 and 1 <= day <= month_days[month - 1] -%}
  {%- endif -%}
  {%- if not ok -%}
    {{ exceptions.raise_compiler_error(origin ~ " must be a date as YYYY-MM-DD, got '" ~ text ~ "'") }}
  {%- endif -%}
  {{ return(text) }}
{% endmacro %}
