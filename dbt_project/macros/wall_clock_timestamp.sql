{#- An ISO 8601 timestamp text as the local wall-clock time it was written in (NULL when it does
    not parse): an offset after the time (+02:00, -0500) is dropped, not applied. A store's sale at
    23:00 -05:00 was made on its own day, though in UTC it is the next: its date, day of week and
    hour are the store's. -#}
{% macro wall_clock_timestamp(text) %}
  {{ return(adapter.dispatch('wall_clock_timestamp')(text)) }}
{% endmacro %}

{% macro duckdb__wall_clock_timestamp(text) -%}
try_cast({{ text }} as timestamp)
{%- endmacro %}
