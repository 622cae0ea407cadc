
    
    



select category_avg_price_usd
from "warehouse"."main"."fct_transactions"
where category_avg_price_usd is null


