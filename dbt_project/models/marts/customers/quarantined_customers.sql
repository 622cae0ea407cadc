{{ config(materialized='published') }}
{#- Records failing an error-severity rule: their original raw values and the reasons. -#}
with

quarantined as (
    select * from {{ ref('int_customers_failing') }}
    where outcome = 'quarantined'
),

final as (
    select
        source_row_number,
        {%- for column in var('raw_customer_columns') %}
        raw_{{ column }} as {{ column }},
        {%- endfor %}
        failed_rules as dq_failed_rules,
        quarantine_reasons,
        run_date
    from quarantined
)

select * from final
