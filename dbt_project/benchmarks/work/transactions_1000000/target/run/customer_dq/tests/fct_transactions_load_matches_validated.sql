
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
with

validated as (
    select transaction_date, count(*) as validated_rows
    from "warehouse"."main"."validated_transactions"
    group by transaction_date
),

loaded as (
    select transaction_date, count(*) as loaded_rows, count(distinct transaction_id) as loaded_ids
    from "warehouse"."main"."fct_transactions"
    where transaction_date between date '2026-11-17' and date '2026-11-23'
    group by transaction_date
)

select
    coalesce(validated.transaction_date, loaded.transaction_date) as transaction_date,
    validated.validated_rows,
    loaded.loaded_rows,
    loaded.loaded_ids
from validated
full outer join loaded on validated.transaction_date = loaded.transaction_date
where validated.validated_rows is distinct from loaded.loaded_rows
    or loaded.loaded_rows is distinct from loaded.loaded_ids
  
  
      
    ) dbt_internal_test