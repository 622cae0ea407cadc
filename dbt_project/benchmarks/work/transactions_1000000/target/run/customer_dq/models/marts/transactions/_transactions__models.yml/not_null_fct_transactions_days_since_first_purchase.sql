
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select days_since_first_purchase
from "warehouse"."main"."fct_transactions"
where days_since_first_purchase is null



  
  
      
    ) dbt_internal_test