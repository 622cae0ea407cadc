
select quarter
from "warehouse"."main"."fct_transactions"
where quarter < 1 or quarter > 4
