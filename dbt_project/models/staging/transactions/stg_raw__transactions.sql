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

-- The sale's time as its source wrote it, parsed once: its date, day and hour are the store's.
with_wall_clock as (
    select *, {{ wall_clock_timestamp('timestamp_text') }} as transacted_at_local
    from trimmed
),

final as (
    select
        source_date,
        catalogue_date,
        source_row_number,
        -- ids compared as the other ids are: t1 and T1 are one sale, not two
        upper(transaction_id_text) as transaction_id,
        upper(customer_id_text) as customer_id,
        upper(product_id_text) as product_id,
        upper(store_id_text) as store_id,
        amount_text,
        -- Parsed as DECIMAL(18, 6) first (a 64-bit integer inside): the DECIMAL(38, 6) cast
        -- (128-bit) costs ~80x more per value, and only amounts of a trillion or more need it.
        case when {{ regex_full_match('amount_text', "'-?[0-9]+(\\.[0-9]+)?'") }}
            then coalesce(try_cast(amount_text as decimal(18, 6)), try_cast(amount_text as decimal(38, 6)))
        end as amount,
        -- decimals that carry a digit: a typed export writes JPY 8613 as 8613.0
        length(rtrim(split_part(amount_text, '.', 2), '0')) as amount_decimals,
        upper(currency_text) as currency,
        timestamp_text,
        {{ utc_timestamp('timestamp_text', wall_clock='transacted_at_local') }} as transacted_at,
        transacted_at_local,
        cast(transacted_at_local as date) as transaction_date,
        lower(status_text) as status,
        {{ whole_number('quantity_text') }} as quantity,
        lower(replace(payment_method_text, ' ', '_')) as payment_method,
        {%- for column in var('raw_transaction_columns') %}
        raw_{{ column }}{{ "," if not loop.last }}
        {%- endfor %}
    from with_wall_clock
)

select * from final
