{#- Validated transactions flagged as anomalies (the runner writes them to
    reports/transaction_anomalies_<stamp>.csv, also when there are none): amounts beyond
    var anomaly_max_sigma standard deviations in their currency, amounts far from the list
    price, and bot-like customers. -#}
{%- set anomaly_types = {
    'transactions.amount.within_sigma': 'amount_outlier',
    'transactions.amount.matches_list_price': 'price_mismatch',
    'transactions.customer_id.not_bot_like': 'bot_like_customer',
} -%}
{%- set anomaly_type_flags = [] -%}
{%- for rule in transaction_rules() if rule.id in anomaly_types -%}
  {%- do anomaly_type_flags.append((anomaly_types[rule.id], rule_bit(rule))) -%}
{%- endfor -%}
with

checked as (
    select * from {{ ref('int_transactions_checked') }}
    where outcome = 'validated' and is_anomaly
),

final as (
    select
        transaction_id,
        transaction_date,
        customer_id,
        amount,
        currency,
        round(amount_sigmas, 3) as amount_sigmas,
        customer_day_transactions,
        {{ flag_list(anomaly_type_flags, 'failed_rule_bits') }} as anomaly_types,
        source_date,
        source_row_number
    from checked
)

select * from final
