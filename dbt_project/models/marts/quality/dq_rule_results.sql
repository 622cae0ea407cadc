{{ config(tags=['transactions']) }}
{#- Tagged transactions too: the transaction dq_rule tests read it (dbt build --select tag:transactions). -#}
{#- Per rule, this run: records evaluated, passed and failed, the pass rate (row-weighted:
    passed / evaluated) and the status against the rule's threshold. -#}
{%- set entities = [
    ('customers', customer_rules(), ref('int_customers_resolved')),
    ('transactions', transaction_rules(), ref('int_transactions_checked')),
] -%}
with

catalog as (
    select * from {{ ref('dq_rule_catalog') }}
),

{% for entity, rules, records in entities %}
-- Records share few combinations of rule results (about 1,200 among 10 million generated
-- customers): count the records of each combination of the masks (macros/rule_bit.sql) in one
-- pass, then every rule over the combinations (a filtered count per rule over every record cost
-- more than the rest of this model).
{{ entity }}_combinations as (
    select evaluated_rule_bits, failed_rule_bits, count(*) as records
    from {{ records }}
    group by evaluated_rule_bits, failed_rule_bits
),

{{ entity }}_totals as materialized (
    select
        {%- for rule in rules %}
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & {{ rule_bit(rule) }}) <> 0), 0) as bigint)
            as evaluated_{{ loop.index }},
        cast(coalesce(sum(records) filter (where (evaluated_rule_bits & ~failed_rule_bits & {{ rule_bit(rule) }}) <> 0), 0)
            as bigint) as passed_{{ loop.index }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ entity }}_combinations
),

{{ entity }}_counts as (
    {%- for rule in rules %}
    select '{{ rule.id }}' as rule_id, evaluated_{{ loop.index }} as evaluated, passed_{{ loop.index }} as passed
    from {{ entity }}_totals
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

{% endfor %}
counts as (
    {%- for entity, rules, records in entities %}
    select * from {{ entity }}_counts{{ " union all" if not loop.last }}
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
            -- no record to judge (an empty file, or a value every record lacks that the rule needs)
            when counts.evaluated = 0 then 'not_evaluated'
            when counts.passed / counts.evaluated >= catalog.threshold then 'pass'
            when catalog.severity = 'error' then 'fail'
            else 'warn'
        end as status
    from catalog
    inner join counts on catalog.rule_id = counts.rule_id
    cross join (select date '{{ run_date() }}' as run_date) as resolved_run
)

select * from final
