{#- The data directory: $CDQ_DATA_DIR, default ./data (relative to where dbt runs). -#}
{% macro data_dir() %}
  {{ return(env_var('CDQ_DATA_DIR', 'data') | replace('\\', '/') | trim) }}
{% endmacro %}
