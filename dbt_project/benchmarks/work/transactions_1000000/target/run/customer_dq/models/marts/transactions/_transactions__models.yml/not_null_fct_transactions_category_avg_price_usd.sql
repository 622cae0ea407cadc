
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select category_avg_price_usd
from "warehouse"."main"."fct_transactions"
where category_avg_price_usd is null



  
  
      
    ) dbt_internal_test