{#- The blanks the staging trims from every value and collapses inside free text, as SQL
    expressions: space, tab, CR, LF, and the no-break space web forms and spreadsheets leave
    (orchestration/profile.py's TRIM_CHARS is the same set, for Python). -#}
{% macro blank_characters() -%}
  {{ return(["' '", "chr(9)", "chr(13)", "chr(10)", "chr(160)"]) }}
{%- endmacro %}
