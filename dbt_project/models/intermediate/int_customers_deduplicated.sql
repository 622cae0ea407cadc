{{ config(materialized="table") }}
{#- Duplicates found. Records of the same person (same name, birth date and e-mail after
    cleaning; or the very same customer id when any of those is missing: person_key) form a
    group. The survivor is the first of the group by this deterministic rule:
      1. not failing an error rule (quarantined records never survive),
      2. most complete (most non-NULL cleaned values),
      3. most recent (latest last purchase, then latest signup),
      4. lowest source row number.
    The other records of the group are merged into it; their customer ids are kept in
    merged_customer_ids. Among the survivors, records sharing a customer id or an e-mail are
    ranked by source row number, for the among-records rules (evaluated, with the outcome, in
    int_customers_resolved).

    Narrow, and only the exceptions: a window sorts every column it carries, so the ranking
    reads only what the survivor rule needs from int_customers_checked; and only the records
    deduplication touches are kept (a group of several records, or a customer id or e-mail
    taken by an earlier survivor), a few percent of them. Every record not listed here is alone
    in its person group, with its customer id and e-mail its own; joining this small table back
    costs little where a table of every record was joined back to every record. -#}
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
        completeness,
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
        first_value(source_row_number) over by_survivor_rule as group_first_row_number,
        count(*) over by_survivor_rule as group_size
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

exceptions as (
    select *
    from among_survivors
    where group_size > 1 or customer_id_rank > 1 or email_rank > 1
),

-- The ids of the records merged into each survivor (the first record of their group).
merged_ids as (
    select
        group_first_row_number,
        list(distinct customer_id order by customer_id) as merged_customer_ids
    from exceptions
    where duplicate_rank > 1 and not fails_error_rule
    group by group_first_row_number
),

final as (
    select
        exceptions.source_row_number,
        exceptions.duplicate_rank,
        exceptions.group_first_row_number,
        exceptions.customer_id_rank,
        exceptions.email_rank,
        case
            when exceptions.duplicate_rank = 1
                then coalesce(list_filter(merged_ids.merged_customer_ids, id -> id is distinct from exceptions.customer_id), [])
        end as merged_customer_ids
    from exceptions
    left join merged_ids
        on exceptions.source_row_number = merged_ids.group_first_row_number
)

select * from final
