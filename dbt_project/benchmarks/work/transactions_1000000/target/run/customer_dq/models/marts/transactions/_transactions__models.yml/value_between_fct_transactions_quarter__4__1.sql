
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
select quarter
from "warehouse"."main"."fct_transactions"
where quarter < 1 or quarter > 4

  
  
      
    ) dbt_internal_test