{{ config(materialized='view', tags=['transactions']) }}
{#- Every loadable transaction of the window with its outcome and every rule's result, decoded
    from the rule masks into one column per rule (rule__*: TRUE pass, FALSE fail, NULL not
    evaluated): the place to ask "why" about one transaction. A view: computed only when
    someone asks. -#}
select
    *,
    {%- for rule in transaction_rules() %}
    {{ rule_result(rule) }} as {{ rule_column(rule) }}{{ "," if not loop.last }}
    {%- endfor %}
from {{ ref('int_transactions_checked') }}
