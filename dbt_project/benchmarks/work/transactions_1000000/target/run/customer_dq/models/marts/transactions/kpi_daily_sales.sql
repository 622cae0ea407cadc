insert into "warehouse"."main"."kpi_daily_sales" ("transaction_date", "total_sales_usd", "total_quantity", "avg_amount_usd", "min_amount_usd", "max_amount_usd", "transaction_count", "unique_customers", "top_product_id", "top_product_name", "top_product_revenue_usd", "top_customer_id", "top_customer_revenue_usd", "top_store_id", "top_store_name", "top_store_revenue_usd", "transactions_by_payment_method", "load_run_date")
    (
        select "transaction_date", "total_sales_usd", "total_quantity", "avg_amount_usd", "min_amount_usd", "max_amount_usd", "transaction_count", "unique_customers", "top_product_id", "top_product_name", "top_product_revenue_usd", "top_customer_id", "top_customer_revenue_usd", "top_store_id", "top_store_name", "top_store_revenue_usd", "transactions_by_payment_method", "load_run_date"
        from "kpi_daily_sales__dbt_tmp20261123183151249006"
    )


  