
    
    



select hour_of_day
from "warehouse"."main"."fct_transactions"
where hour_of_day is null


