
    
    



select transaction_date
from "warehouse"."main"."validated_transactions"
where transaction_date is null


