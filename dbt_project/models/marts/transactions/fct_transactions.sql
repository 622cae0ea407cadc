{{ config(materialized='in_place', window_column='transaction_date', window_source_column='source_date',
          full_refresh=false) }}
{#- The loaded, enriched transactions: one row per validated transaction, incremental by date.
    Each run deletes the load window's transactions read from the window's raw files and inserts
    them again (idempotent), so history before the window stays as it was loaded, and so do the
    window's rows whose raw file is gone (macros/reloaded_transactions.sql).

    Customer metrics are as of the transaction's day: over every loaded transaction of the
    customer up to and including that day (history before the window plus the window), so a
    row's figures depend on the purchases before it, not on which run loaded it last (re-running
    an earlier date with the same files changes none of them). The product's popularity rank is
    over the loaded transactions of the row's day and the days before it
    (int_transactions_product_ranks), its category's average price that of the catalogue
    delivered beside its raw file (catalogue_date; the window's newest when none was): neither
    depends on the run for a file delivered with its catalogue. amount_usd uses the static rates of seed
    ref_fx_rates (as-of date kept).

    The customer metrics are computed per customer and day of purchase (an aggregate, then a
    window over the days) and joined to the day's transactions; the validated rows are read
    afresh by each reader (`not materialized`): DuckDB materialises a CTE read twice. A window
    over every transaction sorted them all: at 100M transactions it spilled 18 GB and a re-run
    ran out of memory under the 3 GB default. -#}
with

-- The validated transactions (the rows of validated_transactions) with what they joined to.
validated as not materialized (
    select * from {{ ref('int_transactions_checked') }}
    where outcome = 'validated'
),

-- Each catalogue's average list price per category, each product counted once: a transaction's is
-- its catalogue's (catalogue_date).
category_prices as (
    select catalogue_date, category, round(avg(list_price_usd), 2) as category_avg_price_usd
    from {{ ref('int_products_catalogued') }}
    where category is not null
    group by catalogue_date, category
),

-- Earlier loads: the customers' history up to the run date that this load does not replace.
history as (
    {%- if loads_incrementally() %}
    select customer_id, transaction_date, amount_usd
    from {{ this }}
    where transaction_date < date '{{ transaction_window_start() }}'
    union all by name
    -- In the window but not loaded again (their raw file is gone, or is of a later date than a
    -- backfilled run date): a day may hold these and this load's purchases, so they come with the
    -- keys that order a day's purchases.
    select customer_id, transaction_date, amount_usd, transacted_at, transaction_id, source_date, source_row_number
    from {{ this }}
    where {{ in_load_window('transaction_date') }}
        and not {{ reloaded_transactions() }}
    {%- else %}
    select
        null::varchar as customer_id, null::date as transaction_date, null::double as amount_usd,
        null::timestamp as transacted_at, null::varchar as transaction_id, null::date as source_date,
        null::bigint as source_row_number
    where false
    {%- endif %}
),

converted as not materialized (
    select
        transaction_id,
        transaction_date,
        transacted_at,
        transacted_at_local,
        customer_id,
        product_id,
        catalogue_date,
        store_id,
        amount,
        currency,
        quantity,
        payment_method,
        is_anomaly,
        failed_rules as dq_failed_rules,
        source_date,
        source_row_number,
        round(amount / units_per_usd, 6)::double as amount_usd,
        units_per_usd as fx_units_per_usd,
        fx_as_of_date,
        customer_signup_date,
        customer_last_purchase_date,
        customer_country,
        customer_segment,
        product_name,
        category,
        store_name,
        store_kind,
        store_country
    from validated
),

-- A row per customer and day of purchase, over the window's transactions and the customers'
-- earlier loads, with the day's first purchase in the customer's purchase order.
purchase_days as (
    select
        customer_id,
        transaction_date,
        {{ exact_sum('amount_usd', as_double=false) }} as amount_usd_sum,
        count(*) as purchases,
        -- ordered as the purchases are (a NULL id last), the row's key breaking a tie
        min({
            'transacted_at': transacted_at,
            'transaction_id': transaction_id,
            'source_date': source_date,
            'source_row_number': source_row_number
        }) as first_purchase
    from (
        select customer_id, transaction_date, transacted_at, transaction_id, amount_usd, source_date,
            source_row_number
        from converted
        union all by name
        select * from history
    ) as purchases
    group by customer_id, transaction_date
),

-- The customer metrics over every purchase up to and including each of the window's purchase
-- days, and the day the customer last purchased before it.
customer_days as (
    select
        customer_id,
        transaction_date,
        first_purchase.source_date as first_purchase_source_date,
        first_purchase.source_row_number as first_purchase_row_number,
        round({{ exact_sum('amount_usd_sum', over='by_customer') }}, 2) as customer_lifetime_value_usd,
        cast(sum(purchases) over by_customer as bigint) as customer_transaction_count,
        min(transaction_date) over by_customer as first_purchase_date,
        lag(transaction_date) over by_day as previous_purchase_day
    from purchase_days
    window
        by_day as (partition by customer_id order by transaction_date),
        -- the same partition and order: one sort serves both
        by_customer as (by_day rows between unbounded preceding and current row)
    qualify transaction_date >= date '{{ transaction_window_start() }}'
),

-- Each transaction with its customer's metrics and the purchase before it: the day's previous
-- purchase, or for the day's first the last day before it (the previous one loaded), or the last
-- purchase the customer system knew of, whichever is later.
with_customer_metrics as (
    select
        converted.*,
        customer_days.customer_lifetime_value_usd,
        customer_days.customer_transaction_count,
        customer_days.first_purchase_date,
        greatest(
            case
                when converted.source_date = customer_days.first_purchase_source_date
                    and converted.source_row_number = customer_days.first_purchase_row_number
                    then customer_days.previous_purchase_day
                else converted.transaction_date
            end,
            case
                when converted.customer_last_purchase_date < converted.transaction_date
                    then converted.customer_last_purchase_date
            end
        ) as previous_purchase_date
    from converted
    inner join customer_days
        on converted.customer_id = customer_days.customer_id
        and converted.transaction_date = customer_days.transaction_date
),

-- Per day, catalogue and product sold (its category comes with it from the catalogue): the
-- product's popularity rank on the day and its category's average price. One join of the
-- transactions to this small table: joined to the category prices directly, DuckDB misjudged the
-- sizes and hashed the 10M transactions instead.
product_facts as (
    select
        sold.transaction_date,
        sold.catalogue_date,
        sold.product_id,
        ranks.product_popularity_rank,
        category_prices.category_avg_price_usd
    from (select distinct transaction_date, catalogue_date, product_id, category from converted) as sold
    inner join {{ ref('int_transactions_product_ranks') }} as ranks
        on sold.transaction_date = ranks.transaction_date and sold.product_id = ranks.product_id
    left join category_prices
        on sold.catalogue_date = category_prices.catalogue_date and sold.category = category_prices.category
),

enriched as (
    select
        with_customer_metrics.*,
        dayname(transacted_at_local) as day_of_week,
        hour(transacted_at_local) as hour_of_day,
        isodow(transacted_at_local) in (6, 7) as is_weekend,
        weekofyear(transacted_at_local) as week_number,
        month(transacted_at_local) as month,
        quarter(transacted_at_local) as quarter,
        with_customer_metrics.transaction_date - first_purchase_date as days_since_first_purchase,
        product_facts.product_popularity_rank,
        product_facts.category_avg_price_usd
    from with_customer_metrics
    inner join product_facts
        on with_customer_metrics.transaction_date = product_facts.transaction_date
        and with_customer_metrics.catalogue_date = product_facts.catalogue_date
        and with_customer_metrics.product_id = product_facts.product_id
),

final as (
    select
        transaction_id,
        transaction_date,
        transacted_at,
        customer_id,
        customer_country,
        customer_segment,
        product_id,
        product_name,
        category,
        store_id,
        store_name,
        store_kind,
        store_country,
        amount,
        currency,
        fx_units_per_usd,
        fx_as_of_date,
        amount_usd,
        quantity,
        payment_method,
        day_of_week,
        hour_of_day,
        is_weekend,
        week_number,
        month,
        quarter,
        case
            when amount_usd < {{ var('small_transaction_max_usd') }} then 'small'
            when amount_usd <= {{ var('large_transaction_min_usd') }} then 'medium'
            else 'large'
        end as transaction_size,
        customer_lifetime_value_usd,
        customer_transaction_count,
        days_since_first_purchase,
        {{ customer_status('transaction_date', 'customer_signup_date', 'previous_purchase_date') }} as customer_status,
        product_popularity_rank,
        category_avg_price_usd,
        is_anomaly,
        dq_failed_rules,
        date '{{ run_date() }}' as load_run_date,
        source_date,
        source_row_number
    from enriched
)

select * from final
