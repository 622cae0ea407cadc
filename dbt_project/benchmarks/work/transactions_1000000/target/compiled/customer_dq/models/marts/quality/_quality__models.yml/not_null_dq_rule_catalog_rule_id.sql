
    
    



select rule_id
from "warehouse"."main"."dq_rule_catalog"
where rule_id is null


