
    
    



select amount
from "warehouse"."main"."fct_transactions"
where amount is null


