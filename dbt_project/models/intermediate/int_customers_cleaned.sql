{#- One row per raw record with every value repaired as far as it can be: names re-cased,
    e-mail domain typos fixed, phones to E.164, countries and coded values resolved through
    the reference seeds. Nothing is judged or dropped here; int_customers_checked judges. -#}
with

customers as (
    select * from {{ ref('stg_raw__customers') }}
),

-- Each reference relation is read by one CTE per use: DuckDB materialises a CTE read twice,
-- and a materialised CTE stops it from pruning unused columns when this view is queried.
country_codes as (
    select country_code from {{ ref('ref_countries') }}
),

countries as (
    select * from {{ ref('ref_countries') }}
),

country_aliases as (
    select lower(alias) as alias, country_code from {{ ref('ref_country_aliases') }}
),

{%- for domain in ['gender', 'segment', 'opt_in'] %}

{{ domain }}_aliases as (
    select lower(alias) as alias, canonical_value
    from {{ ref('ref_value_aliases') }}
    where value_domain = '{{ domain }}'
),
{%- endfor %}

domain_typos as (
    select * from {{ ref('ref_email_domain_typos') }}
),

with_country as (
    select
        customers.*,
        coalesce(by_code.country_code, by_alias.country_code) as country,
        -- "(0)": the trunk prefix a number written internationally shows in brackets (+44 (0)20 ...),
        -- dialled only from inside the country: not one of its digits
        regexp_replace(replace(customers.phone_text, '(0)', ''), '[^0-9]', '', 'g') as phone_digits,
        case when customers.email like '%@%' and customers.email not like '%@%@%'
            then split_part(customers.email, '@', 2) end as email_domain
    from customers
    left join country_codes as by_code
        on upper(customers.country_text) = by_code.country_code
    left join country_aliases as by_alias
        on lower(customers.country_text) = by_alias.alias
),

-- The country's numbering plan, and the phone's national number under it (computed once).
with_plan as (
    select
        with_country.*,
        countries.calling_code::varchar as calling_code,
        countries.nsn_min_length,
        countries.nsn_max_length,
        countries.postal_code_regex,
        {{ phone_national_number('with_country.phone_text', 'with_country.phone_digits',
                                 'countries.calling_code::varchar', 'countries.trunk_prefix::varchar',
                                 'countries.nsn_min_length', 'countries.nsn_max_length') }} as phone_national_number
    from with_country
    left join countries
        on with_country.country = countries.country_code
),

final as (
    select
        with_plan.source_row_number,
        with_plan.run_date,
        with_plan.customer_id,
        {{ proper_name('with_plan.first_name', 'with_plan.country') }} as first_name,
        {{ proper_name('with_plan.last_name', 'with_plan.country') }} as last_name,
        case
            when domain_typos.correct_domain is not null
                then split_part(with_plan.email, '@', 1) || '@' || domain_typos.correct_domain
            else with_plan.email
        end as email,
        with_plan.phone_text,
        {{ phone_e164('with_plan.phone_text', 'with_plan.phone_national_number', 'with_plan.calling_code',
                      'with_plan.nsn_min_length', 'with_plan.nsn_max_length') }} as phone,
        with_plan.date_of_birth_text,
        with_plan.date_of_birth,
        with_plan.gender_text,
        gender.canonical_value as gender,
        with_plan.street_address,
        with_plan.city,
        with_plan.state,
        with_plan.postal_code,
        with_plan.country_text,
        with_plan.country,
        with_plan.postal_code_regex,
        with_plan.signup_date_text,
        with_plan.signup_date,
        with_plan.segment_text,
        segment.canonical_value as segment,
        with_plan.annual_income_text,
        with_plan.annual_income,
        with_plan.marketing_opt_in_text,
        cast(opt_in.canonical_value as boolean) as marketing_opt_in,
        with_plan.last_purchase_date_text,
        with_plan.last_purchase_date,
        {%- for column in var('raw_customer_columns') %}
        with_plan.raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from with_plan
    left join domain_typos
        on with_plan.email_domain = domain_typos.typo_domain
    left join gender_aliases as gender
        on with_plan.gender_text = gender.alias
    left join segment_aliases as segment
        on with_plan.segment_text = segment.alias
    left join opt_in_aliases as opt_in
        on with_plan.marketing_opt_in_text = opt_in.alias
)

select * from final
