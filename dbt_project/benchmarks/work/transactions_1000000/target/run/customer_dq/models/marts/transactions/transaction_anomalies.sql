
    
      
    

    create  table
      "warehouse"."main"."transaction_anomalies__dbt_tmp"
  
  (
    transaction_id varchar,
    transaction_date date,
    customer_id varchar,
    amount decimal(38,6),
    currency varchar,
    amount_sigmas double,
    customer_max_daily_transactions bigint,
    anomaly_types varchar[],
    source_date date,
    source_row_number bigint
    
    )
 ;
    
    
    insert into "warehouse"."main"."transaction_anomalies__dbt_tmp" 
  (
    
      
      
      transaction_id ,
    
      
      
      transaction_date ,
    
      
      
      customer_id ,
    
      
      
      amount ,
    
      
      
      currency ,
    
      
      
      amount_sigmas ,
    
      
      
      customer_max_daily_transactions ,
    
      
      
      anomaly_types ,
    
      
      
      source_date ,
    
      
      
      source_row_number 
    
  )
 (
      
    select transaction_id, transaction_date, customer_id, amount, currency, amount_sigmas, customer_max_daily_transactions, anomaly_types, source_date, source_row_number
    from (
        with

checked as (
    select * from "warehouse"."main"."int_transactions_checked"
    where outcome = 'validated' and is_anomaly
),

final as (
    select
        transaction_id,
        cast(transacted_at as date) as transaction_date,
        customer_id,
        amount,
        currency,
        round(amount_sigmas, 3) as amount_sigmas,
        customer_max_daily_transactions,
        case when (failed_rule_bits & 1835008) = 0 then cast([] as varchar[]) else list_filter([case when (failed_rule_bits & 262144) <> 0 then 'amount_outlier' end, case when (failed_rule_bits & 524288) <> 0 then 'price_mismatch' end, case when (failed_rule_bits & 1048576) <> 0 then 'bot_like_customer' end], item -> item is not null) end as anomaly_types,
        source_date,
        source_row_number
    from checked
)

select * from final
    ) as model_subq
    );
  