{{ config(post_hook="{{ export_parquet() }}") }}
{#- Records failing an error-severity rule: their original raw values and the reasons. -#}
with

quarantined as (
    select source_row_number, failed_rules, quarantine_reasons, run_date
    from {{ ref('int_customers_resolved') }}
    where outcome = 'quarantined'
),

-- The raw values are read again from the source, by row, for the few records that need them:
-- cheaper than carrying every raw value through the record tables.
raw as (
    select
        source_row_number,
        {%- for column in var('raw_customer_columns') %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_raw__customers') }}
),

final as (
    select
        quarantined.source_row_number,
        {%- for column in var('raw_customer_columns') %}
        raw.raw_{{ column }} as {{ column }},
        {%- endfor %}
        quarantined.failed_rules as dq_failed_rules,
        quarantined.quarantine_reasons,
        quarantined.run_date
    from quarantined
    inner join raw
        on quarantined.source_row_number = raw.source_row_number
)

select * from final
