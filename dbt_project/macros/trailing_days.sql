{#- A query of (transaction_date, counted_date) pairs: for each day of the load window, the days
    its statistics count, itself and the (trailing_statistics_days - 1) days before it. Joined on
    counted_date to per-day sums, and grouped by transaction_date, it gives each day its trailing
    sums without reading a transaction twice. -#}
{% macro trailing_days() -%}
    {%- do trailing_statistics_start() -%}  {#- checks var trailing_statistics_days -#}
    select
        cast(window_day.day as date) as transaction_date,
        cast(window_day.day as date) - cast(back.days as integer) as counted_date
    from range(date '{{ transaction_window_start() }}', date '{{ run_date() }}' + interval 1 day,
               interval 1 day) as window_day(day)
    cross join range({{ var('trailing_statistics_days') | int }}) as back(days)
{%- endmacro %}
