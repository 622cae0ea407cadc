
    
    



select transaction_size
from "warehouse"."main"."fct_transactions"
where transaction_size is null


