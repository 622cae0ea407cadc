{#- A rule of the catalog as a dbt test: evaluates the rule's own SQL (macros/customer_rules.sql,
    macros/transaction_rules.sql: the same expression the scoring uses) on the model and fails when the pass rate falls below
    the rule's threshold, with the rule's severity. The failing records are returned (and
    stored with store_failures); when the pass rate is at or above the threshold, none are. -#}
{% test dq_rule(model, rule_id) %}
{%- set matches = all_rules() | selectattr('id', 'equalto', rule_id) | list -%}
{%- if not matches -%}
  {{ exceptions.raise_compiler_error("dq_rule test: no rule '" ~ rule_id ~ "' in the rule catalog (macros/all_rules.sql)") }}
{%- endif -%}
{%- set rule = matches[0] -%}
{#- The record's own key as delivered: <entity singular>_id, e.g. raw_customer_id. -#}
{%- set record_key = 'raw_' ~ rule.id.split('.')[0][:-1] ~ '_id' -%}
{{ config(severity=rule.severity, store_failures=true) }}
with

evaluated as (
    select
        source_row_number,
        {{ record_key }} as record_id,
        raw_{{ rule.column if rule.column != 'record' else 'customer_id' }} as raw_value,
        ({{ rule_sql(rule) }}) as passed
    from {{ model }}
),

summary as (
    select count(passed) as evaluated, count(*) filter (where not passed) as failed
    from evaluated
)

select
    '{{ rule.id }}' as rule_id,
    evaluated.source_row_number,
    evaluated.record_id,
    evaluated.raw_value,
    summary.evaluated,
    summary.failed,
    {{ rule.threshold }} as threshold
from evaluated
cross join summary
where not evaluated.passed
    and summary.failed > (1 - {{ rule.threshold }}) * summary.evaluated
{% endtest %}
