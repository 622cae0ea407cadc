create schema if not exists raw;
  create or replace view raw.transactions as
  select
    cast(regexp_extract(filename, '(\d{4}-\d{2}-\d{2})/transactions\.parquet$', 1) as date) as source_date,
    file_row_number as source_row_number,
    cast("transaction_id" as varchar) as "transaction_id",
    cast("customer_id" as varchar) as "customer_id",
    cast("product_id" as varchar) as "product_id",
    cast("store_id" as varchar) as "store_id",
    cast("amount" as varchar) as "amount",
    cast("currency" as varchar) as "currency",
    cast("timestamp" as varchar) as "timestamp",
    cast("status" as varchar) as "status",
    cast("quantity" as varchar) as "quantity",
    cast("payment_method" as varchar) as "payment_method"
  from read_parquet(['/work/main/benchmarks/work/transactions_1000000/raw/2026-11-23/transactions.parquet'], filename = true, file_row_number = true, union_by_name = true);
  create or replace view raw.products as
  select
    file_row_number as source_row_number,
    cast("product_id" as varchar) as "product_id",
    cast("name" as varchar) as "name",
    cast("category" as varchar) as "category",
    cast("price" as varchar) as "price"
  from read_parquet('/work/main/benchmarks/work/transactions_1000000/raw/2026-11-23/products.parquet', file_row_number = true);
  create or replace view raw.stores as
  select
    file_row_number as source_row_number,
    cast("store_id" as varchar) as "store_id",
    cast("name" as varchar) as "name",
    cast("kind" as varchar) as "kind",
    cast("country" as varchar) as "country"
  from read_parquet('/work/main/benchmarks/work/transactions_1000000/raw/2026-11-23/stores.parquet', file_row_number = true);
