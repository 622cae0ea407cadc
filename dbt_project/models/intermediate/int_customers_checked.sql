{#- Every record-level rule of the catalog (macros/customer_rules.sql) evaluated on every raw
    record: one boolean column per rule, TRUE pass, FALSE fail, NULL not evaluated. -#}
{%- set row_rules = customer_rules() | selectattr('stage', 'equalto', 'row') | list -%}
{%- set error_rules = row_rules | selectattr('severity', 'equalto', 'error') | list -%}
with

cleaned as (
    select * from {{ ref('int_customers_cleaned') }}
),

checked as (
    select
        cleaned.*,
        {%- for rule in row_rules %}
        ({{ rule_sql(rule) }}) as {{ rule_column(rule) }}{{ "," if not loop.last }}
        {%- endfor %}
    from cleaned
),

final as (
    select
        *,
        (
            {%- for rule in error_rules %}
            coalesce(not {{ rule_column(rule) }}, false){{ " or" if not loop.last }}
            {%- endfor %}
        ) as fails_error_rule
    from checked
)

select * from final
