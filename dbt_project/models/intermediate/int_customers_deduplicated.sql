{{ config(materialized="table") }}
{#- Duplicates resolved. Records of the same person (same name, birth date and e-mail after
    cleaning; or the very same customer id when any of those is missing: person_key) form a
    group. The survivor is the first of the group by this deterministic rule:
      1. not failing an error rule (quarantined records never survive),
      2. most complete (most non-NULL cleaned values),
      3. most recent (latest last purchase, then latest signup),
      4. lowest source row number.
    The other records of the group are merged into it; their customer ids are kept in
    merged_customer_ids. Then the among-records rules of the catalog are evaluated.

    Narrow on purpose: a window sorts every column it carries, so the ranking reads only what
    the survivor rule needs from int_customers_checked, and the verdicts join back by
    source_row_number (int_customers_resolved). -#}
{%- set dedup_rules = customer_rules() | selectattr('stage', 'equalto', 'dedup') | list -%}
{%- set email_format = customer_rules() | selectattr('id', 'equalto', 'customers.email.format') | first -%}
with

checked as (
    select
        source_row_number,
        customer_id,
        email,
        case
            when first_name is not null and last_name is not null
                and date_of_birth is not null and email is not null
                then lower(first_name) || '|' || lower(last_name) || '|' || date_of_birth || '|' || email
            when customer_id is not null then 'id|' || customer_id
            else 'row|' || source_row_number
        end as person_key,
        (
            {%- for column, type in customer_output_columns() %}
            cast({{ column }} is not null as integer){{ " +" if not loop.last }}
            {%- endfor %}
        ) as completeness,
        fails_error_rule,
        coalesce({{ rule_result(email_format) }}, false) as email_is_valid,
        last_purchase_date,
        signup_date
    from {{ ref('int_customers_checked') }}
),

ranked as (
    select
        *,
        row_number() over by_survivor_rule as duplicate_rank,
        first_value(source_row_number) over by_survivor_rule as group_first_row_number
    from checked
    window by_survivor_rule as (
        partition by person_key
        order by
            fails_error_rule,
            completeness desc,
            last_purchase_date desc nulls last,
            signup_date desc nulls last,
            source_row_number
        rows between unbounded preceding and unbounded following
    )
),

among_survivors as (
    select
        *,
        case when not fails_error_rule and duplicate_rank = 1 then
            row_number() over (
                partition by customer_id, (not fails_error_rule and duplicate_rank = 1)
                order by source_row_number)
        end as customer_id_rank,
        case when not fails_error_rule and duplicate_rank = 1 and email_is_valid then
            row_number() over (
                partition by email, (not fails_error_rule and duplicate_rank = 1 and email_is_valid)
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

-- Only the few merged records contribute ids: aggregate those, not every person group.
merged_ids as (
    select
        person_key,
        list(distinct customer_id order by customer_id) as merged_customer_ids
    from evaluated
    where duplicate_rank > 1 and not fails_error_rule
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
        outcomes.source_row_number,
        outcomes.completeness,
        outcomes.duplicate_rank,
        outcomes.group_first_row_number,
        outcomes.customer_id_rank,
        outcomes.email_rank,
        {{ rule_result_bits(dedup_rules, 'evaluated') }} as evaluated_rule_bits,
        {{ rule_result_bits(dedup_rules, 'failed') }} as failed_rule_bits,
        outcomes.outcome,
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
