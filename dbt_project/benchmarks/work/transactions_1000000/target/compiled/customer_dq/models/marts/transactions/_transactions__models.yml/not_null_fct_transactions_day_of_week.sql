
    
    



select day_of_week
from "warehouse"."main"."fct_transactions"
where day_of_week is null


