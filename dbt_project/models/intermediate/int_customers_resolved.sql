{#- Each raw record's verdict: its output values (a value whose nullify rule failed is
    dropped), what happened to it (kept, merged, quarantined), the rules it failed, the values
    that were repaired, and its record score (rules passed / rules evaluated). A view: joining
    the two record tables by source_row_number costs less than persisting the result again. -#}
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
        deduplicated.completeness,
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
        raw_customer_id,
        {{ flag_list(repaired_column_flags(), 'repaired_column_bits') }} as repaired_columns,
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
