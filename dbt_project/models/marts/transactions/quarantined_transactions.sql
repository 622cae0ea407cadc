{{ config(materialized='published') }}
{#- The window's transactions kept out of the load: they fail an error rule (a missing or
    invalid value, an unknown customer, product or store, a transaction before its customer
    signed up, a repeated id). Raw values exactly as delivered, with the reasons. -#}
with

checked as (
    select * from {{ ref('int_transactions_failing') }}
    where outcome in ('quarantined', 'duplicate')
),

final as (
    select
        source_date,
        source_row_number,
        outcome,
        failed_rules as dq_failed_rules,
        duplicate_of_source_date,
        duplicate_of_row_number,
        {%- for column in var('raw_transaction_columns') %}
        raw_{{ column }} as "{{ column }}"{{ "," if not loop.last }}
        {%- endfor %}
    from checked
)

select * from final
