
    
    



select currency
from "warehouse"."main"."fct_transactions"
where currency is null


