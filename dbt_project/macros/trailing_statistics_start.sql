{#- First day whose loaded transactions the window's statistics count: a transaction's statistics
    cover its own day and the (trailing_statistics_days - 1) days before it, so those of the load
    window's first day reach that far back. -#}
{% macro trailing_statistics_start() %}
  {%- set days = var('trailing_statistics_days') | int -%}
  {%- if days < 1 -%}
    {{ exceptions.raise_compiler_error("var trailing_statistics_days must be at least 1, got " ~ days) }}
  {%- endif -%}
  {%- set window_start = modules.datetime.date.fromisoformat(transaction_window_start()) -%}
  {{ return((window_start - modules.datetime.timedelta(days=days - 1)).isoformat()) }}
{% endmacro %}
