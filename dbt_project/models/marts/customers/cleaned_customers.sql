{{ config(post_hook="{{ export_parquet() }}") }}
{#- The clean customers: deduplicated, not quarantined, one row per customer. -#}
with

resolved as (
    select * from {{ ref('int_customers_resolved') }}
),

final as (
    select
        {%- for column, type in customer_output_columns() %}
        {{ column }},
        {%- endfor %}
        merged_customer_ids,
        source_row_number,
        run_date
    from resolved
    where outcome = 'kept'
)

select * from final
