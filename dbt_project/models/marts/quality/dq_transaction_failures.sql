{{ config(tags=['transactions']) }}
{#- One row per (window transaction, failed rule): answers "which raw rows failed rule X" for
    transactions, with the raw value of the rule's column. The transaction dq_rule tests read
    their failing records here. -#}
{{ rule_failures(ref('int_transactions_failing'),
                 ["date '" ~ run_date() ~ "' as run_date", 'source_date', 'source_row_number'], 'transaction_id',
                 var('raw_transaction_columns')) }}
