
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select amount_usd
from "warehouse"."main"."fct_transactions"
where amount_usd <= 0

  
  
      
    ) dbt_internal_test