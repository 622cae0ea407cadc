{#- Seed 001's customer classification as of a date: new (signed up less than var new_customer_max_days
    before it), dormant (no purchase for more than var dormant_customer_min_days: the last purchase,
    or the signup if there was none), else active. -#}
{% macro customer_status(as_of_date, signup_date, last_purchase_date) -%}
case
    when {{ days_between(signup_date, as_of_date) }} < {{ var('new_customer_max_days') }} then 'new'
    when {{ days_between('coalesce(' ~ last_purchase_date ~ ', ' ~ signup_date ~ ')', as_of_date) }}
        > {{ var('dormant_customer_min_days') }} then 'dormant'
    else 'active'
end
{%- endmacro %}
