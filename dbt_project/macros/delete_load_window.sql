{#- Pre-hook of the window-loaded incremental models: delete the load window's dates before
    inserting them again, so re-running a window replaces exactly that date range, even a date
    that has no rows any more. Runs inside the model's transaction. -#}
{% macro delete_load_window(date_column) %}
  {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ date_column }} between date '{{ transaction_window_start() }}' and date '{{ run_date() }}'
  {%- endif -%}
{% endmacro %}
