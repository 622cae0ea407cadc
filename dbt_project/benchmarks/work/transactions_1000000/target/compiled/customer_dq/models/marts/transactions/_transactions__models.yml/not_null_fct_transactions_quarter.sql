
    
    



select quarter
from "warehouse"."main"."fct_transactions"
where quarter is null


