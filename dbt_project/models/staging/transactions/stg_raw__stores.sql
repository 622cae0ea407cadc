{#- The stores of the load window's catalogues (macros/register_raw_transactions.sql), typed. -#}
with

source as (
    select * from {{ source('raw', 'stores') }}
),

final as (
    select
        catalogue_date,
        source_row_number,
        upper({{ clean_text('store_id') }}) as store_id,
        {{ clean_text('name') }} as store_name,
        lower({{ clean_text('kind') }}) as store_kind,
        upper({{ clean_text('country') }}) as store_country
    from source
)

select * from final
