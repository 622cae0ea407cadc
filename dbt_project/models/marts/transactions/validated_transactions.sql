{{ config(materialized='published') }}
{#- The window's transactions that pass every error rule: unique, complete, valid, pointing at
    a known customer, product and store. Warn-level findings (precision, anomalies) are kept
    as flags. No e-mail, phone or address. -#}
with

checked as (
    select * from {{ ref('int_transactions_checked') }}
    where outcome = 'validated'
),

final as (
    select
        transaction_id,
        transaction_date,
        transacted_at,
        customer_id,
        product_id,
        store_id,
        amount,
        currency,
        status,
        quantity,
        payment_method,
        failed_rules as dq_failed_rules,
        is_anomaly,
        source_date,
        source_row_number
    from checked
)

select * from final
