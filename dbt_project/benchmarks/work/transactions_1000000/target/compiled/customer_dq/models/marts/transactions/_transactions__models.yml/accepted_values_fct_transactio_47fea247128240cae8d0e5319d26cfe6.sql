
    
    

with all_values as (

    select
        customer_status as value_field,
        count(*) as n_records

    from "warehouse"."main"."fct_transactions"
    group by customer_status

)

select *
from all_values
where value_field not in (
    'new','active','dormant'
)


