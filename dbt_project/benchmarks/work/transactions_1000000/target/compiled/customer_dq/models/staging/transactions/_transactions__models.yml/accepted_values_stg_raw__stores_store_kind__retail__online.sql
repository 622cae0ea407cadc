
    
    

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


