{#- `columns` (SQL expressions) are the model's composite key: no row has a NULL in any of them,
    and no two rows share them. One grouping pass serves both checks: a NULL key value is its
    own group and fails by the `having` clause. -#}
{% test primary_key(model, columns) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
    {%- for column in columns %}
    or {{ column }} is null
    {%- endfor %}
{% endtest %}
