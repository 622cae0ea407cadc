{#- Each catalogue's products, one row per catalogue_date and product_id. A catalogue that repeats
    an id keeps its first row, and a row without an id is no product: a transaction then joins one
    product (int_transactions_joined), and a category's average price counts each product once
    (fct_transactions). -#}
with

final as (
    select catalogue_date, source_row_number, product_id, product_name, category, list_price_usd
    from {{ ref('stg_raw__products') }}
    where product_id is not null
    qualify row_number() over (partition by catalogue_date, product_id order by source_row_number) = 1
)

select * from final
