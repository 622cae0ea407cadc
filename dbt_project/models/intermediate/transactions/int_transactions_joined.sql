{#- The window's loadable transactions (status in var loaded_transaction_statuses) with what
    their rules need: the currency's minor units and USD rate, the customer, product and store
    they point at (or not), the first occurrence of their transaction id, and the most
    transactions their customer made on one day. -#}
with

all_transactions as (
    select * from {{ ref('stg_raw__transactions') }}
),

-- A bot places orders whatever becomes of them: count every status.
customer_peaks as (
    select customer_id, max(transactions) as customer_transactions_peak
    from (
        select customer_id, count(*) as transactions
        from all_transactions
        where customer_id is not null and transacted_at is not null
        group by customer_id, cast(transacted_at as date)
    ) as daily
    group by customer_id
),

transactions as (
    select * from all_transactions
    where status in ('{{ var("loaded_transaction_statuses") | join("', '") }}')
),

currencies as (
    select currency_code, minor_units from {{ ref('ref_currencies') }}
),

fx_rates as (
    select currency_code, units_per_usd, as_of_date from {{ ref('ref_fx_rates') }}
),

-- A catalogue with a repeated id must not fan transactions out: first row wins.
products as (
    select product_id, product_name, category, list_price_usd from {{ ref('stg_raw__products') }}
    where product_id is not null
    qualify row_number() over (partition by product_id order by source_row_number) = 1
),

stores as (
    select store_id, store_name, store_kind, store_country from {{ ref('stg_raw__stores') }}
    where store_id is not null
    qualify row_number() over (partition by store_id order by source_row_number) = 1
),

customers as (
    select customer_id, signup_date, last_purchase_date from {{ ref('dim_customers') }}
),

occurrences as (
    select
        *,
        case when transaction_id is not null and row_number() over (
            partition by transaction_id order by source_date, source_row_number) > 1 then 1 end as is_repeat,
        first_value(source_date) over (
            partition by transaction_id order by source_date, source_row_number) as first_source_date,
        first_value(source_row_number) over (
            partition by transaction_id order by source_date, source_row_number) as first_source_row_number
    from transactions
),

final as (
    select
        occurrences.* exclude (is_repeat, first_source_date, first_source_row_number),
        case when occurrences.is_repeat = 1 then occurrences.first_source_date end as duplicate_of_source_date,
        case when occurrences.is_repeat = 1 then occurrences.first_source_row_number end as duplicate_of_row_number,
        currencies.minor_units,
        fx_rates.units_per_usd,
        fx_rates.as_of_date as fx_as_of_date,
        coalesce(customer_peaks.customer_transactions_peak, 0) as customer_transactions_peak,
        customers.customer_id is not null as customer_exists,
        customers.signup_date as customer_signup_date,
        customers.last_purchase_date as customer_last_purchase_date,
        products.product_id is not null as product_exists,
        products.product_name,
        products.category,
        products.list_price_usd,
        stores.store_id is not null as store_exists,
        stores.store_name,
        stores.store_kind,
        stores.store_country
    from occurrences
    left join currencies on occurrences.currency = currencies.currency_code
    left join fx_rates on occurrences.currency = fx_rates.currency_code
    left join customers on occurrences.customer_id = customers.customer_id
    left join customer_peaks on occurrences.customer_id = customer_peaks.customer_id
    left join products on occurrences.product_id = products.product_id
    left join stores on occurrences.store_id = stores.store_id
)

select * from final
