{#- A date from text in any of the `date_formats` var's formats; else, from an ISO 8601 date-time
    with a fraction of a second or a zone (an export's timestamps: "2024-03-01T23:30:00-05:00"),
    the date as written, the local one: read at UTC it would be a day later. NULL when neither fits. -#}
{% macro parse_date(column) %}
  {{ return(adapter.dispatch('parse_date')(column)) }}
{% endmacro %}

{% macro duckdb__parse_date(column) -%}
coalesce(
    cast(try_strptime({{ column }}, [{{ "'" ~ var('date_formats') | join("', '") ~ "'" }}]) as date),
    case
        when {{ regex_full_match(column, "'" ~ var('iso_date_time_pattern') ~ "'") }}
            then cast(try_strptime(left({{ column }}, 10), '%Y-%m-%d') as date)
    end
)
{%- endmacro %}
