{#- One row per (failing record, failed rule) of an entity, with the raw value of the rule's
    column: the body of dq_rule_failures and dq_transaction_failures.
    failing: the entity's failing records (failed_rules and raw_<column> for every raw column);
    lineage: the expressions that locate the record (run date, source row);
    record_key: the entity's key column, published as delivered. -#}
{% macro rule_failures(failing, lineage, record_key, raw_columns) %}
with

failing as (
    select * from {{ failing }}
),

catalog as (
    select * from {{ ref('dq_rule_catalog') }}
),

failures as (
    select
        {%- for expression in lineage %}
        {{ expression }},
        {%- endfor %}
        raw_{{ record_key }} as {{ record_key }},
        unnest(failed_rules) as rule_id,
        {%- for column in raw_columns %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from failing
),

final as (
    select
        failures.* exclude (
            {%- for column in raw_columns %}
            raw_{{ column }}{{ "," if not loop.last }}
            {%- endfor %}
        ),
        catalog.column_name,
        catalog.severity,
        catalog.action,
        case catalog.column_name
            {%- for column in raw_columns %}
            when '{{ column }}' then failures.raw_{{ column }}
            {%- endfor %}
        end as raw_value
    from failures
    inner join catalog on failures.rule_id = catalog.rule_id
)

select * from final
{% endmacro %}
