
    
    



select store_id
from "warehouse"."main"."stg_raw__stores"
where store_id is null


