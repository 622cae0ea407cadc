{{ config(materialized='view', tags=['transactions']) }}
{#- Every loadable transaction of the window with its raw values, its outcome and every rule's
    result, decoded from the rule masks into one column per rule (rule__*: TRUE pass, FALSE
    fail, NULL not evaluated): the place to ask "why" about one transaction. A view: computed
    only when someone asks. -#}
with

checked as (
    select * from {{ ref('int_transactions_checked') }}
),

raw as (
    {{ raw_values(ref('stg_raw__transactions'), ['source_date', 'source_row_number'], var('raw_transaction_columns'),
                  extra=['amount_text', 'timestamp_text']) }}
),

final as (
    select
        checked.*,
        raw.* exclude (source_date, source_row_number),
        {%- for rule in transaction_rules() %}
        {{ rule_result(rule) }} as {{ rule_column(rule) }}{{ "," if not loop.last }}
        {%- endfor %}
    from checked
    inner join raw
        on checked.source_date = raw.source_date
        and checked.source_row_number = raw.source_row_number
)

select * from final
