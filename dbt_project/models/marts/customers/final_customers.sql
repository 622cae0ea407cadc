{{ config(materialized='published') }}
{#- The clean customers with engineered features and their record-level quality. -#}
with

-- The clean customers with their record-level quality (cleaned_customers is a view of the first columns).
customers as (
    select
        {%- for column, type in customer_output_columns() %}
        {{ column }},
        {%- endfor %}
        merged_customer_ids,
        source_row_number,
        run_date,
        dq_score,
        failed_rules
    from {{ ref('int_customers_resolved') }}
    where outcome = 'kept'
),

countries as (
    select country_code, country_name, region, calling_code from {{ ref('ref_countries') }}
),

free_mail as (
    select domain from {{ ref('ref_email_domains') }} where is_free_mail
),

measured as (
    select
        {%- for column, type in customer_output_columns() %}
        customers.{{ column }},
        {%- endfor %}
        customers.merged_customer_ids,
        customers.source_row_number,
        customers.run_date,
        {{ age_in_years('customers.date_of_birth', 'customers.run_date') }} as age,
        {{ days_between('customers.signup_date', 'customers.run_date') }} as tenure_days,
        split_part(customers.email, '@', 2) as email_domain,
        {{ days_between('customers.last_purchase_date', 'customers.run_date') }} as days_since_last_purchase,
        countries.country_name,
        countries.region,
        case when customers.phone is not null then '+' || countries.calling_code end as phone_country_code,
        free_mail.domain is not null as is_free_mail,
        customers.dq_score,
        customers.failed_rules as dq_failed_rules,
        len(customers.failed_rules) as dq_issue_count,
        -- the published values: a value a nullify rule dropped does not count
        round((
            {%- for column, type in customer_output_columns() %}
            cast(customers.{{ column }} is not null as integer){{ " +" if not loop.last }}
            {%- endfor %}
        ) / {{ customer_output_columns() | length }}, 4) as profile_completeness
    from customers
    left join countries on customers.country = countries.country_code
    left join free_mail on split_part(customers.email, '@', 2) = free_mail.domain
),

final as (
    select
        *,
        case
            when age is null then 'unknown'
            -- the generator's customers are adults; a source's may not be, and must not read as one
            when age < 18 then 'under_18'
            when age < 25 then '18-24'
            when age < 35 then '25-34'
            when age < 45 then '35-44'
            when age < 55 then '45-54'
            when age < 65 then '55-64'
            else '65+'
        end as age_band,
        case
            when tenure_days is null then 'unknown'
            when tenure_days < 90 then 'under_3_months'
            when tenure_days < 365 then '3_to_12_months'
            when tenure_days < 3 * 365 then '1_to_3_years'
            when tenure_days < 5 * 365 then '3_to_5_years'
            else '5_years_plus'
        end as tenure_band,
        case
            when annual_income is null then 'unknown'
            when annual_income < 30000 then 'low'
            when annual_income < 60000 then 'lower_middle'
            when annual_income < 120000 then 'upper_middle'
            else 'high'
        end as income_band,
        case
            when days_since_last_purchase is null then 'unknown'
            when days_since_last_purchase <= 30 then 'active'
            when days_since_last_purchase <= 90 then 'warm'
            when days_since_last_purchase <= 180 then 'cooling'
            else 'lapsed'
        end as recency_bucket,
        coalesce(marketing_opt_in, false) as is_opted_in
    from measured
)

select * from final
