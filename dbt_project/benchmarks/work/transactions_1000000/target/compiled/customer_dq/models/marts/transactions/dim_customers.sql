with

current_customers as (
    select customer_id, signup_date, country, segment, last_purchase_date, run_date
    from "warehouse"."main"."final_customers"
),


known as (
    select customer_id, first_seen_date, last_seen_date from "warehouse"."main"."dim_customers"
),


final as (
    select
        current_customers.customer_id,
        current_customers.signup_date,
        current_customers.country,
        current_customers.segment,
        current_customers.last_purchase_date,
        least(coalesce(known.first_seen_date, current_customers.run_date), current_customers.run_date)
            as first_seen_date,
        current_customers.run_date as last_seen_date
    from current_customers
    left join known on current_customers.customer_id = known.customer_id
    -- Re-running an older date never overwrites what a newer run knows.
    where known.last_seen_date is null or current_customers.run_date >= known.last_seen_date
)

select * from final