
select source_date, source_row_number, rule_id, count(*) as occurrences
from "warehouse"."main"."dq_transaction_failures"
group by source_date, source_row_number, rule_id
having count(*) > 1
