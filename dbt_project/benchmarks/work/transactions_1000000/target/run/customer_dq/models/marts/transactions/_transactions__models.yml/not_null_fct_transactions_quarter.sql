
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select quarter
from "warehouse"."main"."fct_transactions"
where quarter is null



  
  
      
    ) dbt_internal_test