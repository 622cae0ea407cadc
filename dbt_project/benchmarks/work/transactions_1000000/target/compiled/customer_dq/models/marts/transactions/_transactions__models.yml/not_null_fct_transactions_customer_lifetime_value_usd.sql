
    
    



select customer_lifetime_value_usd
from "warehouse"."main"."fct_transactions"
where customer_lifetime_value_usd is null


