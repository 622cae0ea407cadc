{#- Validated transactions flagged as anomalies (the runner writes them to
    reports/transaction_anomalies_<stamp>.csv, also when there are none): amounts beyond
    var anomaly_max_sigma standard deviations in their currency, amounts far from the list
    price, and bot-like customers. -#}
with

checked as (
    select * from {{ ref('int_transactions_checked') }}
    where outcome = 'validated' and is_anomaly
),

final as (
    select
        transaction_id,
        cast(transacted_at as date) as transaction_date,
        customer_id,
        amount,
        currency,
        round(amount_sigmas, 3) as amount_sigmas,
        customer_max_daily_transactions,
        {{ non_null_list([
            "case when not rule__transactions__amount__within_sigma then 'amount_outlier' end",
            "case when not rule__transactions__amount__matches_list_price then 'price_mismatch' end",
            "case when not rule__transactions__customer_id__not_bot_like then 'bot_like_customer' end",
        ]) }} as anomaly_types,
        source_date,
        source_row_number
    from checked
)

select * from final
