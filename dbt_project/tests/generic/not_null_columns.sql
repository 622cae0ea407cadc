{#- None of `columns` is NULL in any row: one scan for them all, where a `not_null` test on each
    column took a node (~50 ms of dbt's own work a day) and a scan each. A failing row is returned
    whole, with the names of its NULL columns. -#}
{% test not_null_columns(model, columns) %}
select
    concat_ws(', '
    {%- for column in columns %}, case when {{ column }} is null then '{{ column }}' end{%- endfor %}) as null_columns,
    *
from {{ model }}
where
    {%- for column in columns %}
    {{ column }} is null{{ ' or' if not loop.last }}
    {%- endfor %}
{% endtest %}
