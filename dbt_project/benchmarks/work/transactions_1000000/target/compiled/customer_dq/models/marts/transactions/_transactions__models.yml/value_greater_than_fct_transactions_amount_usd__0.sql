
select amount_usd
from "warehouse"."main"."fct_transactions"
where amount_usd <= 0
