{{ config(materialized='table') }}
{#- Per currency and day of the load window, the mean and spread of the log amounts of the loaded
    transactions of the day and the (trailing_statistics_days - 1) days before it
    (int_transactions_daily_sums): what the amount anomaly rule (transactions.amount.within_sigma)
    measures a record of that day against. Over a fixed span of days, not the load window, so a
    record's verdict does not depend on which run loads it. From exact sums: avg() and stddev_pop()
    of doubles change in their last digits with the order parallel threads add the rows in, and so
    would a record's amount_sigmas from run to run. -#}
with

trailing_sums as (
    select
        daily_sums.currency,
        trailing_days.transaction_date,
        sum(daily_sums.transactions) as amounts,
        cast(sum(daily_sums.log_amount_sum) as double) as log_sum,
        cast(sum(daily_sums.log_amount_square_sum) as double) as log_square_sum
    from ({{ trailing_days() }}) as trailing_days
    inner join {{ ref('int_transactions_daily_sums') }} as daily_sums
        on trailing_days.counted_date = daily_sums.transaction_date
    group by daily_sums.currency, trailing_days.transaction_date
),

final as (
    select
        currency,
        transaction_date,
        cast(amounts as bigint) as amounts,
        log_sum / amounts as mean_log_amount,
        sqrt(greatest(log_square_sum / amounts - (log_sum / amounts) ^ 2, 0)) as sd_log_amount
    from trailing_sums
)

select * from final
