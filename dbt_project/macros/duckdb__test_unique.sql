{#- dbt's `unique` test on DuckDB (dbt dispatches test_unique here, before its own default): the
    same failing rows (unique_field, n_records). A text column's repeated values are found by their
    hashes first (macros/repeated_hashes.sql: at 100M transactions the ids' test grouping every
    text ran out of the 3 GB memory limit beside the other tests); a hash collision only brings a
    unique value into the second aggregate, whose count leaves it out. Other columns keep dbt's
    query: an integer key is grouped in a plain array (perfect_ht_threshold in profiles.yml), ~3x
    faster than by its hash. -#}
{% macro duckdb__test_unique(model, column_name) %}
{%- set columns = adapter.get_columns_in_relation(model) if execute else [] -%}
{%- set column = columns | selectattr('name', 'equalto', column_name) | first -%}
{%- if column is defined and column.is_string() %}
with repeated_hashes as (
    {{ repeated_hashes(model, column_name) }}
)

select {{ column_name }} as unique_field, count(*) as n_records
from {{ model }}
semi join repeated_hashes on hash({{ column_name }}) = repeated_hashes.value_hash
where {{ column_name }} is not null
group by {{ column_name }}
having count(*) > 1
{%- else %}
{{ dbt.default__test_unique(model, column_name) }}
{%- endif %}
{% endmacro %}
