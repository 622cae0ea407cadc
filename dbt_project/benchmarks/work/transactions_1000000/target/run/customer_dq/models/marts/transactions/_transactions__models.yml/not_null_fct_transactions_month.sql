
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select month
from "warehouse"."main"."fct_transactions"
where month is null



  
  
      
    ) dbt_internal_test