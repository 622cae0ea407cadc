{#- Per transaction date, the `key` (product, customer, store) with the most revenue in USD
    (ties to the smallest key), with its revenue and, if given, its `label` column. -#}
{% macro top_by_revenue(transactions, key, label=none) %}
    select
        transaction_date,
        {{ key }},
        {%- if label %}
        any_value({{ label }}) as {{ label }},
        {%- endif %}
        {{ exact_sum('amount_usd') }} as revenue_usd
    from {{ transactions }}
    group by transaction_date, {{ key }}
    qualify row_number() over (partition by transaction_date order by {{ exact_sum('amount_usd') }} desc, {{ key }}) = 1
{% endmacro %}
