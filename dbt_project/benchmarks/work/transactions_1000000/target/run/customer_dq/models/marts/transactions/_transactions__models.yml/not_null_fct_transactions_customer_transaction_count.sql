
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select customer_transaction_count
from "warehouse"."main"."fct_transactions"
where customer_transaction_count is null



  
  
      
    ) dbt_internal_test