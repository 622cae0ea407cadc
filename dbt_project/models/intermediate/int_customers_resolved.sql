{#- Each raw record's verdict: its output values, what happened to it (kept, merged,
    quarantined), the rules it failed, the values that were repaired, and its record score
    (rules passed / rules evaluated). A view: joining the two record tables by source_row_number
    costs less than persisting the result once more. -#}
{%- set rules = customer_rules() -%}
with

checked as (
    select * from {{ ref('int_customers_checked') }}
),

deduplicated as (
    select * from {{ ref('int_customers_deduplicated') }}
),

joined as (
    select
        checked.*,
        deduplicated.outcome,
        deduplicated.survivor_row_number,
        deduplicated.merged_customer_ids,
        checked.evaluated_rule_bits | deduplicated.evaluated_rule_bits as all_evaluated_rule_bits,
        checked.failed_rule_bits | deduplicated.failed_rule_bits as all_failed_rule_bits
    from checked
    inner join deduplicated
        on checked.source_row_number = deduplicated.source_row_number
),

resolved as (
    select
        source_row_number,
        run_date,
        outcome,
        survivor_row_number,
        merged_customer_ids,
        {%- for column, type in customer_output_columns() %}
        {{ column }},
        {%- endfor %}
        {{ failed_rule_list(rules, 'all_failed_rule_bits') }} as failed_rules,
        {{ failed_rule_list(rules | selectattr('severity', 'equalto', 'error') | list, 'all_failed_rule_bits') }}
            as quarantine_reasons,
        cast(bit_count(all_evaluated_rule_bits) as integer) as rules_evaluated,
        cast(bit_count(all_evaluated_rule_bits & ~all_failed_rule_bits) as integer) as rules_passed,
        completeness,
        raw_customer_id,
        repaired_columns,
        all_evaluated_rule_bits as evaluated_rule_bits,
        all_failed_rule_bits as failed_rule_bits
    from joined
),

final as (
    select
        *,
        case when rules_evaluated = 0 then 1.0 else rules_passed / rules_evaluated end as dq_score
    from resolved
)

select * from final
