with

joined as (
    select * from "warehouse"."main"."int_transactions_joined"
),

row_checked as (
    select
        joined.*,
        (transaction_id is not null) as rule__transactions__transaction_id__not_null,
        (customer_id is not null) as rule__transactions__customer_id__not_null,
        (amount_text is not null) as rule__transactions__amount__not_null,
        (timestamp_text is not null) as rule__transactions__timestamp__not_null,
        (case when amount_text is null then null else amount is not null end) as rule__transactions__amount__numeric,
        (amount > 0) as rule__transactions__amount__positive,
        (case when timestamp_text is null then null else transacted_at is not null end) as rule__transactions__timestamp__parsable,
        (cast(transacted_at as date) between date '2026-11-17' and date '2026-11-23') as rule__transactions__timestamp__in_window,
        (minor_units is not null) as rule__transactions__currency__iso_4217,
        (case when minor_units is null then null else units_per_usd is not null end) as rule__transactions__currency__fx_rate_known,
        (case when amount is null or minor_units is null then null else amount_decimals <= minor_units end) as rule__transactions__amount__currency_precision,
        (cast(transacted_at as date) >= customer_signup_date) as rule__transactions__timestamp__after_signup,
        (case when customer_id is null then null else customer_exists end) as rule__transactions__customer_id__exists,
        (product_exists) as rule__transactions__product_id__exists,
        (store_exists) as rule__transactions__store_id__exists,
        (case when transaction_id is null then null else duplicate_of_row_number is null end) as rule__transactions__transaction_id__unique,
        (coalesce(quantity > 0, false)) as rule__transactions__quantity__positive_integer,
        (payment_method in ('credit_card', 'debit_card', 'paypal', 'cash', 'apple_pay', 'gift_card')) as rule__transactions__payment_method__accepted_values,
        (
            coalesce(not (transaction_id is not null), false) or
            coalesce(not (customer_id is not null), false) or
            coalesce(not (amount_text is not null), false) or
            coalesce(not (timestamp_text is not null), false) or
            coalesce(not (case when amount_text is null then null else amount is not null end), false) or
            coalesce(not (amount > 0), false) or
            coalesce(not (case when timestamp_text is null then null else transacted_at is not null end), false) or
            coalesce(not (cast(transacted_at as date) between date '2026-11-17' and date '2026-11-23'), false) or
            coalesce(not (minor_units is not null), false) or
            coalesce(not (case when minor_units is null then null else units_per_usd is not null end), false) or
            coalesce(not (cast(transacted_at as date) >= customer_signup_date), false) or
            coalesce(not (case when customer_id is null then null else customer_exists end), false) or
            coalesce(not (product_exists), false) or
            coalesce(not (store_exists), false) or
            coalesce(not (case when transaction_id is null then null else duplicate_of_row_number is null end), false)
        ) as fails_error_rule
    from joined
),

currency_stats as (
    select currency, avg(ln(amount)) as mean_log_amount, stddev_pop(ln(amount)) as sd_log_amount
    from row_checked
    where not fails_error_rule
    group by currency
),

measured as (
    select
        row_checked.*,
        case when not row_checked.fails_error_rule then
            coalesce((ln(row_checked.amount) - currency_stats.mean_log_amount)
                     / nullif(currency_stats.sd_log_amount, 0), 0)
        end as amount_sigmas,
        case when not row_checked.fails_error_rule then row_checked.customer_transactions_peak
        end as customer_max_daily_transactions
    from row_checked
    left join currency_stats on row_checked.currency = currency_stats.currency
),

checked as (
    select
        measured.*,
        (abs(amount_sigmas) <= 3) as rule__transactions__amount__within_sigma,
        (amount / units_per_usd / nullif(list_price_usd * quantity, 0) between 0.5 and 2.0) as rule__transactions__amount__matches_list_price,
        (customer_max_daily_transactions <= 50) as rule__transactions__customer_id__not_bot_like
    from measured
),

-- Persisted without the texts the rules read and the raw values (int_transactions_failing
-- reads the raw values again for the few records that need them): every persisted column
-- costs compression time per million rows.
final as (
    select
        * exclude (
            amount_text,
            timestamp_text,
            raw_transaction_id,
            raw_customer_id,
            raw_product_id,
            raw_store_id,
            raw_amount,
            raw_currency,
            raw_timestamp,
            raw_status,
            raw_quantity,
            raw_payment_method,
            rule__transactions__transaction_id__not_null,
            rule__transactions__customer_id__not_null,
            rule__transactions__amount__not_null,
            rule__transactions__timestamp__not_null,
            rule__transactions__amount__numeric,
            rule__transactions__amount__positive,
            rule__transactions__timestamp__parsable,
            rule__transactions__timestamp__in_window,
            rule__transactions__currency__iso_4217,
            rule__transactions__currency__fx_rate_known,
            rule__transactions__amount__currency_precision,
            rule__transactions__timestamp__after_signup,
            rule__transactions__customer_id__exists,
            rule__transactions__product_id__exists,
            rule__transactions__store_id__exists,
            rule__transactions__transaction_id__unique,
            rule__transactions__quantity__positive_integer,
            rule__transactions__payment_method__accepted_values,
            rule__transactions__amount__within_sigma,
            rule__transactions__amount__matches_list_price,
            rule__transactions__customer_id__not_bot_like
        ),
        cast(case when rule__transactions__transaction_id__not_null is not null then 1 else 0 end + case when rule__transactions__customer_id__not_null is not null then 2 else 0 end + case when rule__transactions__amount__not_null is not null then 4 else 0 end + case when rule__transactions__timestamp__not_null is not null then 8 else 0 end + case when rule__transactions__amount__numeric is not null then 16 else 0 end + case when rule__transactions__amount__positive is not null then 32 else 0 end + case when rule__transactions__timestamp__parsable is not null then 64 else 0 end + case when rule__transactions__timestamp__in_window is not null then 128 else 0 end + case when rule__transactions__currency__iso_4217 is not null then 256 else 0 end + case when rule__transactions__currency__fx_rate_known is not null then 512 else 0 end + case when rule__transactions__amount__currency_precision is not null then 1024 else 0 end + case when rule__transactions__timestamp__after_signup is not null then 2048 else 0 end + case when rule__transactions__customer_id__exists is not null then 4096 else 0 end + case when rule__transactions__product_id__exists is not null then 8192 else 0 end + case when rule__transactions__store_id__exists is not null then 16384 else 0 end + case when rule__transactions__transaction_id__unique is not null then 32768 else 0 end + case when rule__transactions__quantity__positive_integer is not null then 65536 else 0 end + case when rule__transactions__payment_method__accepted_values is not null then 131072 else 0 end + case when rule__transactions__amount__within_sigma is not null then 262144 else 0 end + case when rule__transactions__amount__matches_list_price is not null then 524288 else 0 end + case when rule__transactions__customer_id__not_bot_like is not null then 1048576 else 0 end as bigint) as evaluated_rule_bits,
        cast(case when rule__transactions__transaction_id__not_null = false then 1 else 0 end + case when rule__transactions__customer_id__not_null = false then 2 else 0 end + case when rule__transactions__amount__not_null = false then 4 else 0 end + case when rule__transactions__timestamp__not_null = false then 8 else 0 end + case when rule__transactions__amount__numeric = false then 16 else 0 end + case when rule__transactions__amount__positive = false then 32 else 0 end + case when rule__transactions__timestamp__parsable = false then 64 else 0 end + case when rule__transactions__timestamp__in_window = false then 128 else 0 end + case when rule__transactions__currency__iso_4217 = false then 256 else 0 end + case when rule__transactions__currency__fx_rate_known = false then 512 else 0 end + case when rule__transactions__amount__currency_precision = false then 1024 else 0 end + case when rule__transactions__timestamp__after_signup = false then 2048 else 0 end + case when rule__transactions__customer_id__exists = false then 4096 else 0 end + case when rule__transactions__product_id__exists = false then 8192 else 0 end + case when rule__transactions__store_id__exists = false then 16384 else 0 end + case when rule__transactions__transaction_id__unique = false then 32768 else 0 end + case when rule__transactions__quantity__positive_integer = false then 65536 else 0 end + case when rule__transactions__payment_method__accepted_values = false then 131072 else 0 end + case when rule__transactions__amount__within_sigma = false then 262144 else 0 end + case when rule__transactions__amount__matches_list_price = false then 524288 else 0 end + case when rule__transactions__customer_id__not_bot_like = false then 1048576 else 0 end as bigint) as failed_rule_bits
    from checked
)

select
    *,
    case when (failed_rule_bits & 2097151) = 0 then cast([] as varchar[]) else list_filter([case when (failed_rule_bits & 1) <> 0 then 'transactions.transaction_id.not_null' end, case when (failed_rule_bits & 2) <> 0 then 'transactions.customer_id.not_null' end, case when (failed_rule_bits & 4) <> 0 then 'transactions.amount.not_null' end, case when (failed_rule_bits & 8) <> 0 then 'transactions.timestamp.not_null' end, case when (failed_rule_bits & 16) <> 0 then 'transactions.amount.numeric' end, case when (failed_rule_bits & 32) <> 0 then 'transactions.amount.positive' end, case when (failed_rule_bits & 64) <> 0 then 'transactions.timestamp.parsable' end, case when (failed_rule_bits & 128) <> 0 then 'transactions.timestamp.in_window' end, case when (failed_rule_bits & 256) <> 0 then 'transactions.currency.iso_4217' end, case when (failed_rule_bits & 512) <> 0 then 'transactions.currency.fx_rate_known' end, case when (failed_rule_bits & 1024) <> 0 then 'transactions.amount.currency_precision' end, case when (failed_rule_bits & 2048) <> 0 then 'transactions.timestamp.after_signup' end, case when (failed_rule_bits & 4096) <> 0 then 'transactions.customer_id.exists' end, case when (failed_rule_bits & 8192) <> 0 then 'transactions.product_id.exists' end, case when (failed_rule_bits & 16384) <> 0 then 'transactions.store_id.exists' end, case when (failed_rule_bits & 32768) <> 0 then 'transactions.transaction_id.unique' end, case when (failed_rule_bits & 65536) <> 0 then 'transactions.quantity.positive_integer' end, case when (failed_rule_bits & 131072) <> 0 then 'transactions.payment_method.accepted_values' end, case when (failed_rule_bits & 262144) <> 0 then 'transactions.amount.within_sigma' end, case when (failed_rule_bits & 524288) <> 0 then 'transactions.amount.matches_list_price' end, case when (failed_rule_bits & 1048576) <> 0 then 'transactions.customer_id.not_bot_like' end], item -> item is not null) end as failed_rules,
    case
        when duplicate_of_row_number is not null then 'duplicate'
        when fails_error_rule then 'quarantined'
        else 'validated'
    end as outcome,
    (failed_rule_bits & 1835008) <> 0 as is_anomaly
from final