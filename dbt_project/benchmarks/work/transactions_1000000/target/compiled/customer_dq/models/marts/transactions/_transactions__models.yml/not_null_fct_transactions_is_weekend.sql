
    
    



select is_weekend
from "warehouse"."main"."fct_transactions"
where is_weekend is null


