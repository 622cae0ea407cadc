
select source_date, source_row_number, count(*) as occurrences
from "warehouse"."main"."int_transactions_checked"
group by source_date, source_row_number
having count(*) > 1
