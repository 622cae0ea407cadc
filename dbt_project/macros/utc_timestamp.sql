{#- An ISO 8601 timestamp text as a UTC TIMESTAMP (NULL when it does not parse). A text with an
    explicit offset after its time (+02:00, -0500, +05) is shifted to UTC: a plain cast to
    TIMESTAMP drops the offset and keeps the local wall-clock time. A text without one (or with
    Z) is read as UTC, whatever the session's time zone. `wall_clock`: that local time, when the
    caller has it (macro wall_clock_timestamp), so it is not parsed twice. -#}
{% macro utc_timestamp(text, wall_clock=none) %}
  {{ return(adapter.dispatch('utc_timestamp')(text, wall_clock)) }}
{% endmacro %}

{% macro duckdb__utc_timestamp(text, wall_clock=none) -%}
{#- A text ending in Z is UTC already (the generator writes those): the regex over every row
    would cost as much as the cast itself. -#}
case when not ends_with({{ text }}, 'Z') and regexp_matches({{ text }}, ':[0-9]{2}(\.[0-9]+)?[+-][0-9]{2}(:?[0-9]{2})?$')
    then timezone('UTC', try_cast({{ text }} as timestamptz))
    else {{ wall_clock or 'try_cast(' ~ text ~ ' as timestamp)' }}
end
{%- endmacro %}
