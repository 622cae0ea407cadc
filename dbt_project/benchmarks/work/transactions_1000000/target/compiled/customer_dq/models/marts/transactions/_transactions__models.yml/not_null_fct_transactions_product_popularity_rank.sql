
    
    



select product_popularity_rank
from "warehouse"."main"."fct_transactions"
where product_popularity_rank is null


