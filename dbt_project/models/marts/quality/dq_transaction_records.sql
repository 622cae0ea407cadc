{{ config(materialized='view', tags=['transactions']) }}
{#- Every loadable transaction of the window with its rule results and outcome: the input of
    the transaction dq_rule tests. A leaf, like dq_customer_records, so a failing rule test
    never stops the marts from being built. -#}
select * from {{ ref('int_transactions_checked') }}
