
    
    



select customer_transaction_count
from "warehouse"."main"."fct_transactions"
where customer_transaction_count is null


