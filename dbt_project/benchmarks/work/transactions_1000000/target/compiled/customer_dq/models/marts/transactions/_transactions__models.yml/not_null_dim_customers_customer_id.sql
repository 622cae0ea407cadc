
    
    



select customer_id
from "warehouse"."main"."dim_customers"
where customer_id is null


