{#- The window's loadable transactions (status in var loaded_transaction_statuses, or one not in
    var transaction_statuses, which the rules quarantine) with what
    their rules need: the currency's minor units and USD rate, the customer, product and store
    they point at (or not; a customer id merged into another customer is the survivor's), the first occurrence of their transaction id, and how many
    transactions their customer made on its day.

    The first occurrence of an id already loaded (a row of fct_transactions this load keeps: from
    before the window, from a file no longer in it, or from a later date's file when an earlier
    date is backfilled) is that loaded row, so a source re-sending an old sale gets it
    quarantined as a duplicate, not loaded twice. -#}
{%- set loaded = model_relation('fct_transactions') %}
with

-- A bot places orders whatever becomes of them: count every status.
-- Per day, not the most of any day of the window: a record's verdict then does not depend on
-- which days the run loads.
customer_days as (
    select
        customer_id,
        transaction_date,
        count(*) as customer_transactions_that_day
    from {{ ref('stg_raw__transactions') }}
    where customer_id is not null and transacted_at is not null
    group by customer_id, transaction_date
),

-- Read afresh by each reader: DuckDB materialises a CTE read twice, every column of it (at 10M
-- transactions writing and re-reading it cost int_transactions_checked 10 s of its 30).
transactions as not materialized (
    select * from {{ ref('stg_raw__transactions') }}
    where status in ('{{ var("loaded_transaction_statuses") | join("', '") }}')
        or status is null or status not in ('{{ var("transaction_statuses") | join("', '") }}')
),

currencies as (
    select currency_code, minor_units from {{ ref('ref_currencies') }}
),

fx_rates as (
    select currency_code, units_per_usd, as_of_date from {{ ref('ref_fx_rates') }}
),

-- Each transaction is checked against its own day's catalogue (catalogue_date).
products as (
    select catalogue_date, product_id, product_name, category, list_price_usd
    from {{ ref('int_products_catalogued') }}
),

stores as (
    select catalogue_date, store_id, store_name, store_kind, store_country from {{ ref('stg_raw__stores') }}
    where store_id is not null
    qualify row_number() over (partition by catalogue_date, store_id order by source_row_number) = 1
),

-- The customers as their files said. The dimension holds the latest file's attributes. A backfill
-- under later loaded dates finds there a file later than any run loading the transaction's day in
-- date order would have seen (later than the day plus the window): for it, the run date's own
-- file's, when that has the customer. Judged by the later file, a last purchase after the sale is
-- ignored and the customer can look dormant, and the segment is a later one. Re-running an earlier
-- date keeps what the later run loaded, as running the dates in order does.
customers_seen_later as (
    select customer_id from {{ ref('dim_customers') }} where last_seen_date > date '{{ run_date() }}'
),

-- A sale under an id a customer file merged into another customer (a person re-entered under a new
-- id) is the survivor's. Looked up by the id delivered: the newer file decides, so an id published
-- as a customer and merged by a later file is the survivor's, and one merged and published again
-- later is its own.
customer_ids as (
    select
        coalesce(dim.customer_id, aliases.merged_customer_id) as delivered_id,
        case
            when aliases.customer_id is not null
                and (dim.customer_id is null or aliases.last_seen_date > dim.last_seen_date)
                then aliases.customer_id
            else dim.customer_id
        end as customer_id
    from {{ ref('dim_customers') }} as dim
    full join {{ ref('dim_customer_aliases') }} as aliases on dim.customer_id = aliases.merged_customer_id
),

customers as (
    select
        customer_ids.delivered_id,
        dim.customer_id,
        dim.last_seen_date,
        {
            'signup_date': dim.signup_date, 'last_purchase_date': dim.last_purchase_date,
            'country': dim.country, 'segment': dim.segment
        } as latest_file,
        case when on_run_date.customer_id is not null then {
            'signup_date': on_run_date.signup_date, 'last_purchase_date': on_run_date.last_purchase_date,
            'country': on_run_date.country, 'segment': on_run_date.segment
        } end as run_date_file
    from customer_ids
    inner join {{ ref('dim_customers') }} as dim on customer_ids.customer_id = dim.customer_id
    left join (
        select customer_id, signup_date, last_purchase_date, country, segment from {{ ref('final_customers') }}
        where customer_id in (select customer_id from customers_seen_later)
    ) as on_run_date on dim.customer_id = on_run_date.customer_id
),

-- The repeated transaction ids, by their hashes (macros/repeated_hashes.sql): grouping every id
-- as text cost ~3x more (at 100M transactions 107 s against 29 s).
repeated_id_hashes as (
    {{ repeated_hashes('transactions', 'transaction_id') }}
),

-- Each repeated transaction id and its first occurrence, from a narrow aggregate: ranking every
-- record in a window sorts the whole wide row, and ids are rarely repeated. Among loaded statuses
-- only: a record of an unknown one (quarantined for it) must not make a later completed copy of
-- the sale a duplicate.
first_occurrences as (
    select
        transaction_id,
        min({'source_date': source_date, 'source_row_number': source_row_number}) as first_occurrence
    from transactions
    semi join repeated_id_hashes on hash(transactions.transaction_id) = repeated_id_hashes.value_hash
    where transaction_id is not null
        and status in ('{{ var("loaded_transaction_statuses") | join("', '") }}')
    group by transaction_id
    having count(*) > 1
),

-- The window's ids loaded before, by a row this load keeps (macros/reloaded_transactions.sql). The
-- semi join first: the history grows every day, the window's ids do not, and are rarely in it.
loaded_before as (
    {%- if loaded is not none %}
    select transaction_id, min({'source_date': source_date, 'source_row_number': source_row_number}) as loaded_row
    from {{ loaded }}
    where transaction_id in (select transaction_id from transactions)
        and not {{ reloaded_transactions() }}
    group by transaction_id
    {%- else %}
    select null::varchar as transaction_id,
        null::struct(source_date date, source_row_number bigint) as loaded_row
    where false
    {%- endif %}
),

occurrences as (
    select
        transactions.*,
        coalesce(
            loaded_before.loaded_row,
            case when {'source_date': transactions.source_date, 'source_row_number': transactions.source_row_number}
                    <> first_occurrences.first_occurrence
                then first_occurrences.first_occurrence end
        ) as duplicate_of
    from transactions
    left join first_occurrences on transactions.transaction_id = first_occurrences.transaction_id
    left join loaded_before on transactions.transaction_id = loaded_before.transaction_id
),

joined as (
    select
        occurrences.* exclude (duplicate_of, customer_id),
        coalesce(customers.customer_id, occurrences.customer_id) as customer_id,
        occurrences.duplicate_of.source_date as duplicate_of_source_date,
        occurrences.duplicate_of.source_row_number as duplicate_of_row_number,
        currencies.minor_units,
        fx_rates.units_per_usd,
        fx_rates.as_of_date as fx_as_of_date,
        coalesce(customer_days.customer_transactions_that_day, 0) as customer_transactions_that_day,
        customers.customer_id is not null as customer_exists,
        case
            when customers.run_date_file is not null
                and customers.last_seen_date
                    > occurrences.transaction_date + {{ var('transaction_window_days') | int - 1 }}
                then customers.run_date_file
            else customers.latest_file
        end as customer_file,
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
    left join customers on occurrences.customer_id = customers.delivered_id
    left join customer_days
        on occurrences.customer_id = customer_days.customer_id
        and occurrences.transaction_date = customer_days.transaction_date
    left join products
        on occurrences.catalogue_date = products.catalogue_date and occurrences.product_id = products.product_id
    left join stores
        on occurrences.catalogue_date = stores.catalogue_date and occurrences.store_id = stores.store_id
),

final as (
    select
        * exclude (customer_file),
        customer_file.signup_date as customer_signup_date,
        customer_file.last_purchase_date as customer_last_purchase_date,
        customer_file.country as customer_country,
        customer_file.segment as customer_segment
    from joined
)

select * from final
