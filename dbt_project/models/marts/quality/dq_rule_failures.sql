{#- One row per (raw record, failed rule): answers "which raw rows failed rule X", with the
    raw value of the rule's column. The dq_rule tests read their failing records here. -#}
with

failing as (
    select run_date, source_row_number, raw_customer_id, failed_rules
    from {{ ref('int_customers_resolved') }}
    where failed_rule_bits <> 0
),

catalog as (
    select * from {{ ref('dq_rule_catalog') }}
),

-- The raw values are read again from the source, by row, for the failing records only.
raw as (
    select
        source_row_number,
        {%- for column in var('raw_customer_columns') %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_raw__customers') }}
),

failures as (
    select
        failing.run_date,
        failing.source_row_number,
        failing.raw_customer_id as customer_id,
        unnest(failing.failed_rules) as rule_id,
        {%- for column in var('raw_customer_columns') %}
        raw.raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from failing
    inner join raw
        on failing.source_row_number = raw.source_row_number
),

final as (
    select
        failures.run_date,
        failures.source_row_number,
        failures.customer_id,
        failures.rule_id,
        catalog.column_name,
        catalog.severity,
        catalog.action,
        case catalog.column_name
            {%- for column in var('raw_customer_columns') %}
            when '{{ column }}' then failures.raw_{{ column }}
            {%- endfor %}
        end as raw_value
    from failures
    inner join catalog on failures.rule_id = catalog.rule_id
)

select * from final
