
    
    



select week_number
from "warehouse"."main"."fct_transactions"
where week_number is null


