{{ config(materialized='table') }}
{#- Every loadable transaction of the window with the rules judged on the record itself and
    its joins (stage 'row' of macros/transaction_rules.sql) as two partial rule masks, and
    whether it fails an error rule. The anomaly rules need statistics of the loaded
    transactions, this table's passing records among them (int_transactions_currency_stats), so int_transactions_checked adds them on top of this
    table: judging them here would read every record twice, and DuckDB then writes the whole
    wide record set aside first (at 10M transactions: 39 s for this model instead of 26 s). -#}
{%- set row_rules = transaction_rules() | selectattr('stage', 'equalto', 'row') | list -%}
{%- set error_rules = transaction_rules() | selectattr('severity', 'equalto', 'error') | list -%}
with

joined as (
    select * from {{ ref('int_transactions_joined') }}
),

row_checked as (
    select
        joined.*,
        {{ rule_result_columns(row_rules) }},
        (
            {%- for rule in error_rules %}
            coalesce(not ({{ rule_sql(rule) }}), false){{ " or" if not loop.last }}
            {%- endfor %}
        ) as fails_error_rule
    from joined
),

-- Persisted without the texts the rules read and the raw values (int_transactions_failing
-- reads the raw values again for the few records that need them): every persisted column
-- costs compression time per million rows.
final as (
    select
        * exclude (
            amount_text,
            timestamp_text,
            {%- for column in var('raw_transaction_columns') %}
            raw_{{ column }},
            {%- endfor %}
            {%- for rule in row_rules %}
            {{ rule_column(rule) }}{{ "," if not loop.last }}
            {%- endfor %}
        ),
        {{ rule_result_bits(row_rules, 'evaluated') }} as row_evaluated_rule_bits,
        {{ rule_result_bits(row_rules, 'failed') }} as row_failed_rule_bits
    from row_checked
)

select * from final
