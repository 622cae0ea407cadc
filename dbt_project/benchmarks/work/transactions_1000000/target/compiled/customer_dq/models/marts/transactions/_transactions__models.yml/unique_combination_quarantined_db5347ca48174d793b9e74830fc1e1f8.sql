
select source_date, source_row_number, count(*) as occurrences
from "warehouse"."main"."quarantined_transactions"
group by source_date, source_row_number
having count(*) > 1
