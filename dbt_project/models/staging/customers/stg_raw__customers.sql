{#- Standardise without judging: trim, placeholders to NULL, canonical case, typed parses.
    Every raw value is kept beside its standardised form (raw_*), for repairs and quarantine. -#}
with

source as (
    select * from {{ source('raw', 'customers') }}
),

standardised as (
    select
        source_row_number,
        date '{{ run_date() }}' as run_date,

        upper({{ clean_text('customer_id') }}) as customer_id,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        lower({{ clean_text('email') }}) as email,
        {{ clean_text('phone') }} as phone_text,
        {{ clean_text('date_of_birth') }} as date_of_birth_text,
        {{ parse_date(clean_text('date_of_birth')) }} as date_of_birth,
        lower({{ clean_text('gender') }}) as gender_text,
        {{ clean_text('street_address') }} as street_address,
        {{ clean_text('city') }} as city,
        {{ clean_text('state') }} as state,
        upper({{ clean_text('postal_code') }}) as postal_code,
        {{ clean_text('country') }} as country_text,
        {{ clean_text('signup_date') }} as signup_date_text,
        {{ parse_date(clean_text('signup_date')) }} as signup_date,
        lower({{ clean_text('segment') }}) as segment_text,
        {{ clean_text('annual_income') }} as annual_income_text,
        try_cast(replace({{ clean_text('annual_income') }}, ',', '') as decimal(18, 2)) as annual_income,
        lower({{ clean_text('marketing_opt_in') }}) as marketing_opt_in_text,
        {{ clean_text('last_purchase_date') }} as last_purchase_date_text,
        {{ parse_date(clean_text('last_purchase_date')) }} as last_purchase_date,

        {%- for column in var('raw_customer_columns') %}
        {{ column }} as raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from source
)

select * from standardised
