
    
    



select customer_status
from "warehouse"."main"."fct_transactions"
where customer_status is null


