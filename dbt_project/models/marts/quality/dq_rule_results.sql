{#- Per rule, this run: records evaluated, passed and failed, the pass rate (row-weighted:
    passed / evaluated) and the status against the rule's threshold. -#}
{%- set rules = customer_rules() -%}
with

records as (
    -- every raw record with its rule masks (macros/rule_bit.sql)
    select evaluated_rule_bits, failed_rule_bits from {{ ref('int_customers_resolved') }}
),

catalog as (
    select * from {{ ref('dq_rule_catalog') }}
),

-- One pass over the records for every rule at once, then one row per rule.
totals as materialized (
    select
        {%- for rule in rules %}
        count(*) filter (where (evaluated_rule_bits & {{ rule_bit(rule) }}) <> 0) as evaluated_{{ loop.index }},
        count(*) filter (where (evaluated_rule_bits & ~failed_rule_bits & {{ rule_bit(rule) }}) <> 0)
            as passed_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from records
),

counts as (
    {%- for rule in rules %}
    select '{{ rule.id }}' as rule_id, evaluated_{{ loop.index }} as evaluated, passed_{{ loop.index }} as passed
    from totals
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

final as (
    select
        resolved_run.run_date,
        catalog.rule_id,
        catalog.entity,
        catalog.column_name,
        catalog.dimension,
        catalog.severity,
        catalog.action,
        catalog.threshold,
        counts.evaluated,
        counts.passed,
        counts.evaluated - counts.passed as failed,
        case when counts.evaluated > 0 then counts.passed / counts.evaluated end as pass_rate,
        case
            when counts.evaluated = 0 or counts.passed / counts.evaluated >= catalog.threshold then 'pass'
            when catalog.severity = 'error' then 'fail'
            else 'warn'
        end as status
    from catalog
    inner join counts on catalog.rule_id = counts.rule_id
    cross join (select date '{{ run_date() }}' as run_date) as resolved_run
)

select * from final
