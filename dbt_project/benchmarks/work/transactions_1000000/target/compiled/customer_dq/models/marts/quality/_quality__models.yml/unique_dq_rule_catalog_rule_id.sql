
    
    

select
    rule_id as unique_field,
    count(*) as n_records

from "warehouse"."main"."dq_rule_catalog"
where rule_id is not null
group by rule_id
having count(*) > 1


