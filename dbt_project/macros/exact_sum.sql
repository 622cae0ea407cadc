{#- The sum of a DOUBLE column of at most 6 decimals (the amounts in USD), exact, as a DOUBLE.
    A parallel sum of doubles depends on the order the rows arrive in: rounded to the cent, the
    lifetime value of a customer with 30 transactions (of 877,827) differed by a cent between two
    runs of the same data. Summed as DECIMAL(38, 6) every value is exact and the result the same
    every run. -#}
{% macro exact_sum(column) -%}
    cast(sum(cast({{ column }} as decimal(38, 6))) as double)
{%- endmacro %}
