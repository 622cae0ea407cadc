{#- A rule of the catalog as a dbt test, on an entity's rule failures (dq_rule_failures,
    dq_transaction_failures): fails when the rule's pass rate falls below the rule's threshold,
    with the rule's severity. The failing records are returned (and stored with
    store_failures); when the pass rate is at or above the threshold, none are.

    The rule is evaluated once, by its own SQL from macros/customer_rules.sql or
    macros/transaction_rules.sql (the expression the scoring uses), in the entity's record
    models; the test reads the rule's counts from dq_rule_results and its failing records from
    the failures model. A test re-evaluating its rule over every record made one full scan per
    rule, which cost more than building the models. -#}
{% test dq_rule(model, rule_id) %}
{%- set matches = all_rules() | selectattr('id', 'equalto', rule_id) | list -%}
{%- if not matches -%}
  {{ exceptions.raise_compiler_error("dq_rule test: no rule '" ~ rule_id ~ "' in the rule catalog (macros/all_rules.sql)") }}
{%- endif -%}
{%- set rule = matches[0] -%}
{#- The failures model names the record by its key as delivered: <entity singular>_id. -#}
{%- set record_key = rule.id.split('.')[0][:-1] ~ '_id' -%}
{{ config(severity=rule.severity, store_failures=true) }}
with

summary as (
    select evaluated, failed
    from {{ ref('dq_rule_results') }}
    where rule_id = '{{ rule.id }}'
),

failures as (
    select source_row_number, {{ record_key }} as record_id, raw_value
    from {{ model }}
    where rule_id = '{{ rule.id }}'
)

select
    '{{ rule.id }}' as rule_id,
    failures.source_row_number,
    failures.record_id,
    {#- a record rule has no column of its own: its raw value is the record's key #}
    {{ 'failures.record_id' if rule.column == 'record' else 'failures.raw_value' }} as raw_value,
    summary.evaluated,
    summary.failed,
    {{ rule.threshold }} as threshold
from failures
cross join summary
where summary.failed > (1 - {{ rule.threshold }}) * summary.evaluated
{% endtest %}
