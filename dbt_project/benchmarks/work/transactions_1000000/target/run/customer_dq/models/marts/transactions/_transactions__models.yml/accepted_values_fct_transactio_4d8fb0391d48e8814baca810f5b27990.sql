
    
    select
      count(*) as failures,
      count(*) != 0 as should_warn,
      count(*) != 0 as should_error
    from (
      
    
  
    
    

with all_values as (

    select
        transaction_size as value_field,
        count(*) as n_records

    from "warehouse"."main"."fct_transactions"
    group by transaction_size

)

select *
from all_values
where value_field not in (
    'small','medium','large'
)



  
  
      
    ) dbt_internal_test