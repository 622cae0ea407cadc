{#- Free text with each run of blanks inside it (spaces, tabs, line breaks, no-break spaces from
    web forms and spreadsheets) as one space: 'Mary  Ann', '12 Main\tSt' are 'Mary Ann' and
    '12 Main St', so they read, match and deduplicate as typed once. Only values holding such a
    run pay for the regular expression (contains is a byte search). -#}
{% macro single_spaced(column) -%}
{%- set blanks = blank_characters() -%}
case
  when contains({{ column }}, '  ')
    {%- for blank in blanks if blank != "' '" %} or contains({{ column }}, {{ blank }}){% endfor %}
    then regexp_replace({{ column }}, '[' || {{ blanks | join(' || ') }} || ']+', ' ', 'g')
  else {{ column }}
end
{%- endmacro %}
