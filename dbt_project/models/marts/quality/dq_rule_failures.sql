{#- One row per (raw record, failed rule): answers "which raw rows failed rule X", with the
    raw value of the rule's column. The customer dq_rule tests read their failing records here. -#}
{{ rule_failures(ref('int_customers_failing'), ['run_date', 'source_row_number'], 'customer_id',
                 var('raw_customer_columns')) }}
