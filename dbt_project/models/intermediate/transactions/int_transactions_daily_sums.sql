{{ config(materialized='table') }}
{#- Per local day, currency and product, the loaded transactions the window's statistics count:
    every record of the window that passes every error rule (what this run loads) and the rows of
    fct_transactions this run keeps, dated from trailing_statistics_start() to the run date. The
    3-sigma statistics (int_transactions_currency_stats) and the popularity ranks
    (int_transactions_product_ranks) sum these over each day's trailing days: a day's figures then
    cover what is loaded for those days, whichever run loads it, and the records are read once.

    The log sums are exact DECIMALs (macros/exact_sum.sql), so summed again they give the same
    figures every run. fct_transactions is read without ref(), as in int_transactions_joined: it
    is loaded later in the same build (macros/model_relation.sql). -#}
{%- set loaded = model_relation('fct_transactions') %}
with

window_records as (
    select transaction_date, currency, product_id, amount
    from {{ ref('int_transactions_row_checked') }}
    where not fails_error_rule
),

kept_rows as (
    {%- if loaded is not none %}
    select transaction_date, currency, product_id, amount
    from {{ loaded }}
    where transaction_date between date '{{ trailing_statistics_start() }}' and date '{{ run_date() }}'
        and not {{ reloaded_transactions() }}
    {%- else %}
    select null::date as transaction_date, null::varchar as currency, null::varchar as product_id,
        null::decimal(38, 6) as amount
    where false
    {%- endif %}
),

final as (
    select
        transaction_date,
        currency,
        product_id,
        count(*) as transactions,
        {{ exact_sum('ln(amount)', scale=12, as_double=false) }} as log_amount_sum,
        {{ exact_sum('ln(amount) ^ 2', scale=12, as_double=false) }} as log_amount_square_sum
    from (
        select * from window_records
        union all by name
        select * from kept_rows
    ) as loaded_transactions
    group by transaction_date, currency, product_id
)

select * from final
