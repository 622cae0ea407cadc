{{ config(materialized='published') }}
{#- What happened to every raw record, and why. -#}
with

resolved as (
    select * from {{ ref('int_customers_resolved') }}
),

final as (
    select
        source_row_number,
        raw_customer_id as customer_id,
        outcome,
        survivor_row_number,
        failed_rules,
        repaired_columns,
        dq_score,
        run_date
    from resolved
)

select * from final
