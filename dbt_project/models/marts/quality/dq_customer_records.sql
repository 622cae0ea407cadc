{{ config(materialized='view') }}
{#- Every raw record with its cleaned values, every rule's result and its outcome: the input of
    the dq_rule tests, and the place to ask "why" about one record. A leaf on purpose: a rule
    test failing here never stops the marts from being built, so a failed run still reports. -#}
select * from {{ ref('int_customers_deduplicated') }}
