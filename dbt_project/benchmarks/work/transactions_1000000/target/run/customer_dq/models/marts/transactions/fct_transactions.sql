insert into "warehouse"."main"."fct_transactions" ("transaction_id", "transaction_date", "transacted_at", "customer_id", "product_id", "product_name", "category", "store_id", "store_name", "store_kind", "store_country", "amount", "currency", "fx_units_per_usd", "fx_as_of_date", "amount_usd", "quantity", "payment_method", "day_of_week", "hour_of_day", "is_weekend", "week_number", "month", "quarter", "transaction_size", "customer_lifetime_value_usd", "customer_transaction_count", "days_since_first_purchase", "customer_status", "product_popularity_rank", "category_avg_price_usd", "is_anomaly", "dq_failed_rules", "load_run_date", "source_date", "source_row_number")
    (
        select "transaction_id", "transaction_date", "transacted_at", "customer_id", "product_id", "product_name", "category", "store_id", "store_name", "store_kind", "store_country", "amount", "currency", "fx_units_per_usd", "fx_as_of_date", "amount_usd", "quantity", "payment_method", "day_of_week", "hour_of_day", "is_weekend", "week_number", "month", "quarter", "transaction_size", "customer_lifetime_value_usd", "customer_transaction_count", "days_since_first_purchase", "customer_status", "product_popularity_rank", "category_avg_price_usd", "is_anomaly", "dq_failed_rules", "load_run_date", "source_date", "source_row_number"
        from "fct_transactions__dbt_tmp20261123183141906187"
    )


  