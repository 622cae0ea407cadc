{#- The run date's stores, typed. -#}
with

source as (
    select * from {{ source('raw', 'stores') }}
),

final as (
    select
        source_row_number,
        upper({{ clean_text('store_id') }}) as store_id,
        {{ clean_text('name') }} as store_name,
        lower({{ clean_text('kind') }}) as store_kind,
        upper({{ clean_text('country') }}) as store_country
    from source
)

select * from final
