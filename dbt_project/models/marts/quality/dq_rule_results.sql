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

-- Records share few combinations of rule results (about 1,200 among 10 million generated
-- records): count the records of each combination in one pass, then every rule over the
-- combinations (76 filtered counts over every record cost more than the rest of this model).
combinations as (
    select evaluated_rule_bits, failed_rule_bits, count(*) as records
    from records
    group by evaluated_rule_bits, failed_rule_bits
),

totals as materialized (
    select
        {%- for rule in rules %}
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & {{ rule_bit(rule) }}) <> 0), 0) as bigint)
            as evaluated_{{ loop.index }},
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & {{ rule_bit(rule) }}) <> 0), 0)
            as bigint) as passed_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from combinations
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
