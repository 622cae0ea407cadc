with

catalog as (
    select * from "warehouse"."main"."dq_rule_catalog"
),


-- Records share few combinations of rule results (about 1,200 among 10 million generated
-- customers): count the records of each combination of the masks (macros/rule_bit.sql) in one
-- pass, then every rule over the combinations (a filtered count per rule over every record cost
-- more than the rest of this model).
customers_combinations as (
    select evaluated_rule_bits, failed_rule_bits, count(*) as records
    from "warehouse"."main"."int_customers_resolved"
    group by evaluated_rule_bits, failed_rule_bits
),

customers_totals as materialized (
    select
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 1) <> 0), 0) as bigint)
            as evaluated_1,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 1) <> 0), 0)
            as bigint) as passed_1,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 2) <> 0), 0) as bigint)
            as evaluated_2,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 2) <> 0), 0)
            as bigint) as passed_2,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 4) <> 0), 0) as bigint)
            as evaluated_3,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 4) <> 0), 0)
            as bigint) as passed_3,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 8) <> 0), 0) as bigint)
            as evaluated_4,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 8) <> 0), 0)
            as bigint) as passed_4,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 16) <> 0), 0) as bigint)
            as evaluated_5,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 16) <> 0), 0)
            as bigint) as passed_5,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 32) <> 0), 0) as bigint)
            as evaluated_6,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 32) <> 0), 0)
            as bigint) as passed_6,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 64) <> 0), 0) as bigint)
            as evaluated_7,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 64) <> 0), 0)
            as bigint) as passed_7,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 128) <> 0), 0) as bigint)
            as evaluated_8,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 128) <> 0), 0)
            as bigint) as passed_8,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 256) <> 0), 0) as bigint)
            as evaluated_9,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 256) <> 0), 0)
            as bigint) as passed_9,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 512) <> 0), 0) as bigint)
            as evaluated_10,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 512) <> 0), 0)
            as bigint) as passed_10,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 1024) <> 0), 0) as bigint)
            as evaluated_11,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 1024) <> 0), 0)
            as bigint) as passed_11,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 2048) <> 0), 0) as bigint)
            as evaluated_12,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 2048) <> 0), 0)
            as bigint) as passed_12,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 4096) <> 0), 0) as bigint)
            as evaluated_13,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 4096) <> 0), 0)
            as bigint) as passed_13,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 8192) <> 0), 0) as bigint)
            as evaluated_14,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 8192) <> 0), 0)
            as bigint) as passed_14,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 16384) <> 0), 0) as bigint)
            as evaluated_15,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 16384) <> 0), 0)
            as bigint) as passed_15,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 32768) <> 0), 0) as bigint)
            as evaluated_16,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 32768) <> 0), 0)
            as bigint) as passed_16,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 65536) <> 0), 0) as bigint)
            as evaluated_17,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 65536) <> 0), 0)
            as bigint) as passed_17,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 131072) <> 0), 0) as bigint)
            as evaluated_18,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 131072) <> 0), 0)
            as bigint) as passed_18,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 262144) <> 0), 0) as bigint)
            as evaluated_19,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 262144) <> 0), 0)
            as bigint) as passed_19,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 524288) <> 0), 0) as bigint)
            as evaluated_20,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 524288) <> 0), 0)
            as bigint) as passed_20,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 1048576) <> 0), 0) as bigint)
            as evaluated_21,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 1048576) <> 0), 0)
            as bigint) as passed_21,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 2097152) <> 0), 0) as bigint)
            as evaluated_22,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 2097152) <> 0), 0)
            as bigint) as passed_22,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 4194304) <> 0), 0) as bigint)
            as evaluated_23,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 4194304) <> 0), 0)
            as bigint) as passed_23,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 8388608) <> 0), 0) as bigint)
            as evaluated_24,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 8388608) <> 0), 0)
            as bigint) as passed_24,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 16777216) <> 0), 0) as bigint)
            as evaluated_25,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 16777216) <> 0), 0)
            as bigint) as passed_25,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 33554432) <> 0), 0) as bigint)
            as evaluated_26,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 33554432) <> 0), 0)
            as bigint) as passed_26,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 67108864) <> 0), 0) as bigint)
            as evaluated_27,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 67108864) <> 0), 0)
            as bigint) as passed_27,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 134217728) <> 0), 0) as bigint)
            as evaluated_28,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 134217728) <> 0), 0)
            as bigint) as passed_28,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 268435456) <> 0), 0) as bigint)
            as evaluated_29,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 268435456) <> 0), 0)
            as bigint) as passed_29,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 536870912) <> 0), 0) as bigint)
            as evaluated_30,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 536870912) <> 0), 0)
            as bigint) as passed_30,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 1073741824) <> 0), 0) as bigint)
            as evaluated_31,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 1073741824) <> 0), 0)
            as bigint) as passed_31,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 2147483648) <> 0), 0) as bigint)
            as evaluated_32,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 2147483648) <> 0), 0)
            as bigint) as passed_32,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 4294967296) <> 0), 0) as bigint)
            as evaluated_33,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 4294967296) <> 0), 0)
            as bigint) as passed_33,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 8589934592) <> 0), 0) as bigint)
            as evaluated_34,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 8589934592) <> 0), 0)
            as bigint) as passed_34,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 17179869184) <> 0), 0) as bigint)
            as evaluated_35,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 17179869184) <> 0), 0)
            as bigint) as passed_35,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 34359738368) <> 0), 0) as bigint)
            as evaluated_36,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 34359738368) <> 0), 0)
            as bigint) as passed_36,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 68719476736) <> 0), 0) as bigint)
            as evaluated_37,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 68719476736) <> 0), 0)
            as bigint) as passed_37,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 137438953472) <> 0), 0) as bigint)
            as evaluated_38,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 137438953472) <> 0), 0)
            as bigint) as passed_38
    from customers_combinations
),

customers_counts as (
    select 'customers.customer_id.not_null' as rule_id, evaluated_1 as evaluated, passed_1 as passed
    from customers_totals
    union all
    select 'customers.first_name.not_null' as rule_id, evaluated_2 as evaluated, passed_2 as passed
    from customers_totals
    union all
    select 'customers.last_name.not_null' as rule_id, evaluated_3 as evaluated, passed_3 as passed
    from customers_totals
    union all
    select 'customers.email.not_null' as rule_id, evaluated_4 as evaluated, passed_4 as passed
    from customers_totals
    union all
    select 'customers.phone.not_null' as rule_id, evaluated_5 as evaluated, passed_5 as passed
    from customers_totals
    union all
    select 'customers.date_of_birth.not_null' as rule_id, evaluated_6 as evaluated, passed_6 as passed
    from customers_totals
    union all
    select 'customers.gender.not_null' as rule_id, evaluated_7 as evaluated, passed_7 as passed
    from customers_totals
    union all
    select 'customers.street_address.not_null' as rule_id, evaluated_8 as evaluated, passed_8 as passed
    from customers_totals
    union all
    select 'customers.city.not_null' as rule_id, evaluated_9 as evaluated, passed_9 as passed
    from customers_totals
    union all
    select 'customers.state.not_null' as rule_id, evaluated_10 as evaluated, passed_10 as passed
    from customers_totals
    union all
    select 'customers.postal_code.not_null' as rule_id, evaluated_11 as evaluated, passed_11 as passed
    from customers_totals
    union all
    select 'customers.country.not_null' as rule_id, evaluated_12 as evaluated, passed_12 as passed
    from customers_totals
    union all
    select 'customers.signup_date.not_null' as rule_id, evaluated_13 as evaluated, passed_13 as passed
    from customers_totals
    union all
    select 'customers.segment.not_null' as rule_id, evaluated_14 as evaluated, passed_14 as passed
    from customers_totals
    union all
    select 'customers.annual_income.not_null' as rule_id, evaluated_15 as evaluated, passed_15 as passed
    from customers_totals
    union all
    select 'customers.marketing_opt_in.not_null' as rule_id, evaluated_16 as evaluated, passed_16 as passed
    from customers_totals
    union all
    select 'customers.last_purchase_date.not_null' as rule_id, evaluated_17 as evaluated, passed_17 as passed
    from customers_totals
    union all
    select 'customers.customer_id.format' as rule_id, evaluated_18 as evaluated, passed_18 as passed
    from customers_totals
    union all
    select 'customers.email.format' as rule_id, evaluated_19 as evaluated, passed_19 as passed
    from customers_totals
    union all
    select 'customers.phone.valid_for_country' as rule_id, evaluated_20 as evaluated, passed_20 as passed
    from customers_totals
    union all
    select 'customers.date_of_birth.parsable' as rule_id, evaluated_21 as evaluated, passed_21 as passed
    from customers_totals
    union all
    select 'customers.date_of_birth.not_in_future' as rule_id, evaluated_22 as evaluated, passed_22 as passed
    from customers_totals
    union all
    select 'customers.date_of_birth.after_1900' as rule_id, evaluated_23 as evaluated, passed_23 as passed
    from customers_totals
    union all
    select 'customers.gender.accepted_values' as rule_id, evaluated_24 as evaluated, passed_24 as passed
    from customers_totals
    union all
    select 'customers.postal_code.fits_country' as rule_id, evaluated_25 as evaluated, passed_25 as passed
    from customers_totals
    union all
    select 'customers.country.iso_code' as rule_id, evaluated_26 as evaluated, passed_26 as passed
    from customers_totals
    union all
    select 'customers.signup_date.parsable' as rule_id, evaluated_27 as evaluated, passed_27 as passed
    from customers_totals
    union all
    select 'customers.segment.accepted_values' as rule_id, evaluated_28 as evaluated, passed_28 as passed
    from customers_totals
    union all
    select 'customers.annual_income.in_range' as rule_id, evaluated_29 as evaluated, passed_29 as passed
    from customers_totals
    union all
    select 'customers.marketing_opt_in.accepted_values' as rule_id, evaluated_30 as evaluated, passed_30 as passed
    from customers_totals
    union all
    select 'customers.last_purchase_date.parsable' as rule_id, evaluated_31 as evaluated, passed_31 as passed
    from customers_totals
    union all
    select 'customers.signup_date.after_birth' as rule_id, evaluated_32 as evaluated, passed_32 as passed
    from customers_totals
    union all
    select 'customers.last_purchase_date.after_signup' as rule_id, evaluated_33 as evaluated, passed_33 as passed
    from customers_totals
    union all
    select 'customers.signup_date.not_in_future' as rule_id, evaluated_34 as evaluated, passed_34 as passed
    from customers_totals
    union all
    select 'customers.last_purchase_date.not_in_future' as rule_id, evaluated_35 as evaluated, passed_35 as passed
    from customers_totals
    union all
    select 'customers.record.not_duplicate' as rule_id, evaluated_36 as evaluated, passed_36 as passed
    from customers_totals
    union all
    select 'customers.customer_id.unique' as rule_id, evaluated_37 as evaluated, passed_37 as passed
    from customers_totals
    union all
    select 'customers.email.unique' as rule_id, evaluated_38 as evaluated, passed_38 as passed
    from customers_totals
    
),


-- Records share few combinations of rule results (about 1,200 among 10 million generated
-- customers): count the records of each combination of the masks (macros/rule_bit.sql) in one
-- pass, then every rule over the combinations (a filtered count per rule over every record cost
-- more than the rest of this model).
transactions_combinations as (
    select evaluated_rule_bits, failed_rule_bits, count(*) as records
    from "warehouse"."main"."int_transactions_checked"
    group by evaluated_rule_bits, failed_rule_bits
),

transactions_totals as materialized (
    select
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 1) <> 0), 0) as bigint)
            as evaluated_1,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 1) <> 0), 0)
            as bigint) as passed_1,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 2) <> 0), 0) as bigint)
            as evaluated_2,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 2) <> 0), 0)
            as bigint) as passed_2,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 4) <> 0), 0) as bigint)
            as evaluated_3,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 4) <> 0), 0)
            as bigint) as passed_3,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 8) <> 0), 0) as bigint)
            as evaluated_4,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 8) <> 0), 0)
            as bigint) as passed_4,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 16) <> 0), 0) as bigint)
            as evaluated_5,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 16) <> 0), 0)
            as bigint) as passed_5,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 32) <> 0), 0) as bigint)
            as evaluated_6,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 32) <> 0), 0)
            as bigint) as passed_6,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 64) <> 0), 0) as bigint)
            as evaluated_7,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 64) <> 0), 0)
            as bigint) as passed_7,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 128) <> 0), 0) as bigint)
            as evaluated_8,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 128) <> 0), 0)
            as bigint) as passed_8,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 256) <> 0), 0) as bigint)
            as evaluated_9,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 256) <> 0), 0)
            as bigint) as passed_9,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 512) <> 0), 0) as bigint)
            as evaluated_10,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 512) <> 0), 0)
            as bigint) as passed_10,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 1024) <> 0), 0) as bigint)
            as evaluated_11,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 1024) <> 0), 0)
            as bigint) as passed_11,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 2048) <> 0), 0) as bigint)
            as evaluated_12,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 2048) <> 0), 0)
            as bigint) as passed_12,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 4096) <> 0), 0) as bigint)
            as evaluated_13,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 4096) <> 0), 0)
            as bigint) as passed_13,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 8192) <> 0), 0) as bigint)
            as evaluated_14,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 8192) <> 0), 0)
            as bigint) as passed_14,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 16384) <> 0), 0) as bigint)
            as evaluated_15,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 16384) <> 0), 0)
            as bigint) as passed_15,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 32768) <> 0), 0) as bigint)
            as evaluated_16,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 32768) <> 0), 0)
            as bigint) as passed_16,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 65536) <> 0), 0) as bigint)
            as evaluated_17,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 65536) <> 0), 0)
            as bigint) as passed_17,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 131072) <> 0), 0) as bigint)
            as evaluated_18,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 131072) <> 0), 0)
            as bigint) as passed_18,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 262144) <> 0), 0) as bigint)
            as evaluated_19,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 262144) <> 0), 0)
            as bigint) as passed_19,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 524288) <> 0), 0) as bigint)
            as evaluated_20,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 524288) <> 0), 0)
            as bigint) as passed_20,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & 1048576) <> 0), 0) as bigint)
            as evaluated_21,
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & 1048576) <> 0), 0)
            as bigint) as passed_21
    from transactions_combinations
),

transactions_counts as (
    select 'transactions.transaction_id.not_null' as rule_id, evaluated_1 as evaluated, passed_1 as passed
    from transactions_totals
    union all
    select 'transactions.customer_id.not_null' as rule_id, evaluated_2 as evaluated, passed_2 as passed
    from transactions_totals
    union all
    select 'transactions.amount.not_null' as rule_id, evaluated_3 as evaluated, passed_3 as passed
    from transactions_totals
    union all
    select 'transactions.timestamp.not_null' as rule_id, evaluated_4 as evaluated, passed_4 as passed
    from transactions_totals
    union all
    select 'transactions.amount.numeric' as rule_id, evaluated_5 as evaluated, passed_5 as passed
    from transactions_totals
    union all
    select 'transactions.amount.positive' as rule_id, evaluated_6 as evaluated, passed_6 as passed
    from transactions_totals
    union all
    select 'transactions.timestamp.parsable' as rule_id, evaluated_7 as evaluated, passed_7 as passed
    from transactions_totals
    union all
    select 'transactions.timestamp.in_window' as rule_id, evaluated_8 as evaluated, passed_8 as passed
    from transactions_totals
    union all
    select 'transactions.currency.iso_4217' as rule_id, evaluated_9 as evaluated, passed_9 as passed
    from transactions_totals
    union all
    select 'transactions.currency.fx_rate_known' as rule_id, evaluated_10 as evaluated, passed_10 as passed
    from transactions_totals
    union all
    select 'transactions.amount.currency_precision' as rule_id, evaluated_11 as evaluated, passed_11 as passed
    from transactions_totals
    union all
    select 'transactions.timestamp.after_signup' as rule_id, evaluated_12 as evaluated, passed_12 as passed
    from transactions_totals
    union all
    select 'transactions.customer_id.exists' as rule_id, evaluated_13 as evaluated, passed_13 as passed
    from transactions_totals
    union all
    select 'transactions.product_id.exists' as rule_id, evaluated_14 as evaluated, passed_14 as passed
    from transactions_totals
    union all
    select 'transactions.store_id.exists' as rule_id, evaluated_15 as evaluated, passed_15 as passed
    from transactions_totals
    union all
    select 'transactions.transaction_id.unique' as rule_id, evaluated_16 as evaluated, passed_16 as passed
    from transactions_totals
    union all
    select 'transactions.quantity.positive_integer' as rule_id, evaluated_17 as evaluated, passed_17 as passed
    from transactions_totals
    union all
    select 'transactions.payment_method.accepted_values' as rule_id, evaluated_18 as evaluated, passed_18 as passed
    from transactions_totals
    union all
    select 'transactions.amount.within_sigma' as rule_id, evaluated_19 as evaluated, passed_19 as passed
    from transactions_totals
    union all
    select 'transactions.amount.matches_list_price' as rule_id, evaluated_20 as evaluated, passed_20 as passed
    from transactions_totals
    union all
    select 'transactions.customer_id.not_bot_like' as rule_id, evaluated_21 as evaluated, passed_21 as passed
    from transactions_totals
    
),


counts as (
    select * from customers_counts union all
    select * from transactions_counts
),

final as (
    select
        resolved_run.run_date,
        catalog.rule_id,
        catalog.entity,
        catalog.column_name,
        catalog.dimension,
        catalog.severity,
        catalog.action,
        catalog.threshold,
        counts.evaluated,
        counts.passed,
        counts.evaluated - counts.passed as failed,
        case when counts.evaluated > 0 then counts.passed / counts.evaluated end as pass_rate,
        case
            when counts.evaluated = 0 or counts.passed / counts.evaluated >= catalog.threshold then 'pass'
            when catalog.severity = 'error' then 'fail'
            else 'warn'
        end as status
    from catalog
    inner join counts on catalog.rule_id = counts.rule_id
    cross join (select date '2026-11-23' as run_date) as resolved_run
)

select * from final