{{ config(materialized='view') }}
{#- Every raw record with its raw and published values, what happened to it, and every rule's
    result, decoded from the rule masks into one column per rule (rule__*: TRUE pass, FALSE fail,
    NULL not evaluated): the place to ask "why" about one record. A view: computed only when
    someone asks. -#}
{%- set rules = customer_rules() -%}
{%- set raw_columns = var('raw_customer_columns') | reject('equalto', 'customer_id') | list -%}
with

resolved as (
    select * from {{ ref('int_customers_resolved') }}
),

raw as (
    {{ raw_values(ref('stg_raw__customers'), ['source_row_number'], raw_columns) }}
),

final as (
    select
        resolved.*,
        raw.* exclude (source_row_number),
        {%- for rule in rules %}
        {{ rule_result(rule) }} as {{ rule_column(rule) }}{{ "," if not loop.last }}
        {%- endfor %}
    from resolved
    inner join raw on resolved.source_row_number = raw.source_row_number
)

select * from final
