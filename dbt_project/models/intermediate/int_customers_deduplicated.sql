{{ config(materialized="table") }}
{#- Duplicates found. Records of the same person (same name, birth date and e-mail after
    cleaning; or the very same customer id when any of those is missing: person_key) form a
    group. A record missing part of that identity joins the group of the records with its customer
    id and the whole identity (an incomplete copy of the customer, re-sent), when they have one
    identity and the parts the record has agree with it: the survivor rule then picks between
    them, where the copy listed first had kept the id and the complete record was quarantined
    (customers.customer_id.unique). The survivor is the first of the group by this deterministic
    rule:
      1. not failing an error rule (quarantined records never survive),
      2. most complete (most non-NULL cleaned values),
      3. most recent (latest last purchase, then latest signup),
      4. lowest source row number.
    The other records of the group are merged into it; their customer ids are kept in
    merged_customer_ids. Among the survivors, records sharing a customer id or an e-mail are
    ranked by source row number, for the among-records rules (evaluated, with the outcome, in
    int_customers_resolved).

    Narrow, and only the exceptions: only the records deduplication touches are kept (a group
    of several records, or a customer id or e-mail taken by an earlier survivor), a few percent
    of them. Every record not listed here is alone in its person group, with its customer id and
    e-mail its own; joining this small table back costs little where a table of every record
    was joined back to every record. The ranking windows, likewise, sort only the records whose
    key repeats (found by a hash aggregate over the narrow key columns): sorting every record by
    its person key, customer id and e-mail cost ~18 CPU s at 10M, ~3 times the aggregates. -#}
{%- set email_format = customer_rules() | selectattr('id', 'equalto', 'customers.email.format') | first -%}
{%- set survivor = 'not fails_error_rule and duplicate_rank = 1' -%}
with

-- Read afresh by each reader: DuckDB would otherwise materialise every record's key columns once.
checked as not materialized (
    select
        source_row_number,
        customer_id,
        lower(first_name) as first_name_key,
        lower(last_name) as last_name_key,
        date_of_birth,
        email,
        -- NULL when any part is
        first_name_key || '|' || last_name_key || '|' || date_of_birth || '|' || email as identity_key,
        coalesce(identity_key, 'id|' || customer_id, 'row|' || source_row_number) as own_person_key,
        completeness,
        fails_error_rule,
        coalesce({{ rule_result(email_format) }}, false) as email_is_valid,
        last_purchase_date,
        signup_date
    from {{ ref('int_customers_checked') }}
),

-- The repeated keys, by their hashes (macros/repeated_hashes.sql): a collision only makes a lone
-- record a candidate, which then ranks first in its own group and gets exactly the values of a
-- record not listed (int_customers_resolved's defaults).
repeated_ids as (
    {{ repeated_hashes('checked', 'customer_id') }}
),

-- A customer id that records with and without the whole identity share, whose complete records
-- have one identity: the person its incomplete copies may join (people_ranked checks that their
-- parts agree).
people_of_ids as (
    select
        'id|' || customer_id as own_person_key,
        any_value(identity_key) as person_key,
        any_value(first_name_key) filter (where identity_key is not null) as first_name_key,
        any_value(last_name_key) filter (where identity_key is not null) as last_name_key,
        any_value(date_of_birth) filter (where identity_key is not null) as date_of_birth,
        any_value(email) filter (where identity_key is not null) as email
    from checked
    semi join repeated_ids on hash(checked.customer_id) = repeated_ids.value_hash
    group by customer_id
    having count(distinct identity_key) = 1 and count(identity_key) < count(*)
),

-- The person keys shared by several records: own keys that repeat, and the people incomplete copies
-- may join. The own key of those copies is listed too, for the semi join below to find them (a copy
-- that does not agree stays alone, as a hash collision does).
repeated_people as (
    {{ repeated_hashes('checked', 'own_person_key') }}
    union
    select hash(person_key) from people_of_ids
    union
    select hash(own_person_key) from people_of_ids
),

repeated_emails as (
    {{ repeated_hashes('checked', 'email', where='email_is_valid') }}
),

-- The records of a person with several records, ranked by the survivor rule.
people_ranked as (
    select
        grouped.*,
        row_number() over by_survivor_rule as duplicate_rank,
        first_value(source_row_number) over by_survivor_rule as group_first_row_number,
        count(*) over by_survivor_rule as group_size
    from (
        select checked.*, coalesce(people_of_ids.person_key, checked.own_person_key) as person_key
        from checked
        semi join repeated_people on hash(checked.own_person_key) = repeated_people.value_hash
        left join people_of_ids
            on checked.own_person_key = people_of_ids.own_person_key
            and coalesce(checked.first_name_key = people_of_ids.first_name_key, true)
            and coalesce(checked.last_name_key = people_of_ids.last_name_key, true)
            and coalesce(checked.date_of_birth = people_of_ids.date_of_birth, true)
            and coalesce(checked.email = people_of_ids.email, true)
    ) as grouped
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

-- Every record whose customer id or e-mail repeats, with its duplicate rank (1: alone in its group).
{%- for key, repeated, condition in [('customer_id', 'repeated_ids', ''), ('email', 'repeated_emails', ' and email_is_valid')] %}

{{ key }}_candidates as (
    select
        checked.source_row_number,
        checked.{{ key }},
        checked.fails_error_rule,
        checked.email_is_valid,
        coalesce(people_ranked.duplicate_rank, 1) as duplicate_rank
    from checked
    semi join {{ repeated }} on hash(checked.{{ key }}) = {{ repeated }}.value_hash
    left join people_ranked using (source_row_number)
),

{{ key }}_ranked as (
    select
        source_row_number,
        row_number() over (partition by {{ key }} order by source_row_number) as {{ key }}_rank
    from {{ key }}_candidates
    where {{ survivor }}{{ condition }}
),
{%- endfor %}

exceptions as (
    select source_row_number from people_ranked
    union
    select source_row_number from customer_id_ranked where customer_id_rank > 1
    union
    select source_row_number from email_ranked where email_rank > 1
),

exception_records as (
    select
        checked.source_row_number,
        checked.customer_id,
        checked.fails_error_rule,
        checked.email_is_valid,
        coalesce(people_ranked.duplicate_rank, 1) as duplicate_rank,
        coalesce(people_ranked.group_first_row_number, checked.source_row_number) as group_first_row_number,
        customer_id_ranked.customer_id_rank,
        email_ranked.email_rank
    from exceptions
    inner join checked using (source_row_number)
    left join people_ranked using (source_row_number)
    left join customer_id_ranked using (source_row_number)
    left join email_ranked using (source_row_number)
),

-- The ids of the records merged into each survivor (the first record of their group).
merged_ids as (
    select
        group_first_row_number,
        list(distinct customer_id order by customer_id) as merged_customer_ids
    from people_ranked
    where duplicate_rank > 1 and not fails_error_rule
    group by group_first_row_number
),

final as (
    select
        exception_records.source_row_number,
        exception_records.duplicate_rank,
        exception_records.group_first_row_number,
        case when {{ survivor }} then coalesce(exception_records.customer_id_rank, 1) end as customer_id_rank,
        case when {{ survivor }} and email_is_valid then coalesce(exception_records.email_rank, 1) end as email_rank,
        case
            when exception_records.duplicate_rank = 1
                then coalesce(list_filter(merged_ids.merged_customer_ids, lambda id: id is distinct from exception_records.customer_id), [])
        end as merged_customer_ids
    from exception_records
    left join merged_ids
        on exception_records.source_row_number = merged_ids.group_first_row_number
)

select * from final
