{{ config(materialized='published') }}
{#- The clean customers: deduplicated, not quarantined, one row per customer: final_customers'
    first columns (the same rows), read back from its file. -#}
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
