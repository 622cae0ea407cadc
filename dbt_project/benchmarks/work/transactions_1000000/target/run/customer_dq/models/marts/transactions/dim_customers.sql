
        
            delete from "warehouse"."main"."dim_customers"
            where (
                customer_id) in (
                select (customer_id)
                from "dim_customers__dbt_tmp20261123183134654094"
            );

        
    

    insert into "warehouse"."main"."dim_customers" ("customer_id", "signup_date", "country", "segment", "last_purchase_date", "first_seen_date", "last_seen_date")
    (
        select "customer_id", "signup_date", "country", "segment", "last_purchase_date", "first_seen_date", "last_seen_date"
        from "dim_customers__dbt_tmp20261123183134654094"
    )
  