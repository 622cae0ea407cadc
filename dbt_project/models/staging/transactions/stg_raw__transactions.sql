{#- Raw transactions of the load window, typed: text trimmed and placeholders to NULL, codes
    canonicalised, amount and timestamp parsed without ever failing (unparseable -> NULL, the
    rules say why). The raw text stays beside each value for quarantine and lineage. -#}
with

source as (
    select * from {{ source('raw', 'transactions') }}
),

trimmed as (
    select
        source_date,
        catalogue_date,
        source_row_number,
        {%- for column in var('raw_transaction_columns') %}
        {{ clean_text('"' ~ column ~ '"') }} as {{ column }}_text,
        "{{ column }}" as raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from source
),

final as (
    select
        source_date,
        catalogue_date,
        source_row_number,
        transaction_id_text as transaction_id,
        upper(customer_id_text) as customer_id,
        upper(product_id_text) as product_id,
        upper(store_id_text) as store_id,
        amount_text,
        -- Parsed as DECIMAL(18, 6) first (a 64-bit integer inside): the DECIMAL(38, 6) cast
        -- (128-bit) costs ~80x more per value, and only amounts of a trillion or more need it.
        case when {{ regex_full_match('amount_text', "'-?[0-9]+(\\.[0-9]+)?'") }}
            then coalesce(try_cast(amount_text as decimal(18, 6)), try_cast(amount_text as decimal(38, 6)))
        end as amount,
        length(split_part(amount_text, '.', 2)) as amount_decimals,
        upper(currency_text) as currency,
        timestamp_text,
        {{ utc_timestamp('timestamp_text') }} as transacted_at,
        lower(status_text) as status,
        try_cast(quantity_text as integer) as quantity,
        lower(replace(payment_method_text, ' ', '_')) as payment_method,
        {%- for column in var('raw_transaction_columns') %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from trimmed
)

select * from final
