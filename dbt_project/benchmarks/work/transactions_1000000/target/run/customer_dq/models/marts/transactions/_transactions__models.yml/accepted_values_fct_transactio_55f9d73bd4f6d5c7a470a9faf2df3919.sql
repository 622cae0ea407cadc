
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        day_of_week as value_field,
        count(*) as n_records

    from "warehouse"."main"."fct_transactions"
    group by day_of_week

)

select *
from all_values
where value_field not in (
    'Monday','Tuesday','Wednesday','Thursday','Friday','Saturday','Sunday'
)



  
  
      
    ) dbt_internal_test