
select hour_of_day
from "warehouse"."main"."fct_transactions"
where hour_of_day < 0 or hour_of_day > 23
