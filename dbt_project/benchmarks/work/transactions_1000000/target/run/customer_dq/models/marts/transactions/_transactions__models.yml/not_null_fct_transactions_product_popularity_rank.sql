
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select product_popularity_rank
from "warehouse"."main"."fct_transactions"
where product_popularity_rank is null



  
  
      
    ) dbt_internal_test