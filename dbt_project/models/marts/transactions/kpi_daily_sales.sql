{{ config(materialized='in_place', window_column='transaction_date', full_refresh=false) }}
{#- The business KPIs of seed 002, one row per transaction date, from fct_transactions; the load
    window's dates are recomputed every run. Ties for "top" go to the smallest id. -#}
with

-- Read afresh by each of its five readers, only the columns each needs: DuckDB would otherwise
-- write every column of the window's transactions aside first (97 s of a 100M-row build).
transactions as not materialized (
    select
        transaction_date,
        product_id,
        product_name,
        customer_id,
        store_id,
        store_name,
        payment_method,
        amount_usd,
        quantity,
        is_anomaly
    from {{ ref('fct_transactions') }}
    where {{ in_load_window('transaction_date') }}
),

top_product as (
    {{ top_by_revenue('transactions', 'product_id', 'product_name') }}
),

top_customer as (
    {{ top_by_revenue('transactions', 'customer_id') }}
),

top_store as (
    {{ top_by_revenue('transactions', 'store_id', 'store_name') }}
),

payment_method_counts as (
    select transaction_date, payment_method, count(*) as transactions
    from transactions
    group by transaction_date, payment_method
),

by_payment_method as (
    select
        transaction_date,
        map(list(payment_method order by payment_method), list(transactions order by payment_method))
            as transactions_by_payment_method
    from payment_method_counts
    group by transaction_date
),

totals as (
    select
        transaction_date,
        round({{ exact_sum('amount_usd') }}, 2) as total_sales_usd,
        cast(sum(quantity) as bigint) as total_quantity,
        round({{ exact_sum('amount_usd') }} / count(*), 2) as avg_amount_usd,
        round(min(amount_usd), 2) as min_amount_usd,
        round(max(amount_usd), 2) as max_amount_usd,
        count(*) as transaction_count,
        count(distinct customer_id) as unique_customers,
        -- the share of the day's figures that the anomaly rules question (an amount 100x the
        -- usual, a bot): loaded as sales, but a reader of the totals must see how much they weigh
        count(*) filter (where is_anomaly) as anomaly_count,
        round(coalesce({{ exact_sum('case when is_anomaly then amount_usd end') }}, 0), 2) as anomaly_sales_usd
    from transactions
    group by transaction_date
),

final as (
    select
        totals.*,
        top_product.product_id as top_product_id,
        top_product.product_name as top_product_name,
        round(top_product.revenue_usd, 2) as top_product_revenue_usd,
        top_customer.customer_id as top_customer_id,
        round(top_customer.revenue_usd, 2) as top_customer_revenue_usd,
        top_store.store_id as top_store_id,
        top_store.store_name as top_store_name,
        round(top_store.revenue_usd, 2) as top_store_revenue_usd,
        by_payment_method.transactions_by_payment_method,
        date '{{ run_date() }}' as load_run_date
    from totals
    inner join by_payment_method on totals.transaction_date = by_payment_method.transaction_date
    inner join top_product on totals.transaction_date = top_product.transaction_date
    inner join top_customer on totals.transaction_date = top_customer.transaction_date
    inner join top_store on totals.transaction_date = top_store.transaction_date
)

select * from final
