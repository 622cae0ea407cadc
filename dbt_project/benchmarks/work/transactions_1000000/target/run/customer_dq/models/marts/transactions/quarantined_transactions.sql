
    
      
    

    create  table
      "warehouse"."main"."quarantined_transactions__dbt_tmp"
  
  (
    source_date date,
    source_row_number bigint,
    outcome varchar,
    dq_failed_rules varchar[],
    duplicate_of_source_date date,
    duplicate_of_row_number bigint,
    transaction_id varchar,
    customer_id varchar,
    product_id varchar,
    store_id varchar,
    amount varchar,
    currency varchar,
    timestamp varchar,
    status varchar,
    quantity varchar,
    payment_method varchar
    
    )
 ;
    
    
    insert into "warehouse"."main"."quarantined_transactions__dbt_tmp" 
  (
    
      
      
      source_date ,
    
      
      
      source_row_number ,
    
      
      
      outcome ,
    
      
      
      dq_failed_rules ,
    
      
      
      duplicate_of_source_date ,
    
      
      
      duplicate_of_row_number ,
    
      
      
      transaction_id ,
    
      
      
      customer_id ,
    
      
      
      product_id ,
    
      
      
      store_id ,
    
      
      
      amount ,
    
      
      
      currency ,
    
      
      
      timestamp ,
    
      
      
      status ,
    
      
      
      quantity ,
    
      
      
      payment_method 
    
  )
 (
      
    select source_date, source_row_number, outcome, dq_failed_rules, duplicate_of_source_date, duplicate_of_row_number, transaction_id, customer_id, product_id, store_id, amount, currency, timestamp, status, quantity, payment_method
    from (
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
    ) as model_subq
    );
  