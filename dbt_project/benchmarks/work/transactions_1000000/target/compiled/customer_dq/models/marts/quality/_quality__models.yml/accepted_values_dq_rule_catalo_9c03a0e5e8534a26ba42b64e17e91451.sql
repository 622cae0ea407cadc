
    
    

with all_values as (

    select
        dimension as value_field,
        count(*) as n_records

    from "warehouse"."main"."dq_rule_catalog"
    group by dimension

)

select *
from all_values
where value_field not in (
    'completeness','validity','consistency','uniqueness','timeliness'
)


