
    
    



select transaction_date
from "warehouse"."main"."fct_transactions"
where transaction_date is null


