
  
  create view "warehouse"."main"."dq_transaction_records__dbt_tmp" as (
    with

checked as (
    select * from "warehouse"."main"."int_transactions_checked"
),

raw as (
    select
        source_date,
        source_row_number,
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
        raw_payment_method
    from "warehouse"."main"."stg_raw__transactions"
),

final as (
    select
        checked.*,
        raw.* exclude (source_date, source_row_number),
        case when (evaluated_rule_bits & 1) = 0 then null else (failed_rule_bits & 1) = 0 end as rule__transactions__transaction_id__not_null,
        case when (evaluated_rule_bits & 2) = 0 then null else (failed_rule_bits & 2) = 0 end as rule__transactions__customer_id__not_null,
        case when (evaluated_rule_bits & 4) = 0 then null else (failed_rule_bits & 4) = 0 end as rule__transactions__amount__not_null,
        case when (evaluated_rule_bits & 8) = 0 then null else (failed_rule_bits & 8) = 0 end as rule__transactions__timestamp__not_null,
        case when (evaluated_rule_bits & 16) = 0 then null else (failed_rule_bits & 16) = 0 end as rule__transactions__amount__numeric,
        case when (evaluated_rule_bits & 32) = 0 then null else (failed_rule_bits & 32) = 0 end as rule__transactions__amount__positive,
        case when (evaluated_rule_bits & 64) = 0 then null else (failed_rule_bits & 64) = 0 end as rule__transactions__timestamp__parsable,
        case when (evaluated_rule_bits & 128) = 0 then null else (failed_rule_bits & 128) = 0 end as rule__transactions__timestamp__in_window,
        case when (evaluated_rule_bits & 256) = 0 then null else (failed_rule_bits & 256) = 0 end as rule__transactions__currency__iso_4217,
        case when (evaluated_rule_bits & 512) = 0 then null else (failed_rule_bits & 512) = 0 end as rule__transactions__currency__fx_rate_known,
        case when (evaluated_rule_bits & 1024) = 0 then null else (failed_rule_bits & 1024) = 0 end as rule__transactions__amount__currency_precision,
        case when (evaluated_rule_bits & 2048) = 0 then null else (failed_rule_bits & 2048) = 0 end as rule__transactions__timestamp__after_signup,
        case when (evaluated_rule_bits & 4096) = 0 then null else (failed_rule_bits & 4096) = 0 end as rule__transactions__customer_id__exists,
        case when (evaluated_rule_bits & 8192) = 0 then null else (failed_rule_bits & 8192) = 0 end as rule__transactions__product_id__exists,
        case when (evaluated_rule_bits & 16384) = 0 then null else (failed_rule_bits & 16384) = 0 end as rule__transactions__store_id__exists,
        case when (evaluated_rule_bits & 32768) = 0 then null else (failed_rule_bits & 32768) = 0 end as rule__transactions__transaction_id__unique,
        case when (evaluated_rule_bits & 65536) = 0 then null else (failed_rule_bits & 65536) = 0 end as rule__transactions__quantity__positive_integer,
        case when (evaluated_rule_bits & 131072) = 0 then null else (failed_rule_bits & 131072) = 0 end as rule__transactions__payment_method__accepted_values,
        case when (evaluated_rule_bits & 262144) = 0 then null else (failed_rule_bits & 262144) = 0 end as rule__transactions__amount__within_sigma,
        case when (evaluated_rule_bits & 524288) = 0 then null else (failed_rule_bits & 524288) = 0 end as rule__transactions__amount__matches_list_price,
        case when (evaluated_rule_bits & 1048576) = 0 then null else (failed_rule_bits & 1048576) = 0 end as rule__transactions__customer_id__not_bot_like
    from checked
    inner join raw
        on checked.source_date = raw.source_date
        and checked.source_row_number = raw.source_row_number
)

select * from final
  );
