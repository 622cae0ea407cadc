
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select customer_lifetime_value_usd
from "warehouse"."main"."fct_transactions"
where customer_lifetime_value_usd is null



  
  
      
    ) dbt_internal_test