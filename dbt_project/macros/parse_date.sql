{#- A date from text in any of the `date_formats` var's formats, tried in order; else, from an ISO
    8601 date-time with a fraction of a second or a zone (an export's timestamps:
    "2024-03-01T23:30:00-05:00"), the date as written, the local one: read at UTC it would be a day
    later. NULL when neither fits.

    A format is tried only on text holding the characters the format writes out (its `/`, `.`,
    `-`, `,`, `:`): strptime needs each of them, so the first format that fits is the same, and a
    value is tried against one or two formats rather than each of the list's in turn (each try
    costs as much whether it fits or not: ~11 s for 10M values through the whole list, ~2.5 s
    through one). -#}
{% macro parse_date(column) %}
  {{ return(adapter.dispatch('parse_date')(column)) }}
{% endmacro %}

{% macro duckdb__parse_date(column) -%}
coalesce(
    {%- for date_format in var('date_formats') %}
    {%- set written_out = modules.re.sub('%.|\\s', '', date_format) | list | unique | sort %}
    {%- if written_out %}
    case when {% for character in written_out %}contains({{ column }}, '{{ character }}'){{ ' and ' if not loop.last }}{% endfor %}
        then cast(try_strptime({{ column }}, '{{ date_format }}') as date) end,
    {%- else %}
    cast(try_strptime({{ column }}, '{{ date_format }}') as date),
    {%- endif %}
    {%- endfor %}
    case
        when {{ regex_full_match(column, "'" ~ var('iso_date_time_pattern') ~ "'") }}
            then cast(try_strptime(left({{ column }}, 10), '%Y-%m-%d') as date)
    end
)
{%- endmacro %}
