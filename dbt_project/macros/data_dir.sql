{#- The data directory, absolute: $CDQ_DATA_DIR, default ./data (relative to where dbt runs). -#}
{% macro data_dir() %}
  {{ return(absolute_path(env_var('CDQ_DATA_DIR', 'data') | replace('\\', '/') | trim)) }}
{% endmacro %}
