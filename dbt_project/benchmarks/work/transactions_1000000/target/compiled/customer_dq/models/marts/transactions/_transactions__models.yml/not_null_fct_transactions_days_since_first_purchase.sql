
    
    



select days_since_first_purchase
from "warehouse"."main"."fct_transactions"
where days_since_first_purchase is null


