{{ config(materialized='table') }}
{#- Per day of the load window, each product's popularity rank: by its loaded transactions of the
    day and the (trailing_statistics_days - 1) days before it (int_transactions_daily_sums), 1 the
    most, ties by product id. Over a fixed span of days, not the load window, so a row's rank does
    not depend on which run loads it. -#}
with

final as (
    select
        trailing_days.transaction_date,
        daily_sums.product_id,
        cast(sum(daily_sums.transactions) as bigint) as transactions,
        row_number() over (
            partition by trailing_days.transaction_date
            order by sum(daily_sums.transactions) desc, daily_sums.product_id
        ) as product_popularity_rank
    from ({{ trailing_days() }}) as trailing_days
    inner join {{ ref('int_transactions_daily_sums') }} as daily_sums
        on trailing_days.counted_date = daily_sums.transaction_date
    group by trailing_days.transaction_date, daily_sums.product_id
)

select * from final
