{#- First day of the transaction load window: the run date and the (transaction_window_days - 1)
    days before it. The window is loaded, and reloaded, as a whole. -#}
{% macro transaction_window_start() %}
  {%- set end = modules.datetime.date.fromisoformat(run_date()) -%}
  {%- set days = var('transaction_window_days') | int -%}
  {%- if days < 1 -%}
    {{ exceptions.raise_compiler_error("var transaction_window_days must be at least 1, got " ~ days) }}
  {%- endif -%}
  {{ return((end - modules.datetime.timedelta(days=days - 1)).isoformat()) }}
{% endmacro %}
