{{ config(tags=['transactions']) }}
{#- One row per (window transaction, failed rule): answers "which raw rows failed rule X" for
    transactions, with the raw value of the rule's column. The transaction dq_rule tests read
    their failing records here. -#}
with

failing as (
    select * from {{ ref('int_transactions_failing') }}
),

catalog as (
    select * from {{ ref('dq_rule_catalog') }}
),

failures as (
    select
        source_date,
        source_row_number,
        raw_transaction_id as transaction_id,
        unnest(failed_rules) as rule_id,
        {%- for column in var('raw_transaction_columns') %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from failing
),

final as (
    select
        date '{{ run_date() }}' as run_date,
        failures.source_date,
        failures.source_row_number,
        failures.transaction_id,
        failures.rule_id,
        catalog.column_name,
        catalog.severity,
        catalog.action,
        case catalog.column_name
            {%- for column in var('raw_transaction_columns') %}
            when '{{ column }}' then failures.raw_{{ column }}
            {%- endfor %}
        end as raw_value
    from failures
    inner join catalog on failures.rule_id = catalog.rule_id
)

select * from final
