
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        stage as value_field,
        count(*) as n_records

    from "warehouse"."main"."dq_rule_catalog"
    group by stage

)

select *
from all_values
where value_field not in (
    'row','dedup','anomaly'
)



  
  
      
    ) dbt_internal_test