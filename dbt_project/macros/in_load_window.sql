{#- True when the date `expression` falls in the transaction load window, transaction_window_start()
    to run_date(), both included. -#}
{% macro in_load_window(expression) -%}
{{ expression }} between date '{{ transaction_window_start() }}' and date '{{ run_date() }}'
{%- endmacro %}
