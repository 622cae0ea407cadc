{#- The products of the load window's catalogues (macros/register_raw_transactions.sql), typed. -#}
with

source as (
    select * from {{ source('raw', 'products') }}
),

final as (
    select
        catalogue_date,
        source_row_number,
        upper({{ clean_text('product_id') }}) as product_id,
        {{ clean_text('name') }} as product_name,
        lower({{ clean_text('category') }}) as category,
        try_cast({{ clean_text('price') }} as decimal(18, 2)) as list_price_usd
    from source
)

select * from final
