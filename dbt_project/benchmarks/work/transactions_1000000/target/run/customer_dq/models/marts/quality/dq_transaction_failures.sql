
    

    create  table
      "warehouse"."main"."dq_transaction_failures__dbt_tmp"
  
    
    as (
      
with

failing as (
    select * from "warehouse"."main"."int_transactions_failing"
),

catalog as (
    select * from "warehouse"."main"."dq_rule_catalog"
),

failures as (
    select
        date '2026-11-23' as run_date,
        source_date,
        source_row_number,
        raw_transaction_id as transaction_id,
        unnest(failed_rules) as rule_id,
        raw_transaction_id,
        raw_customer_id,
        raw_product_id,
        raw_store_id,
        raw_amount,
        raw_currency,
        raw_timestamp,
        raw_status,
        raw_quantity,
        raw_payment_method
    from failing
),

final as (
    select
        failures.* exclude (
            raw_transaction_id,
            raw_customer_id,
            raw_product_id,
            raw_store_id,
            raw_amount,
            raw_currency,
            raw_timestamp,
            raw_status,
            raw_quantity,
            raw_payment_method
        ),
        catalog.column_name,
        catalog.severity,
        catalog.action,
        case catalog.column_name
            when 'transaction_id' then failures.raw_transaction_id
            when 'customer_id' then failures.raw_customer_id
            when 'product_id' then failures.raw_product_id
            when 'store_id' then failures.raw_store_id
            when 'amount' then failures.raw_amount
            when 'currency' then failures.raw_currency
            when 'timestamp' then failures.raw_timestamp
            when 'status' then failures.raw_status
            when 'quantity' then failures.raw_quantity
            when 'payment_method' then failures.raw_payment_method
        end as raw_value
    from failures
    inner join catalog on failures.rule_id = catalog.rule_id
)

select * from final

    );
    
  