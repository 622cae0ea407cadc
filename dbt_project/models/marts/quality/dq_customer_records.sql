{{ config(materialized='view') }}
{#- Every raw record with its raw and published values, what happened to it, and every rule's
    result, decoded from the rule masks into one column per rule (rule__*: TRUE pass, FALSE fail,
    NULL not evaluated): the place to ask "why" about one record. A view: computed only when
    someone asks. -#}
{%- set rules = customer_rules() -%}
with

resolved as (
    select * from {{ ref('int_customers_resolved') }}
),

raw as (
    select
        source_row_number,
        {%- for column in var('raw_customer_columns') if column != 'customer_id' %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from {{ ref('stg_raw__customers') }}
),

final as (
    select
        resolved.*,
        {%- for column in var('raw_customer_columns') if column != 'customer_id' %}
        raw.raw_{{ column }},
        {%- endfor %}
        {%- for rule in rules %}
        {{ rule_result(rule) }} as {{ rule_column(rule) }}{{ "," if not loop.last }}
        {%- endfor %}
    from resolved
    inner join raw on resolved.source_row_number = raw.source_row_number
)

select * from final
