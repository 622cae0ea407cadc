with

checked as (
    select * from "warehouse"."main"."int_transactions_failing"
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
        raw_transaction_id as "transaction_id",
        raw_customer_id as "customer_id",
        raw_product_id as "product_id",
        raw_store_id as "store_id",
        raw_amount as "amount",
        raw_currency as "currency",
        raw_timestamp as "timestamp",
        raw_status as "status",
        raw_quantity as "quantity",
        raw_payment_method as "payment_method"
    from checked
)

select * from final