
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        store_kind as value_field,
        count(*) as n_records

    from "warehouse"."main"."stg_raw__stores"
    group by store_kind

)

select *
from all_values
where value_field not in (
    'retail','online'
)



  
  
      
    ) dbt_internal_test