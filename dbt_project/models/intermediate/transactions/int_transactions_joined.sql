{#- The window's loadable transactions (status in var loaded_transaction_statuses) with what
    their rules need: the currency's minor units and USD rate, the customer, product and store
    they point at (or not), and the first occurrence of their transaction id. -#}
with

transactions as (
    select * from {{ ref('stg_raw__transactions') }}
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
    left join products on occurrences.product_id = products.product_id
    left join stores on occurrences.store_id = stores.store_id
)

select * from final
