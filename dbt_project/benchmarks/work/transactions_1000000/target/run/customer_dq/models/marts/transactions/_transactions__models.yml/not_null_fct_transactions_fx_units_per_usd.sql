
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select fx_units_per_usd
from "warehouse"."main"."fct_transactions"
where fx_units_per_usd is null



  
  
      
    ) dbt_internal_test