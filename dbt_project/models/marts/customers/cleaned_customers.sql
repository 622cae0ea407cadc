{{ config(materialized='view', post_hook="{{ export_parquet() }}") }}
{#- The clean customers: deduplicated, not quarantined, one row per customer. A view of
    final_customers' first columns (the same rows): a second persisted copy of every clean
    customer would cost its compression time per million rows for nothing. -#}
with

final_customers as (
    select * from {{ ref('final_customers') }}
),

final as (
    select
        {%- for column, type in customer_output_columns() %}
        {{ column }},
        {%- endfor %}
        merged_customer_ids,
        source_row_number,
        run_date
    from final_customers
)

select * from final
