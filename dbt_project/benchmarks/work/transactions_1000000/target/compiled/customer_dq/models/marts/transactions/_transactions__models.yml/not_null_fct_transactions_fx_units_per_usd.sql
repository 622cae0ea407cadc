
    
    



select fx_units_per_usd
from "warehouse"."main"."fct_transactions"
where fx_units_per_usd is null


