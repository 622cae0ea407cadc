
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    



select rule_id
from "warehouse"."main"."dq_rule_catalog"
where rule_id is null



  
  
      
    ) dbt_internal_test