{{ config(materialized="table") }}
{#- The window's transactions that failed at least one rule, with their raw values as delivered:
    what the transaction quarantine and the rule failures publish. Built once for both
    (quarantined and duplicate records are among these: they failed an error rule). -#}
with

failing as (
    select
        source_date,
        source_row_number,
        outcome,
        failed_rules,
        duplicate_of_source_date,
        duplicate_of_row_number
    from {{ ref('int_transactions_checked') }}
    where failed_rule_bits <> 0
),

-- The raw values are read again from the source, by row: cheaper than carrying every raw
-- value of every record through the record table.
raw as (
    {{ raw_values(ref('stg_raw__transactions'), ['source_date', 'source_row_number'], var('raw_transaction_columns')) }}
),

final as (
    select
        failing.*,
        raw.* exclude (source_date, source_row_number)
    from failing
    inner join raw
        on failing.source_date = raw.source_date
        and failing.source_row_number = raw.source_row_number
)

select * from final
