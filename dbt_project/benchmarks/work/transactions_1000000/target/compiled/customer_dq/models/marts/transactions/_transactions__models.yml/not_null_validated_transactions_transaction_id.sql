
    
    



select transaction_id
from "warehouse"."main"."validated_transactions"
where transaction_id is null


