{#- Each raw record's verdict: its ranks among the records of the same person, customer id and
    e-mail, the among-records rules of the catalog, what happened to it (kept, merged into
    another record of the same person, quarantined), its output values (a value whose nullify
    rule failed is dropped), the rules it failed, the values that were repaired, and its record
    score (rules passed / rules evaluated).

    A view over int_customers_checked and the exceptions of int_customers_deduplicated: a record
    not listed there is alone in its person group (the first of its group), with its customer
    id and e-mail its own (first among the survivors sharing them, when it is one). -#}
{%- set rules = customer_rules() -%}
{%- set dedup_rules = rules | selectattr('stage', 'equalto', 'dedup') | list -%}
{%- set email_format = rules | selectattr('id', 'equalto', 'customers.email.format') | first -%}
{%- set customer_id_unique = rules | selectattr('id', 'equalto', 'customers.customer_id.unique') | first -%}
with

checked as (
    select * from {{ ref('int_customers_checked') }}
),

deduplicated as (
    select * from {{ ref('int_customers_deduplicated') }}
),

ranked as (
    select
        checked.*,
        coalesce(deduplicated.duplicate_rank, 1) as duplicate_rank,
        coalesce(deduplicated.group_first_row_number, checked.source_row_number) as group_first_row_number,
        case
            when deduplicated.source_row_number is not null then deduplicated.customer_id_rank
            when not checked.fails_error_rule then 1
        end as customer_id_rank,
        case
            when deduplicated.source_row_number is not null then deduplicated.email_rank
            when not checked.fails_error_rule and coalesce({{ rule_result(email_format, 'checked.evaluated_rule_bits', 'checked.failed_rule_bits') }}, false) then 1
        end as email_rank,
        deduplicated.merged_customer_ids as survivor_merged_customer_ids
    from checked
    left join deduplicated
        on checked.source_row_number = deduplicated.source_row_number
),

evaluated as (
    select
        *,
        {{ rule_result_columns(dedup_rules) }}
    from ranked
),

judged as (
    select
        *,
        evaluated_rule_bits | {{ rule_result_bits(dedup_rules, 'evaluated') }} as all_evaluated_rule_bits,
        failed_rule_bits | {{ rule_result_bits(dedup_rules, 'failed') }} as all_failed_rule_bits,
        case
            when fails_error_rule or {{ rule_column(customer_id_unique) }} = false then 'quarantined'
            when duplicate_rank > 1 then 'merged'
            else 'kept'
        end as outcome
    from evaluated
),

resolved as (
    select
        source_row_number,
        run_date,
        outcome,
        case when outcome = 'merged' then group_first_row_number end as survivor_row_number,
        case when outcome = 'kept' then coalesce(survivor_merged_customer_ids, []) end as merged_customer_ids,
        {%- for column, type in customer_output_columns() %}
        {%- set nullified_by = rules | selectattr('column', 'equalto', column) | selectattr('action', 'equalto', 'nullify') | list %}
        {%- if nullified_by %}
        case when (all_failed_rule_bits & {{ rule_mask(nullified_by) }}) <> 0 then null else {{ column }} end as {{ column }},
        {%- else %}
        {{ column }},
        {%- endif %}
        {%- endfor %}
        {{ failed_rule_list(rules, 'all_failed_rule_bits') }} as failed_rules,
        {{ failed_rule_list(rules | selectattr('severity', 'equalto', 'error') | list, 'all_failed_rule_bits') }}
            as quarantine_reasons,
        cast(bit_count(all_evaluated_rule_bits) as integer) as rules_evaluated,
        cast(bit_count(all_evaluated_rule_bits & ~all_failed_rule_bits) as integer) as rules_passed,
        completeness,
        coalesce(raw_customer_id_if_changed, customer_id) as raw_customer_id,
        {{ flag_list(repaired_column_flags(), 'repaired_column_bits') }} as repaired_columns,
        all_evaluated_rule_bits as evaluated_rule_bits,
        all_failed_rule_bits as failed_rule_bits,
        fails_error_rule,
        duplicate_rank,
        group_first_row_number,
        customer_id_rank,
        email_rank
    from judged
),

final as (
    select
        *,
        case when rules_evaluated = 0 then 1.0 else rules_passed / rules_evaluated end as dq_score
    from resolved
)

select * from final
