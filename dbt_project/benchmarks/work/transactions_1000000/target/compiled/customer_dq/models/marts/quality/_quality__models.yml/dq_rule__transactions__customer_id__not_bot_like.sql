
with

summary as (
    select evaluated, failed
    from "warehouse"."main"."dq_rule_results"
    where rule_id = 'transactions.customer_id.not_bot_like'
),

failures as (
    select source_row_number, transaction_id as record_id, raw_value
    from "warehouse"."main"."dq_transaction_failures"
    where rule_id = 'transactions.customer_id.not_bot_like'
)

select
    'transactions.customer_id.not_bot_like' as rule_id,
    failures.source_row_number,
    failures.record_id,
    failures.raw_value as raw_value,
    summary.evaluated,
    summary.failed,
    0.99 as threshold
from failures
cross join summary
where summary.failed > (1 - 0.99) * summary.evaluated
