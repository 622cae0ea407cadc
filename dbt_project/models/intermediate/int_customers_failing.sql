{{ config(materialized="table") }}
{#- The records that failed at least one rule, with their original raw values: what the
    quarantine and the rule failures publish. Built once for both: each would otherwise read
    every verdict and every raw value again (quarantined records are among these: an error
    rule or customers.customer_id.unique failed). -#}
{%- set raw_columns = var('raw_customer_columns') | reject('equalto', 'customer_id') | list -%}
with

failing as (
    select
        source_row_number,
        run_date,
        outcome,
        raw_customer_id,
        failed_rules,
        quarantine_reasons
    from {{ ref('int_customers_resolved') }}
    where failed_rule_bits <> 0
),

-- The raw values are read again from the source, by row: cheaper than carrying every raw
-- value of every record through the record tables.
raw as (
    {{ raw_values(ref('stg_raw__customers'), ['source_row_number'], raw_columns) }}
),

final as (
    select
        failing.*,
        raw.* exclude (source_row_number)
    from failing
    inner join raw
        on failing.source_row_number = raw.source_row_number
)

select * from final
