with

transactions as (
    select * from "warehouse"."main"."fct_transactions"
    where transaction_date between date '2026-11-17' and date '2026-11-23'
),

top_product as (
    
    select
        transaction_date,
        product_id,
        any_value(product_name) as product_name,
        sum(amount_usd) as revenue_usd
    from transactions
    group by transaction_date, product_id
    qualify row_number() over (partition by transaction_date order by sum(amount_usd) desc, product_id) = 1

),

top_customer as (
    
    select
        transaction_date,
        customer_id,
        sum(amount_usd) as revenue_usd
    from transactions
    group by transaction_date, customer_id
    qualify row_number() over (partition by transaction_date order by sum(amount_usd) desc, customer_id) = 1

),

top_store as (
    
    select
        transaction_date,
        store_id,
        any_value(store_name) as store_name,
        sum(amount_usd) as revenue_usd
    from transactions
    group by transaction_date, store_id
    qualify row_number() over (partition by transaction_date order by sum(amount_usd) desc, store_id) = 1

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
        round(sum(amount_usd), 2) as total_sales_usd,
        cast(sum(quantity) as bigint) as total_quantity,
        round(avg(amount_usd), 2) as avg_amount_usd,
        round(min(amount_usd), 2) as min_amount_usd,
        round(max(amount_usd), 2) as max_amount_usd,
        count(*) as transaction_count,
        count(distinct customer_id) as unique_customers
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
        date '2026-11-23' as load_run_date
    from totals
    inner join by_payment_method on totals.transaction_date = by_payment_method.transaction_date
    inner join top_product on totals.transaction_date = top_product.transaction_date
    inner join top_customer on totals.transaction_date = top_customer.transaction_date
    inner join top_store on totals.transaction_date = top_store.transaction_date
)

select * from final