
    
    

with all_values as (

    select
        outcome as value_field,
        count(*) as n_records

    from "warehouse"."main"."int_transactions_failing"
    group by outcome

)

select *
from all_values
where value_field not in (
    'validated','quarantined','duplicate'
)


