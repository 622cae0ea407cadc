{{ config(materialized="table") }}
{#- Every raw record judged on its own: each record-level rule of the catalog
    (macros/customer_rules.sql) evaluated, and the values the record would publish (a value
    whose nullify rule failed is dropped). Deduplication and the verdicts read this table.

    The one wide table of the pipeline, and kept as narrow as its readers allow: every persisted
    column costs compression time per million rows. So the rule results are two BIGINT masks,
    one bit per rule (macros/rule_bit.sql), not a boolean column per rule; the cleaned and raw
    texts stay behind in the views (raw values are read from stg_raw__customers by
    source_row_number where needed); the person key, completeness and error flag are computed
    here, from the cleaned values, for the narrow deduplication. -#}
{%- set row_rules = customer_rules() | selectattr('stage', 'equalto', 'row') | list -%}
{%- set error_rules = row_rules | selectattr('severity', 'equalto', 'error') | list -%}
with

cleaned as (
    select * from {{ ref('int_customers_cleaned') }}
),

judged as (
    select
        cleaned.*,
        {%- for rule in row_rules %}
        ({{ rule_sql(rule) }}) as {{ rule_column(rule) }}{{ "," if not loop.last }}
        {%- endfor %}
    from cleaned
),

published as (
    select
        source_row_number,
        run_date,
        {%- for column, type in customer_output_columns() %}
        {%- set nullified_by = row_rules | selectattr('column', 'equalto', column) | selectattr('action', 'equalto', 'nullify') | list %}
        {%- if nullified_by %}
        case
            when {% for rule in nullified_by %}{{ rule_column(rule) }} = false{{ " or " if not loop.last }}{% endfor %} then null
            else cast(judged.{{ column }} as {{ type }})
        end as {{ column }},
        {%- else %}
        cast(judged.{{ column }} as {{ type }}) as {{ column }},
        {%- endif %}
        {%- endfor %}
        {{ rule_result_bits(row_rules, 'evaluated') }} as evaluated_rule_bits,
        {{ rule_result_bits(row_rules, 'failed') }} as failed_rule_bits,
        (
            {%- for rule in error_rules %}
            coalesce({{ rule_column(rule) }} = false, false){{ " or" if not loop.last }}
            {%- endfor %}
        ) as fails_error_rule,
        -- Identity of the person, from the values as cleaned (before nullify rules drop any).
        case
            when judged.first_name is not null and judged.last_name is not null
                and judged.date_of_birth is not null and judged.email is not null
                then lower(judged.first_name) || '|' || lower(judged.last_name) || '|' || judged.date_of_birth
                    || '|' || judged.email
            when judged.customer_id is not null then 'id|' || judged.customer_id
            else 'row|' || judged.source_row_number
        end as person_key,
        (
            {%- for column, type in customer_output_columns() %}
            cast(judged.{{ column }} is not null as integer){{ " +" if not loop.last }}
            {%- endfor %}
        ) as completeness,
        {%- for column in var('raw_customer_columns') %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from judged
),

final as (
    select
        source_row_number,
        run_date,
        {%- for column, type in customer_output_columns() %}
        {{ column }},
        {%- endfor %}
        evaluated_rule_bits,
        failed_rule_bits,
        fails_error_rule,
        person_key,
        completeness,
        {{ non_null_list(repaired_column_expressions()) }} as repaired_columns,
        raw_customer_id
    from published
)

select * from final
