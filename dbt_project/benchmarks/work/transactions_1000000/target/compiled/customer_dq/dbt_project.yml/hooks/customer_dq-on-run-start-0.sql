create schema if not exists raw;
  create or replace view raw.customers as
  select
    file_row_number as source_row_number,
    cast("customer_id" as varchar) as "customer_id",
    cast("first_name" as varchar) as "first_name",
    cast("last_name" as varchar) as "last_name",
    cast("email" as varchar) as "email",
    cast("phone" as varchar) as "phone",
    cast("date_of_birth" as varchar) as "date_of_birth",
    cast("gender" as varchar) as "gender",
    cast("street_address" as varchar) as "street_address",
    cast("city" as varchar) as "city",
    cast("state" as varchar) as "state",
    cast("postal_code" as varchar) as "postal_code",
    cast("country" as varchar) as "country",
    cast("signup_date" as varchar) as "signup_date",
    cast("segment" as varchar) as "segment",
    cast("annual_income" as varchar) as "annual_income",
    cast("marketing_opt_in" as varchar) as "marketing_opt_in",
    cast("last_purchase_date" as varchar) as "last_purchase_date"
  from read_parquet('/work/main/benchmarks/work/transactions_1000000/raw/2026-11-23/customers.parquet', file_row_number = true);
  create or replace table raw.customers_schema_drift as
  select * from (values
    (null::date, null, null)) as t(run_date, column_name, change)
  where column_name is not null
