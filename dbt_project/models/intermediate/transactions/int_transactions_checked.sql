{{ config(materialized='table') }}
{#- Every loadable transaction of the window with every rule of the catalog
    (macros/transaction_rules.sql): one boolean column per rule (TRUE pass, FALSE fail, NULL
    not evaluated), its failed rules, and its outcome. The anomaly rules are judged only among
    records that pass every error rule, against those records' statistics, so a corrupt amount
    cannot hide a real outlier by inflating the spread. -#}
{%- set rules = transaction_rules() -%}
{%- set row_rules = rules | selectattr('stage', 'equalto', 'row') | list -%}
{%- set anomaly_rules = rules | selectattr('stage', 'equalto', 'anomaly') | list -%}
{%- set error_rules = rules | selectattr('severity', 'equalto', 'error') | list -%}
with

joined as (
    select * from {{ ref('int_transactions_joined') }}
),

row_checked as (
    select
        joined.*,
        {%- for rule in row_rules %}
        ({{ rule_sql(rule) }}) as {{ rule_column(rule) }},
        {%- endfor %}
        (
            {%- for rule in error_rules %}
            coalesce(not ({{ rule_sql(rule) }}), false){{ " or" if not loop.last }}
            {%- endfor %}
        ) as fails_error_rule
    from joined
),

currency_stats as (
    select currency, avg(amount) as mean_amount, stddev_pop(amount) as sd_amount
    from row_checked
    where not fails_error_rule
    group by currency
),

daily_counts as (
    select customer_id, cast(transacted_at as date) as transaction_date, count(*) as transactions
    from row_checked
    where not fails_error_rule
    group by customer_id, cast(transacted_at as date)
),

customer_peaks as (
    select customer_id, max(transactions) as customer_max_daily_transactions
    from daily_counts
    group by customer_id
),

measured as (
    select
        row_checked.*,
        case when not row_checked.fails_error_rule then
            coalesce((row_checked.amount - currency_stats.mean_amount) / nullif(currency_stats.sd_amount, 0), 0)
        end as amount_sigmas,
        case when not row_checked.fails_error_rule then customer_peaks.customer_max_daily_transactions
        end as customer_max_daily_transactions
    from row_checked
    left join currency_stats on row_checked.currency = currency_stats.currency
    left join customer_peaks on row_checked.customer_id = customer_peaks.customer_id
),

checked as (
    select
        measured.*,
        {%- for rule in anomaly_rules %}
        ({{ rule_sql(rule) }}) as {{ rule_column(rule) }}{{ "," if not loop.last }}
        {%- endfor %}
    from measured
),

final as (
    select
        *,
        {{ non_null_list(failed_rule_expressions(rules)) }} as failed_rules,
        case
            when duplicate_of_row_number is not null then 'duplicate'
            when fails_error_rule then 'quarantined'
            else 'validated'
        end as outcome,
        coalesce(
            {%- for rule in anomaly_rules %}
            not {{ rule_column(rule) }}{{ " or" if not loop.last }}
            {%- endfor %}, false) as is_anomaly
    from checked
)

select * from final
