
    
    



select product_id
from "warehouse"."main"."stg_raw__products"
where product_id is null


