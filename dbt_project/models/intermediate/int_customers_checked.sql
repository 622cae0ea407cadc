{{ config(materialized="table") }}
{#- Every raw record judged on its own: its cleaned values, each record-level rule of the
    catalog (macros/customer_rules.sql) evaluated, and which values were repaired.
    Deduplication and the verdicts read this table.

    The one wide table of the pipeline, kept as narrow as its readers allow: every persisted
    column costs compression time per million rows. The rule results are two BIGINT masks, one
    bit per rule (macros/rule_bit.sql), not a boolean column per rule; the repaired columns are
    one mask too; the texts the rules read and the raw values stay in the views before it (the
    raw values are read again from stg_raw__customers, by source_row_number, where needed). -#}
{%- set row_rules = customer_rules() | selectattr('stage', 'equalto', 'row') | list -%}
{%- set error_rules = row_rules | selectattr('severity', 'equalto', 'error') | list -%}
with

cleaned as (
    select * from {{ ref('int_customers_cleaned') }}
),

judged as (
    select
        cleaned.*,
        {{ rule_result_columns(row_rules) }}
    from cleaned
),

-- The values as they will be published, a value whose nullify rule failed dropped: repairs
-- are judged on these (int_customers_resolved drops the same values, by the masks).
published as (
    select
        judged.*,
        {%- for column, type in customer_output_columns() %}
        {%- set nullified_by = row_rules | selectattr('column', 'equalto', column) | selectattr('action', 'equalto', 'nullify') | list %}
        {%- if nullified_by %}
        case
            when {% for rule in nullified_by %}{{ rule_column(rule) }} = false{{ " or " if not loop.last }}{% endfor %} then null
            else cast({{ column }} as {{ type }})
        end as published_{{ column }}{{ "," if not loop.last }}
        {%- else %}
        cast({{ column }} as {{ type }}) as published_{{ column }}{{ "," if not loop.last }}
        {%- endif %}
        {%- endfor %}
    from judged
),

final as (
    select
        source_row_number,
        run_date,
        {%- for column, type in customer_output_columns() %}
        cast({{ column }} as {{ type }}) as {{ column }},
        {%- endfor %}
        {{ rule_result_bits(row_rules, 'evaluated') }} as evaluated_rule_bits,
        {{ rule_result_bits(row_rules, 'failed') }} as failed_rule_bits,
        (
            {%- for rule in error_rules %}
            coalesce({{ rule_column(rule) }} = false, false){{ " or" if not loop.last }}
            {%- endfor %}
        ) as fails_error_rule,
        (
            {%- for column, type in customer_output_columns() %}
            cast({{ column }} is not null as integer){{ " +" if not loop.last }}
            {%- endfor %}
        ) as completeness,
        -- a value was repaired when it is published and differs from its raw text; an amount, when it
        -- differs from the number its text says (32791 published as 32791.00 is only formatted)
        {%- set column_types = dict(customer_output_columns()) %}
        cast(
            {%- for column, bit in repaired_column_flags() %}
            {%- set amount = column_types[column].startswith('decimal') %}
            case when published_{{ column }} is not null and
                {%- if amount %} published_{{ column }} is distinct from try_cast(raw_{{ column }} as double)
                {%- else %} cast(published_{{ column }} as varchar) <> raw_{{ column }}
                {%- endif %}
                then {{ bit }} else 0 end{{ " +" if not loop.last }}
            {%- endfor %}
        as integer) as repaired_column_bits,
        -- NULL for the records whose id was delivered as it is published (nearly all): a column of
        -- 10M distinct ids cost ~1.3 s to write, a column of NULLs almost nothing
        case when raw_customer_id is distinct from customer_id then raw_customer_id end as raw_customer_id_if_changed
    from published
)

select * from final
