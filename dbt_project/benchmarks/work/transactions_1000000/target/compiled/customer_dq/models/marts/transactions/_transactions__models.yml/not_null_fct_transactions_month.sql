
    
    



select month
from "warehouse"."main"."fct_transactions"
where month is null


