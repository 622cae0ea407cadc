{#- The customer ids the customer pipeline merged into another customer (a person re-entered under a
    new id: final_customers.merged_customer_ids), each with the survivor it was merged into: a sale
    under a merged id is the survivor's (int_transactions_joined), not an unknown customer's.

    Incremental by id, as dim_customers is: the latest customer file that merged an id names its
    survivor; an older file (a backfill) only moves first_seen_date back; an id only the run date's
    earlier file merged, and its re-run no longer merges, is removed. A merged id the dimension also
    knows as a customer of its own (published on another date) is whichever the newer file says:
    int_transactions_joined compares last_seen_date. -#}
{{ config(materialized='in_place', unique_key='merged_customer_id', full_refresh=false,
          merge_clauses=seen_dates_merge_clauses(['customer_id', 'last_seen_date'])) }}
with

merges as (
    select unnest(merged_customer_ids) as merged_customer_id, customer_id, run_date
    from {{ ref('final_customers') }}
    where len(merged_customer_ids) > 0
),

final as (
    select
        merged_customer_id,
        -- one survivor per id and file; an exact duplicate keeps its own id
        min(customer_id) as customer_id,
        run_date as first_seen_date,
        run_date as last_seen_date
    from merges
    where merged_customer_id <> customer_id
    group by merged_customer_id, run_date
)

select * from final
