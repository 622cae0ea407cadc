{#- The load is complete: for every date of the load window, fct_transactions holds exactly the
    validated transactions among the rows this run loads (macros/reloaded_transactions.sql), no
    more (no duplicates after any number of re-runs), no fewer. (The ids are unique in
    validated_transactions and in fct_transactions: their `primary_key` tests.) -#}
{{ config(tags=['transactions']) }}
with

validated as (
    select transaction_date, count(*) as validated_rows
    from {{ ref('validated_transactions') }}
    group by transaction_date
),

loaded as (
    select transaction_date, count(*) as loaded_rows
    from {{ ref('fct_transactions') }}
    where {{ reloaded_transactions() }}
    group by transaction_date
)

select
    coalesce(validated.transaction_date, loaded.transaction_date) as transaction_date,
    validated.validated_rows,
    loaded.loaded_rows
from validated
full outer join loaded on validated.transaction_date = loaded.transaction_date
where validated.validated_rows is distinct from loaded.loaded_rows
