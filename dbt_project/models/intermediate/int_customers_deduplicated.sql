{{ config(materialized="table") }}
{#- Duplicates resolved. Records of the same person (same name, birth date and e-mail after
    cleaning; or the very same customer id when any of those is missing) form a group. The
    survivor is the first of the group by this deterministic rule:
      1. not failing an error rule (quarantined records never survive),
      2. most complete (most non-NULL cleaned values),
      3. most recent (latest last purchase, then latest signup),
      4. lowest source row number.
    The other records of the group are merged into it; their customer ids are kept in
    merged_customer_ids. Then the among-records rules of the catalog are evaluated. -#}
{%- set dedup_rules = customer_rules() | selectattr('stage', 'equalto', 'dedup') | list -%}
{%- set survivor_order -%}
    fails_error_rule,
    completeness desc,
    last_purchase_date desc nulls last,
    signup_date desc nulls last,
    source_row_number
{%- endset -%}
with

checked as (
    select * from {{ ref('int_customers_checked') }}
),

keyed as (
    select
        *,
        case
            when first_name is not null and last_name is not null
                and date_of_birth is not null and email is not null
                then lower(first_name) || '|' || lower(last_name) || '|' || date_of_birth || '|' || email
            when customer_id is not null then 'id|' || customer_id
            else 'row|' || source_row_number
        end as person_key,
        (
            {%- for column in ['customer_id', 'first_name', 'last_name', 'email', 'phone', 'date_of_birth',
                               'gender', 'street_address', 'city', 'state', 'postal_code', 'country',
                               'signup_date', 'segment', 'annual_income', 'marketing_opt_in',
                               'last_purchase_date'] %}
            cast({{ column }} is not null as integer){{ " +" if not loop.last }}
            {%- endfor %}
        ) as completeness
    from checked
),

ranked as (
    select
        *,
        row_number() over (partition by person_key order by {{ survivor_order }}) as duplicate_rank,
        first_value(source_row_number) over (
            partition by person_key order by {{ survivor_order }}
            rows between unbounded preceding and unbounded following
        ) as group_first_row_number
    from keyed
),

among_survivors as (
    select
        *,
        case when not fails_error_rule and duplicate_rank = 1 then
            row_number() over (
                partition by customer_id, (not fails_error_rule and duplicate_rank = 1)
                order by source_row_number)
        end as customer_id_rank,
        case when not fails_error_rule and duplicate_rank = 1 and {{ rule_column({'id': 'customers.email.format'}) }} then
            row_number() over (
                partition by email, (not fails_error_rule and duplicate_rank = 1 and {{ rule_column({'id': 'customers.email.format'}) }})
                order by source_row_number)
        end as email_rank
    from ranked
),

evaluated as (
    select
        *,
        {%- for rule in dedup_rules %}
        ({{ rule_sql(rule) }}) as {{ rule_column(rule) }}{{ "," if not loop.last }}
        {%- endfor %}
    from among_survivors
),

merged_ids as (
    select
        person_key,
        list(distinct customer_id order by customer_id) filter (where duplicate_rank > 1 and not fails_error_rule)
            as merged_customer_ids
    from evaluated
    group by person_key
),

outcomes as (
    select
        *,
        case
            when fails_error_rule
                or not coalesce({{ rule_column({'id': 'customers.customer_id.unique'}) }}, true) then 'quarantined'
            when duplicate_rank > 1 then 'merged'
            else 'kept'
        end as outcome
    from evaluated
),

final as (
    select
        outcomes.*,
        case when outcomes.outcome = 'merged' then outcomes.group_first_row_number end as survivor_row_number,
        case
            when outcomes.outcome = 'kept'
                then coalesce(list_filter(merged_ids.merged_customer_ids, id -> id is distinct from outcomes.customer_id), [])
        end as merged_customer_ids
    from outcomes
    left join merged_ids
        on outcomes.person_key = merged_ids.person_key
)

select * from final
