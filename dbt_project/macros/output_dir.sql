{#- Where this run's Parquet outputs are written: the `output_root` var, else $CDQ_OUTPUT_ROOT
    (the runner points it at a work directory and publishes afterwards; read only when executing,
    as run_date() reads $CDQ_RUN_DATE), else <data_dir>/outputs/<run_date>. -#}
{% macro output_dir() %}
  {%- set root = var('output_root', none) or (env_var('CDQ_OUTPUT_ROOT', '') | trim if execute else '') -%}
  {{ return(absolute_path(root) if root else data_dir() ~ '/outputs/' ~ run_date()) }}
{% endmacro %}
