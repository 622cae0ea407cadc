{{ config(materialized='table') }}
{#- Per currency, the mean and spread of the log amounts of the records that pass every error
    rule: what the amount anomaly rule (transactions.amount.within_sigma) measures against.
    From exact sums (macros/exact_sum.sql): avg() and stddev_pop() of doubles change in their
    last digits with the order parallel threads add the rows in, and so would a record's
    amount_sigmas from run to run. -#}
with

log_sums as (
    select
        currency,
        count(*) as amounts,
        {{ exact_sum('ln(amount)', scale=12) }} as log_sum,
        {{ exact_sum('ln(amount) ^ 2', scale=12) }} as log_square_sum
    from {{ ref('int_transactions_row_checked') }}
    where not fails_error_rule and currency is not null
    group by currency
),

final as (
    select
        currency,
        amounts,
        log_sum / amounts as mean_log_amount,
        sqrt(greatest(log_square_sum / amounts - (log_sum / amounts) ^ 2, 0)) as sd_log_amount
    from log_sums
)

select * from final
