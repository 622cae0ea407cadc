{#- Where this run's Parquet outputs are written: the `output_root` var (the runner points it
    at a work directory and publishes afterwards), else <data_dir>/outputs/<run_date>. -#}
{% macro output_dir() %}
  {%- set root = var('output_root', none) -%}
  {{ return(absolute_path(root) if root else data_dir() ~ '/outputs/' ~ run_date()) }}
{% endmacro %}
