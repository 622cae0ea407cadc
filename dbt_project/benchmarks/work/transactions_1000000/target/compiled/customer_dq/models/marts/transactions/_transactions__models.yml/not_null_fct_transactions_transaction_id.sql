
    
    



select transaction_id
from "warehouse"."main"."fct_transactions"
where transaction_id is null


