{#- Trimmed text, with the blanks and placeholders source systems use for "unknown" as NULL;
    `kept`: placeholders that are values when spelled exactly so (a name "Nan"). -#}
{% macro clean_text(column, kept=[]) %}
  {{ return(adapter.dispatch('clean_text')(column, kept)) }}
{% endmacro %}

{% macro default__clean_text(column, kept=[]) -%}
case
  when lower(trim({{ column }})) in ({{ "'" ~ var('null_markers') | join("', '") ~ "'" }})
    {%- if kept %} and trim({{ column }}) not in ('{{ kept | join("', '") }}'){% endif %} then null
  else trim({{ column }})
end
{%- endmacro %}

{#- DuckDB: trim(text, characters) costs ~0.15 s per million values and `lower(...) in (list)`
    is planned as a join per column; with 17 columns that was most of the staging time. Here
    only values that start or end with blank characters are trimmed (prefix/suffix are byte
    compares), and only values as short as the longest placeholder are compared with them. -#}
{% macro duckdb__clean_text(column, kept=[]) -%}
{%- set blanks = blank_characters() -%}
{%- set ends = [] -%}
{%- for blank in blanks -%}
  {%- do ends.append("prefix(" ~ column ~ ", " ~ blank ~ ")") -%}
  {%- do ends.append("suffix(" ~ column ~ ", " ~ blank ~ ")") -%}
{%- endfor -%}
{%- set trimmed = "(case when " ~ ends | join(" or ") ~ " then trim(" ~ column ~ ", " ~ blanks | join(' || ') ~ ") else "
                  ~ column ~ " end)" -%}
{%- set markers = var('null_markers') -%}
case
  when length({{ trimmed }}) <= {{ markers | map('length') | max }}
    and list_contains(['{{ markers | join("', '") }}'], lower({{ trimmed }}))
    {%- if kept %} and not list_contains(['{{ kept | join("', '") }}'], {{ trimmed }}){% endif %} then null
  else {{ trimmed }}
end
{%- endmacro %}
