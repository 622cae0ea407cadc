
    
    



select transaction_date
from "warehouse"."main"."kpi_daily_sales"
where transaction_date is null


