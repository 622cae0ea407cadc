{{ config(materialized="table") }}
{#- Each raw record's verdict: its output values (a value whose nullify rule failed is
    dropped), the rules it failed, the values that were repaired, and its record score
    (rules passed / rules evaluated). -#}
{%- set rules = customer_rules() -%}
with

deduplicated as (
    select * from {{ ref('int_customers_deduplicated') }}
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
        case
            when {% for rule in nullified_by %}coalesce(not {{ rule_column(rule) }}, false){{ " or " if not loop.last }}{% endfor %} then null
            else cast({{ column }} as {{ type }})
        end as {{ column }},
        {%- else %}
        cast({{ column }} as {{ type }}) as {{ column }},
        {%- endif %}
        {%- endfor %}
        {{ non_null_list(failed_rule_expressions(rules)) }} as failed_rules,
        {{ non_null_list(failed_rule_expressions(rules | selectattr('severity', 'equalto', 'error') | list)) }}
            as quarantine_reasons,
        (
            {%- for rule in rules %}
            cast({{ rule_column(rule) }} is not null as integer){{ " +" if not loop.last }}
            {%- endfor %}
        ) as rules_evaluated,
        (
            {%- for rule in rules %}
            cast(coalesce({{ rule_column(rule) }}, false) as integer){{ " +" if not loop.last }}
            {%- endfor %}
        ) as rules_passed,
        completeness,
        {%- for column in var('raw_customer_columns') %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from deduplicated
),

final as (
    select
        *,
        {{ non_null_list(repaired_column_expressions()) }} as repaired_columns,
        case when rules_evaluated = 0 then 1.0 else rules_passed / rules_evaluated end as dq_score
    from resolved
)

select * from final
