
  
  create view "warehouse"."main"."stg_raw__products__dbt_tmp" as (
    with

source as (
    select * from "warehouse"."raw"."products"
),

final as (
    select
        source_row_number,
        upper(case
  when length((case when prefix(product_id, e' ') or suffix(product_id, e' ') or prefix(product_id, e'\t') or suffix(product_id, e'\t') or prefix(product_id, e'\r') or suffix(product_id, e'\r') or prefix(product_id, e'\n') or suffix(product_id, e'\n') then trim(product_id, e' \t\r\n') else product_id end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix(product_id, e' ') or suffix(product_id, e' ') or prefix(product_id, e'\t') or suffix(product_id, e'\t') or prefix(product_id, e'\r') or suffix(product_id, e'\r') or prefix(product_id, e'\n') or suffix(product_id, e'\n') then trim(product_id, e' \t\r\n') else product_id end))) then null
  else (case when prefix(product_id, e' ') or suffix(product_id, e' ') or prefix(product_id, e'\t') or suffix(product_id, e'\t') or prefix(product_id, e'\r') or suffix(product_id, e'\r') or prefix(product_id, e'\n') or suffix(product_id, e'\n') then trim(product_id, e' \t\r\n') else product_id end)
end) as product_id,
        case
  when length((case when prefix(name, e' ') or suffix(name, e' ') or prefix(name, e'\t') or suffix(name, e'\t') or prefix(name, e'\r') or suffix(name, e'\r') or prefix(name, e'\n') or suffix(name, e'\n') then trim(name, e' \t\r\n') else name end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix(name, e' ') or suffix(name, e' ') or prefix(name, e'\t') or suffix(name, e'\t') or prefix(name, e'\r') or suffix(name, e'\r') or prefix(name, e'\n') or suffix(name, e'\n') then trim(name, e' \t\r\n') else name end))) then null
  else (case when prefix(name, e' ') or suffix(name, e' ') or prefix(name, e'\t') or suffix(name, e'\t') or prefix(name, e'\r') or suffix(name, e'\r') or prefix(name, e'\n') or suffix(name, e'\n') then trim(name, e' \t\r\n') else name end)
end as product_name,
        lower(case
  when length((case when prefix(category, e' ') or suffix(category, e' ') or prefix(category, e'\t') or suffix(category, e'\t') or prefix(category, e'\r') or suffix(category, e'\r') or prefix(category, e'\n') or suffix(category, e'\n') then trim(category, e' \t\r\n') else category end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix(category, e' ') or suffix(category, e' ') or prefix(category, e'\t') or suffix(category, e'\t') or prefix(category, e'\r') or suffix(category, e'\r') or prefix(category, e'\n') or suffix(category, e'\n') then trim(category, e' \t\r\n') else category end))) then null
  else (case when prefix(category, e' ') or suffix(category, e' ') or prefix(category, e'\t') or suffix(category, e'\t') or prefix(category, e'\r') or suffix(category, e'\r') or prefix(category, e'\n') or suffix(category, e'\n') then trim(category, e' \t\r\n') else category end)
end) as category,
        try_cast(case
  when length((case when prefix(price, e' ') or suffix(price, e' ') or prefix(price, e'\t') or suffix(price, e'\t') or prefix(price, e'\r') or suffix(price, e'\r') or prefix(price, e'\n') or suffix(price, e'\n') then trim(price, e' \t\r\n') else price end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix(price, e' ') or suffix(price, e' ') or prefix(price, e'\t') or suffix(price, e'\t') or prefix(price, e'\r') or suffix(price, e'\r') or prefix(price, e'\n') or suffix(price, e'\n') then trim(price, e' \t\r\n') else price end))) then null
  else (case when prefix(price, e' ') or suffix(price, e' ') or prefix(price, e'\t') or suffix(price, e'\t') or prefix(price, e'\r') or suffix(price, e'\r') or prefix(price, e'\n') or suffix(price, e'\n') then trim(price, e' \t\r\n') else price end)
end as decimal(18, 2)) as list_price_usd
    from source
)

select * from final
  );
