{#- dbt's `unique` test on DuckDB (dbt dispatches test_unique here, before its own default):
    the same failing rows (unique_field, n_records), found by the values' 64-bit hashes first.
    Grouping every value of a long text key cost ~3x more: at 100M transactions the ids' hash
    table spilled to disk and, beside the other tests, ran out of the 3 GB memory limit. A hash
    collision only brings a unique value into the second aggregate, whose count leaves it out. -#}
{% macro duckdb__test_unique(model, column_name) %}
with repeated_hashes as (
    select hash({{ column_name }}) as value_hash
    from {{ model }}
    where {{ column_name }} is not null
    group by value_hash
    having count(*) > 1
)

select {{ column_name }} as unique_field, count(*) as n_records
from {{ model }}
semi join repeated_hashes on hash({{ column_name }}) = repeated_hashes.value_hash
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{% endmacro %}
