
    
    



select transaction_id
from "warehouse"."main"."transaction_anomalies"
where transaction_id is null


