{#- Standardise without judging: trim, placeholders to NULL, blanks inside free text as one
    space, canonical case, typed parses.
    Every raw value is kept beside its standardised form (raw_*), for repairs and quarantine. -#}
with

source as (
    select * from {{ source('raw', 'customers') }}
),

-- Each raw value trimmed once, with placeholders as NULL.
present as (
    select
        source_row_number,
        {%- for column in var('raw_customer_columns') %}
        {{ clean_text(column, var('names_among_null_markers') if column in ['first_name', 'last_name'] else []) }}
            as {{ column }},
        {%- endfor %}
        {%- for column in var('raw_customer_columns') %}
        {{ column }} as raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from source
),

final as (
    select
        source_row_number,
        date '{{ run_date() }}' as run_date,

        upper(customer_id) as customer_id,
        {{ single_spaced('first_name') }} as first_name,
        {{ single_spaced('last_name') }} as last_name,
        lower(email) as email,
        {{ without_phone_extension('phone') }} as phone_text,
        date_of_birth as date_of_birth_text,
        {{ parse_date('date_of_birth') }} as date_of_birth,
        lower(gender) as gender_text,
        {{ single_spaced('street_address') }} as street_address,
        {{ single_spaced('city') }} as city,
        {{ single_spaced('state') }} as state,
        upper(postal_code) as postal_code,
        country as country_text,
        signup_date as signup_date_text,
        {{ parse_date('signup_date') }} as signup_date,
        lower(segment) as segment_text,
        annual_income as annual_income_text,
        {{ parse_amount('annual_income') }} as annual_income,
        lower(marketing_opt_in) as marketing_opt_in_text,
        last_purchase_date as last_purchase_date_text,
        {{ parse_date('last_purchase_date') }} as last_purchase_date,

        {%- for column in var('raw_customer_columns') %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from present
)

select * from final
