{#- The model's key: no row has a NULL in any of its parts, and no two rows share it. On the model,
    `columns` (SQL expressions) name a composite key; on a column, the key is that column. One
    query serves both checks, where dbt's `unique` and `not_null` took a node each.

    A key of one text column (ids, e-mail domains) is found repeated by its hashes first
    (macros/repeated_hashes.sql: at 100M transactions, grouping every id's text ran out of the 3 GB
    memory limit beside the other tests); a hash collision only brings a unique value into the
    second aggregate, whose count leaves it out. Other keys are grouped as they are: an integer
    key in a plain array (perfect_ht_threshold in profiles.yml), ~3x faster than by its hash. A
    NULL key is its own group, and fails. -#}
{% test primary_key(model, columns=none, column_name=none) %}
{%- set key_columns = columns or [column_name] -%}
{%- set key = key_columns | join(', ') -%}
{%- set relation_columns = adapter.get_columns_in_relation(model) if execute and key_columns | length == 1 else [] -%}
{%- set single = relation_columns | selectattr('name', 'equalto', key_columns[0]) | first -%}
{%- if single is defined and single.is_string() %}
with repeated_hashes as (
    {{ repeated_hashes(model, key) }}
)

select {{ key }}, count(*) as occurrences
from {{ model }}
semi join repeated_hashes on hash({{ key }}) = repeated_hashes.value_hash
where {{ key }} is not null
group by {{ key }}
having count(*) > 1

union all

select null, count(*)
from {{ model }}
where {{ key }} is null
having count(*) > 0
{%- else %}
select {{ key }}, count(*) as occurrences
from {{ model }}
group by {{ key }}
having count(*) > 1
    {%- for column in key_columns %}
    or {{ column }} is null
    {%- endfor %}
{%- endif %}
{% endtest %}
