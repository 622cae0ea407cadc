
    
    



select rule_id
from "warehouse"."main"."dq_rule_results"
where rule_id is null


