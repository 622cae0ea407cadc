
    

    create  table
      "warehouse"."main"."int_transactions_failing__dbt_tmp"
  
    
    as (
      with

failing as (
    select
        source_date,
        source_row_number,
        outcome,
        failed_rules,
        duplicate_of_source_date,
        duplicate_of_row_number
    from "warehouse"."main"."int_transactions_checked"
    where failed_rule_bits <> 0
),

-- The raw values are read again from the source, by row: cheaper than carrying every raw
-- value of every record through the record table.
raw as (
    select
        source_date,
        source_row_number,
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
    from "warehouse"."main"."stg_raw__transactions"
),

final as (
    select
        failing.*,
        raw.raw_transaction_id,
        raw.raw_customer_id,
        raw.raw_product_id,
        raw.raw_store_id,
        raw.raw_amount,
        raw.raw_currency,
        raw.raw_timestamp,
        raw.raw_status,
        raw.raw_quantity,
        raw.raw_payment_method
    from failing
    inner join raw
        on failing.source_date = raw.source_date
        and failing.source_row_number = raw.source_row_number
)

select * from final
    );
    
  