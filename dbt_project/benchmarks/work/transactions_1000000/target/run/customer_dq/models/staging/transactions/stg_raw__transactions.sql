
  
  create view "warehouse"."main"."stg_raw__transactions__dbt_tmp" as (
    with

source as (
    select * from "warehouse"."raw"."transactions"
),

trimmed as (
    select
        source_date,
        source_row_number,
        case
  when length((case when prefix("transaction_id", e' ') or suffix("transaction_id", e' ') or prefix("transaction_id", e'\t') or suffix("transaction_id", e'\t') or prefix("transaction_id", e'\r') or suffix("transaction_id", e'\r') or prefix("transaction_id", e'\n') or suffix("transaction_id", e'\n') then trim("transaction_id", e' \t\r\n') else "transaction_id" end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix("transaction_id", e' ') or suffix("transaction_id", e' ') or prefix("transaction_id", e'\t') or suffix("transaction_id", e'\t') or prefix("transaction_id", e'\r') or suffix("transaction_id", e'\r') or prefix("transaction_id", e'\n') or suffix("transaction_id", e'\n') then trim("transaction_id", e' \t\r\n') else "transaction_id" end))) then null
  else (case when prefix("transaction_id", e' ') or suffix("transaction_id", e' ') or prefix("transaction_id", e'\t') or suffix("transaction_id", e'\t') or prefix("transaction_id", e'\r') or suffix("transaction_id", e'\r') or prefix("transaction_id", e'\n') or suffix("transaction_id", e'\n') then trim("transaction_id", e' \t\r\n') else "transaction_id" end)
end as transaction_id_text,
        "transaction_id" as raw_transaction_id,
        case
  when length((case when prefix("customer_id", e' ') or suffix("customer_id", e' ') or prefix("customer_id", e'\t') or suffix("customer_id", e'\t') or prefix("customer_id", e'\r') or suffix("customer_id", e'\r') or prefix("customer_id", e'\n') or suffix("customer_id", e'\n') then trim("customer_id", e' \t\r\n') else "customer_id" end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix("customer_id", e' ') or suffix("customer_id", e' ') or prefix("customer_id", e'\t') or suffix("customer_id", e'\t') or prefix("customer_id", e'\r') or suffix("customer_id", e'\r') or prefix("customer_id", e'\n') or suffix("customer_id", e'\n') then trim("customer_id", e' \t\r\n') else "customer_id" end))) then null
  else (case when prefix("customer_id", e' ') or suffix("customer_id", e' ') or prefix("customer_id", e'\t') or suffix("customer_id", e'\t') or prefix("customer_id", e'\r') or suffix("customer_id", e'\r') or prefix("customer_id", e'\n') or suffix("customer_id", e'\n') then trim("customer_id", e' \t\r\n') else "customer_id" end)
end as customer_id_text,
        "customer_id" as raw_customer_id,
        case
  when length((case when prefix("product_id", e' ') or suffix("product_id", e' ') or prefix("product_id", e'\t') or suffix("product_id", e'\t') or prefix("product_id", e'\r') or suffix("product_id", e'\r') or prefix("product_id", e'\n') or suffix("product_id", e'\n') then trim("product_id", e' \t\r\n') else "product_id" end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix("product_id", e' ') or suffix("product_id", e' ') or prefix("product_id", e'\t') or suffix("product_id", e'\t') or prefix("product_id", e'\r') or suffix("product_id", e'\r') or prefix("product_id", e'\n') or suffix("product_id", e'\n') then trim("product_id", e' \t\r\n') else "product_id" end))) then null
  else (case when prefix("product_id", e' ') or suffix("product_id", e' ') or prefix("product_id", e'\t') or suffix("product_id", e'\t') or prefix("product_id", e'\r') or suffix("product_id", e'\r') or prefix("product_id", e'\n') or suffix("product_id", e'\n') then trim("product_id", e' \t\r\n') else "product_id" end)
end as product_id_text,
        "product_id" as raw_product_id,
        case
  when length((case when prefix("store_id", e' ') or suffix("store_id", e' ') or prefix("store_id", e'\t') or suffix("store_id", e'\t') or prefix("store_id", e'\r') or suffix("store_id", e'\r') or prefix("store_id", e'\n') or suffix("store_id", e'\n') then trim("store_id", e' \t\r\n') else "store_id" end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix("store_id", e' ') or suffix("store_id", e' ') or prefix("store_id", e'\t') or suffix("store_id", e'\t') or prefix("store_id", e'\r') or suffix("store_id", e'\r') or prefix("store_id", e'\n') or suffix("store_id", e'\n') then trim("store_id", e' \t\r\n') else "store_id" end))) then null
  else (case when prefix("store_id", e' ') or suffix("store_id", e' ') or prefix("store_id", e'\t') or suffix("store_id", e'\t') or prefix("store_id", e'\r') or suffix("store_id", e'\r') or prefix("store_id", e'\n') or suffix("store_id", e'\n') then trim("store_id", e' \t\r\n') else "store_id" end)
end as store_id_text,
        "store_id" as raw_store_id,
        case
  when length((case when prefix("amount", e' ') or suffix("amount", e' ') or prefix("amount", e'\t') or suffix("amount", e'\t') or prefix("amount", e'\r') or suffix("amount", e'\r') or prefix("amount", e'\n') or suffix("amount", e'\n') then trim("amount", e' \t\r\n') else "amount" end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix("amount", e' ') or suffix("amount", e' ') or prefix("amount", e'\t') or suffix("amount", e'\t') or prefix("amount", e'\r') or suffix("amount", e'\r') or prefix("amount", e'\n') or suffix("amount", e'\n') then trim("amount", e' \t\r\n') else "amount" end))) then null
  else (case when prefix("amount", e' ') or suffix("amount", e' ') or prefix("amount", e'\t') or suffix("amount", e'\t') or prefix("amount", e'\r') or suffix("amount", e'\r') or prefix("amount", e'\n') or suffix("amount", e'\n') then trim("amount", e' \t\r\n') else "amount" end)
end as amount_text,
        "amount" as raw_amount,
        case
  when length((case when prefix("currency", e' ') or suffix("currency", e' ') or prefix("currency", e'\t') or suffix("currency", e'\t') or prefix("currency", e'\r') or suffix("currency", e'\r') or prefix("currency", e'\n') or suffix("currency", e'\n') then trim("currency", e' \t\r\n') else "currency" end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix("currency", e' ') or suffix("currency", e' ') or prefix("currency", e'\t') or suffix("currency", e'\t') or prefix("currency", e'\r') or suffix("currency", e'\r') or prefix("currency", e'\n') or suffix("currency", e'\n') then trim("currency", e' \t\r\n') else "currency" end))) then null
  else (case when prefix("currency", e' ') or suffix("currency", e' ') or prefix("currency", e'\t') or suffix("currency", e'\t') or prefix("currency", e'\r') or suffix("currency", e'\r') or prefix("currency", e'\n') or suffix("currency", e'\n') then trim("currency", e' \t\r\n') else "currency" end)
end as currency_text,
        "currency" as raw_currency,
        case
  when length((case when prefix("timestamp", e' ') or suffix("timestamp", e' ') or prefix("timestamp", e'\t') or suffix("timestamp", e'\t') or prefix("timestamp", e'\r') or suffix("timestamp", e'\r') or prefix("timestamp", e'\n') or suffix("timestamp", e'\n') then trim("timestamp", e' \t\r\n') else "timestamp" end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix("timestamp", e' ') or suffix("timestamp", e' ') or prefix("timestamp", e'\t') or suffix("timestamp", e'\t') or prefix("timestamp", e'\r') or suffix("timestamp", e'\r') or prefix("timestamp", e'\n') or suffix("timestamp", e'\n') then trim("timestamp", e' \t\r\n') else "timestamp" end))) then null
  else (case when prefix("timestamp", e' ') or suffix("timestamp", e' ') or prefix("timestamp", e'\t') or suffix("timestamp", e'\t') or prefix("timestamp", e'\r') or suffix("timestamp", e'\r') or prefix("timestamp", e'\n') or suffix("timestamp", e'\n') then trim("timestamp", e' \t\r\n') else "timestamp" end)
end as timestamp_text,
        "timestamp" as raw_timestamp,
        case
  when length((case when prefix("status", e' ') or suffix("status", e' ') or prefix("status", e'\t') or suffix("status", e'\t') or prefix("status", e'\r') or suffix("status", e'\r') or prefix("status", e'\n') or suffix("status", e'\n') then trim("status", e' \t\r\n') else "status" end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix("status", e' ') or suffix("status", e' ') or prefix("status", e'\t') or suffix("status", e'\t') or prefix("status", e'\r') or suffix("status", e'\r') or prefix("status", e'\n') or suffix("status", e'\n') then trim("status", e' \t\r\n') else "status" end))) then null
  else (case when prefix("status", e' ') or suffix("status", e' ') or prefix("status", e'\t') or suffix("status", e'\t') or prefix("status", e'\r') or suffix("status", e'\r') or prefix("status", e'\n') or suffix("status", e'\n') then trim("status", e' \t\r\n') else "status" end)
end as status_text,
        "status" as raw_status,
        case
  when length((case when prefix("quantity", e' ') or suffix("quantity", e' ') or prefix("quantity", e'\t') or suffix("quantity", e'\t') or prefix("quantity", e'\r') or suffix("quantity", e'\r') or prefix("quantity", e'\n') or suffix("quantity", e'\n') then trim("quantity", e' \t\r\n') else "quantity" end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix("quantity", e' ') or suffix("quantity", e' ') or prefix("quantity", e'\t') or suffix("quantity", e'\t') or prefix("quantity", e'\r') or suffix("quantity", e'\r') or prefix("quantity", e'\n') or suffix("quantity", e'\n') then trim("quantity", e' \t\r\n') else "quantity" end))) then null
  else (case when prefix("quantity", e' ') or suffix("quantity", e' ') or prefix("quantity", e'\t') or suffix("quantity", e'\t') or prefix("quantity", e'\r') or suffix("quantity", e'\r') or prefix("quantity", e'\n') or suffix("quantity", e'\n') then trim("quantity", e' \t\r\n') else "quantity" end)
end as quantity_text,
        "quantity" as raw_quantity,
        case
  when length((case when prefix("payment_method", e' ') or suffix("payment_method", e' ') or prefix("payment_method", e'\t') or suffix("payment_method", e'\t') or prefix("payment_method", e'\r') or suffix("payment_method", e'\r') or prefix("payment_method", e'\n') or suffix("payment_method", e'\n') then trim("payment_method", e' \t\r\n') else "payment_method" end)) <= 4
    and list_contains(['', 'n/a', 'na', 'null', 'none', 'nil', 'nan', '-', '?'], lower((case when prefix("payment_method", e' ') or suffix("payment_method", e' ') or prefix("payment_method", e'\t') or suffix("payment_method", e'\t') or prefix("payment_method", e'\r') or suffix("payment_method", e'\r') or prefix("payment_method", e'\n') or suffix("payment_method", e'\n') then trim("payment_method", e' \t\r\n') else "payment_method" end))) then null
  else (case when prefix("payment_method", e' ') or suffix("payment_method", e' ') or prefix("payment_method", e'\t') or suffix("payment_method", e'\t') or prefix("payment_method", e'\r') or suffix("payment_method", e'\r') or prefix("payment_method", e'\n') or suffix("payment_method", e'\n') then trim("payment_method", e' \t\r\n') else "payment_method" end)
end as payment_method_text,
        "payment_method" as raw_payment_method
    from source
),

final as (
    select
        source_date,
        source_row_number,
        transaction_id_text as transaction_id,
        upper(customer_id_text) as customer_id,
        upper(product_id_text) as product_id,
        upper(store_id_text) as store_id,
        amount_text,
        -- Parsed as DECIMAL(18, 6) first (a 64-bit integer inside): the DECIMAL(38, 6) cast
        -- (128-bit) costs ~80x more per value, and only amounts of a trillion or more need it.
        case when regexp_full_match(amount_text, '-?[0-9]+(\.[0-9]+)?')
            then coalesce(try_cast(amount_text as decimal(18, 6)), try_cast(amount_text as decimal(38, 6)))
        end as amount,
        length(split_part(amount_text, '.', 2)) as amount_decimals,
        upper(currency_text) as currency,
        timestamp_text,
        try_cast(timestamp_text as timestamp) as transacted_at,
        lower(status_text) as status,
        try_cast(quantity_text as integer) as quantity,
        lower(replace(payment_method_text, ' ', '_')) as payment_method,
        raw_transaction_id,
        raw_customer_id,
        raw_product_id,
        raw_store_id,
        raw_amount,
        raw_currency,
        raw_timestamp,
        raw_status,
        raw_quantity,
        raw_payment_method
    from trimmed
)

select * from final
  );
