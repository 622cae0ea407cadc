{#- Free text with each run of blanks inside it (spaces, tabs, line breaks, no-break spaces from
    web forms and spreadsheets) as one space: 'Mary  Ann', '12 Main\tSt' are 'Mary Ann' and
    '12 Main St', so they read, match and deduplicate as typed once. Only values holding such a
    run pay for the regular expression (contains is a byte search). -#}
{% macro single_spaced(column) -%}
case
  when contains({{ column }}, '  ') or contains({{ column }}, chr(9)) or contains({{ column }}, chr(10))
    or contains({{ column }}, chr(13)) or contains({{ column }}, chr(160))
    then regexp_replace({{ column }}, '[ ' || chr(9) || chr(10) || chr(13) || chr(160) || ']+', ' ', 'g')
  else {{ column }}
end
{%- endmacro %}
