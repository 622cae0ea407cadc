{#- Every customer the customer pipeline has published: first seen in the earliest customer file
    that had them, with the attributes of the latest. The customers transactions are checked
    against: a customer who has since left still exists for the transactions they made; no
    e-mail, phone or address here.

    A run's row is combined with the dimension's in the MERGE (one join on the key): a file as
    new as the one the row came from, or newer, replaces its attributes; an older file (a
    backfill) can only move first_seen_date back, and never overwrites what a newer run knows.
    A customer whom only the run date's earlier file published (first and last seen that day)
    and its re-run no longer publishes (withdrawn by a corrected re-delivery, or now quarantined or
    merged) is removed: sales must not be checked against them. A withdrawn customer also seen on
    another date keeps the row its last run left. -#}
{%- set attributes = ['signup_date', 'country', 'segment', 'last_purchase_date', 'last_seen_date',
                      'customer_status'] -%}
{{ config(materialized='in_place', unique_key='customer_id', full_refresh=false,
          merge_clauses=seen_dates_merge_clauses(attributes)) }}
with

current_customers as (
    select customer_id, signup_date, country, segment, last_purchase_date, run_date
    from {{ ref('final_customers') }}
),

final as (
    select
        customer_id,
        signup_date,
        country,
        segment,
        last_purchase_date,
        run_date as first_seen_date,
        run_date as last_seen_date,
        -- seed 001's classification, as of the customer file it comes from
        {{ customer_status('run_date', 'signup_date', 'last_purchase_date') }} as customer_status
    from current_customers
)

select * from final
