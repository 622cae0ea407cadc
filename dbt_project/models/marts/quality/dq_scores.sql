{#- Quality scores of this run per entity, row-weighted (passed / evaluated), at every level:
    rule, column, dimension, table, and overall (the weighted mean of the entity's dimension
    scores, weights from the `dimension_weights` var). -#}
{%- set weights = var('dimension_weights') -%}
with

rule_results as (
    select * from {{ ref('dq_rule_results') }}
),

by_rule as (
    select run_date, entity, 'rule' as scope, rule_id as name, evaluated, passed from rule_results
),

by_column as (
    select run_date, entity, 'column' as scope, entity || '.' || column_name as name,
           sum(evaluated) as evaluated, sum(passed) as passed
    from rule_results group by run_date, entity, column_name
),

by_dimension as (
    select run_date, entity, 'dimension' as scope, dimension as name,
           sum(evaluated) as evaluated, sum(passed) as passed
    from rule_results group by run_date, entity, dimension
),

by_table as (
    select run_date, entity, 'table' as scope, entity as name, sum(evaluated) as evaluated, sum(passed) as passed
    from rule_results group by run_date, entity
),

weights as (
    select * from (values
        {%- for dimension, weight in weights.items() %}
        ('{{ dimension }}', {{ weight }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as w(dimension, weight)
),

overall as (
    select
        by_dimension.run_date,
        by_dimension.entity,
        'overall' as scope,
        'overall' as name,
        sum(by_dimension.evaluated) as evaluated,
        sum(by_dimension.passed) as passed,
        sum(weights.weight * by_dimension.passed / by_dimension.evaluated)
            / sum(weights.weight) as score
    from by_dimension
    inner join weights on by_dimension.name = weights.dimension
    where by_dimension.evaluated > 0
    group by by_dimension.run_date, by_dimension.entity
),

unioned as (
    select *, case when evaluated > 0 then passed / evaluated end as score from by_rule
    union all
    select *, case when evaluated > 0 then passed / evaluated end as score from by_column
    union all
    select *, case when evaluated > 0 then passed / evaluated end as score from by_dimension
    union all
    select *, case when evaluated > 0 then passed / evaluated end as score from by_table
    union all
    select * from overall
),

final as (
    select
        run_date,
        entity,
        scope,
        name,
        cast(evaluated as bigint) as evaluated,
        cast(passed as bigint) as passed,
        cast(score as double) as score
    from unioned
)

select * from final
