{{ config(materialized='in_place', unique_key='customer_id', full_refresh=false) }}
{#- Every customer the customer pipeline has published, as of the latest run that saw them:
    the customers transactions are checked against. A customer who has since left still
    exists for the transactions they made; no e-mail, phone or address here. -#}
with

current_customers as (
    select customer_id, signup_date, country, segment, last_purchase_date, run_date
    from {{ ref('final_customers') }}
),

{% if loads_incrementally() %}
known as (
    select customer_id, first_seen_date, last_seen_date from {{ this }}
),
{% else %}
known as (
    select null::varchar as customer_id, null::date as first_seen_date, null::date as last_seen_date
    where false
),
{% endif %}

final as (
    select
        current_customers.customer_id,
        current_customers.signup_date,
        current_customers.country,
        current_customers.segment,
        current_customers.last_purchase_date,
        least(coalesce(known.first_seen_date, current_customers.run_date), current_customers.run_date)
            as first_seen_date,
        current_customers.run_date as last_seen_date,
        -- seed 001's classification, as of the customer file it comes from
        {{ customer_status('current_customers.run_date', 'current_customers.signup_date',
                           'current_customers.last_purchase_date') }} as customer_status
    from current_customers
    left join known on current_customers.customer_id = known.customer_id
    -- Re-running an older date never overwrites what a newer run knows.
    where known.last_seen_date is null or current_customers.run_date >= known.last_seen_date
)

select * from final
