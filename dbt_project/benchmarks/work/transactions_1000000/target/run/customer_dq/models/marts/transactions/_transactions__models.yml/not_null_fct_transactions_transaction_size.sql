
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select transaction_size
from "warehouse"."main"."fct_transactions"
where transaction_size is null



  
  
      
    ) dbt_internal_test