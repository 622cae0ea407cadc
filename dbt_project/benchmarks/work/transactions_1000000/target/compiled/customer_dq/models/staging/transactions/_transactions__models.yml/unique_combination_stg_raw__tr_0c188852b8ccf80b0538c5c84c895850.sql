
select source_date, source_row_number, count(*) as occurrences
from "warehouse"."main"."stg_raw__transactions"
group by source_date, source_row_number
having count(*) > 1
