with

source as (
    select * from "warehouse"."raw"."stores"
),

final as (
    select
        source_row_number,
        upper(case
  when length((case when prefix(store_id, e' ') or suffix(store_id, e' ') or prefix(store_id, e'\t') or suffix(store_id, e'\t') or prefix(store_id, e'\r') or suffix(store_id, e'\r') or prefix(store_id, e'\n') or suffix(store_id, e'\n') then trim(store_id, e' \t\r\n') else store_id end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix(store_id, e' ') or suffix(store_id, e' ') or prefix(store_id, e'\t') or suffix(store_id, e'\t') or prefix(store_id, e'\r') or suffix(store_id, e'\r') or prefix(store_id, e'\n') or suffix(store_id, e'\n') then trim(store_id, e' \t\r\n') else store_id end))) then null
  else (case when prefix(store_id, e' ') or suffix(store_id, e' ') or prefix(store_id, e'\t') or suffix(store_id, e'\t') or prefix(store_id, e'\r') or suffix(store_id, e'\r') or prefix(store_id, e'\n') or suffix(store_id, e'\n') then trim(store_id, e' \t\r\n') else store_id end)
end) as store_id,
        case
  when length((case when prefix(name, e' ') or suffix(name, e' ') or prefix(name, e'\t') or suffix(name, e'\t') or prefix(name, e'\r') or suffix(name, e'\r') or prefix(name, e'\n') or suffix(name, e'\n') then trim(name, e' \t\r\n') else name end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix(name, e' ') or suffix(name, e' ') or prefix(name, e'\t') or suffix(name, e'\t') or prefix(name, e'\r') or suffix(name, e'\r') or prefix(name, e'\n') or suffix(name, e'\n') then trim(name, e' \t\r\n') else name end))) then null
  else (case when prefix(name, e' ') or suffix(name, e' ') or prefix(name, e'\t') or suffix(name, e'\t') or prefix(name, e'\r') or suffix(name, e'\r') or prefix(name, e'\n') or suffix(name, e'\n') then trim(name, e' \t\r\n') else name end)
end as store_name,
        lower(case
  when length((case when prefix(kind, e' ') or suffix(kind, e' ') or prefix(kind, e'\t') or suffix(kind, e'\t') or prefix(kind, e'\r') or suffix(kind, e'\r') or prefix(kind, e'\n') or suffix(kind, e'\n') then trim(kind, e' \t\r\n') else kind end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix(kind, e' ') or suffix(kind, e' ') or prefix(kind, e'\t') or suffix(kind, e'\t') or prefix(kind, e'\r') or suffix(kind, e'\r') or prefix(kind, e'\n') or suffix(kind, e'\n') then trim(kind, e' \t\r\n') else kind end))) then null
  else (case when prefix(kind, e' ') or suffix(kind, e' ') or prefix(kind, e'\t') or suffix(kind, e'\t') or prefix(kind, e'\r') or suffix(kind, e'\r') or prefix(kind, e'\n') or suffix(kind, e'\n') then trim(kind, e' \t\r\n') else kind end)
end) as store_kind,
        upper(case
  when length((case when prefix(country, e' ') or suffix(country, e' ') or prefix(country, e'\t') or suffix(country, e'\t') or prefix(country, e'\r') or suffix(country, e'\r') or prefix(country, e'\n') or suffix(country, e'\n') then trim(country, e' \t\r\n') else country end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix(country, e' ') or suffix(country, e' ') or prefix(country, e'\t') or suffix(country, e'\t') or prefix(country, e'\r') or suffix(country, e'\r') or prefix(country, e'\n') or suffix(country, e'\n') then trim(country, e' \t\r\n') else country end))) then null
  else (case when prefix(country, e' ') or suffix(country, e' ') or prefix(country, e'\t') or suffix(country, e'\t') or prefix(country, e'\r') or suffix(country, e'\r') or prefix(country, e'\n') or suffix(country, e'\n') then trim(country, e' \t\r\n') else country end)
end) as store_country
    from source
)

select * from final